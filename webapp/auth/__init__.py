"""Accounts and access: logging in and out, language, the officer's own page 我的, and who may see what."""

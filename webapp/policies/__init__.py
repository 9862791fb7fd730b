"""Policy settings 规则设置: every threshold of PROCEDURES.md per estate, with its history."""

"""The kernel: what every domain needs and no domain owns (webapp/README.md).

roles (who is who), dates (the estate's clock), fields and forms (marshmallow helpers, the form loader),
parsers (phones, dates typed by people), labels, htmx and errors (answering in kind), hooks (what the
domains contribute to shared screens, kept on the app) and demo helpers. It imports no domain.
"""

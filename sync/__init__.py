"""Patrolbook's reconciliation engine: pure Python + SQLAlchemy, no Flask (see PROTOCOL.md)."""

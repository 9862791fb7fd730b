"""Fixtures for the duty desk's web tests: a duty log entry as a phone or the desk PC pushes it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.web.residents.conftest import mutation, phones  # noqa: F401  (phones: a fixture shared with residents)
from webapp.estate.models import Estate
from webapp.extensions import db


def entry_fields(estate_id: int, **extra) -> dict:
    return {"estate_id": estate_id, "occurred_at": datetime.now(UTC).isoformat(), "category": "repair",
            "what": "3栋大堂灯不亮", "handled_by": "孙丽：通知工程部", **extra}


def entry_mutation(estate_id: int, **extra) -> dict:
    return mutation("duty_entry", entry_fields(estate_id, **extra))


@pytest.fixture
def estate_id(app) -> int:
    """The demo estate (where the demo desk works)."""
    with app.app_context():
        found = db.session.scalar(select(Estate.id).where(Estate.code == "JXHY"))
        db.session.remove()
        return found

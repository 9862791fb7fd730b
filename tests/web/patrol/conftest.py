"""Fixtures for patrol's web tests."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.patrol.models import ChecklistTemplate


@pytest.fixture
def place(app, users, make_user, make_area):
    """A new area of the demo officer (wangxm) with a lobby, and that lobby's checklist items (id, code,
    team); another officer's new area with a lobby (other_area, other_location); a roof item; the estate."""
    mine, theirs = make_area(officer=users["officer"]), make_area(officer=make_user("officer"))
    with app.app_context():
        lobby, roof = (db.session.scalar(select(ChecklistTemplate).where(
            ChecklistTemplate.estate_id == mine.estate_id, ChecklistTemplate.kind == kind,
            ChecklistTemplate.retired_at.is_(None))) for kind in ("lobby", "roof"))
        items = [(i.id, i.code, i.team) for i in lobby.items]
        roof_item = roof.items[0].id
        db.session.remove()
    return {"area": mine.id, "location": mine.lobby, "items": items, "other_area": theirs.id,
            "other_location": theirs.lobby, "roof_item": roof_item, "estate": mine.estate_id}

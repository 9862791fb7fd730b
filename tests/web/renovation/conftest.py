"""Fixtures for renovation's web tests."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.renovation.models import Renovation


@pytest.fixture
def rens(app):
    """Demo renovations by (area name, status): ids and what a push needs."""
    with app.app_context():
        found = {}
        for ren in db.session.scalars(select(Renovation).order_by(Renovation.id)):
            found.setdefault((ren.area.name, ren.status), ren.id)
        db.session.remove()
        return found

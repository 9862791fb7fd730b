"""Fixtures for the web tests of more than one domain: a phone that pushes, and the demo officer's place."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from webapp.areas.models import Area, KeyLocation
from webapp.extensions import db
from webapp.patrol.models import ChecklistTemplate


@pytest.fixture
def phone(client, login_as):
    """A phone that pushes: phone.login(who), phone.push(*mutations) → the results (the push must answer 200)."""

    class Phone:
        token = None

        def login(self, who):
            user = login_as(who)
            self.token = client.get("/sync/whoami").get_json()["csrf_token"]
            return user

        client = None

        def push(self, *mutations):
            response = client.post("/sync/push", data=json.dumps({"device_id": "phone-1", "mutations": list(mutations)}),
                                   content_type="application/json", headers={"X-CSRFToken": self.token})
            assert response.status_code == 200, response.get_data(as_text=True)
            return response.get_json()["results"]

    found = Phone()
    found.client = client
    return found


@pytest.fixture
def place(app):
    """東区 (the demo officer's area), its first lobby and that lobby's checklist items."""
    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.name == "东区"))
        lobby = db.session.scalar(select(KeyLocation).where(KeyLocation.area_id == area.id, KeyLocation.kind == "lobby"))
        other = db.session.scalar(select(Area).where(Area.name == "南区"))
        other_loc = db.session.scalar(select(KeyLocation).where(KeyLocation.area_id == other.id))
        template = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.kind == "lobby",
                                                                     ChecklistTemplate.retired_at.is_(None)))
        items = [(i.id, i.code, i.team) for i in template.items]
        roof = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.kind == "roof"))
        return {"area": area.id, "location": lobby.id, "items": items, "other_area": other.id,
                "other_location": other_loc.id, "roof_item": roof.items[0].id, "estate": area.estate_id}

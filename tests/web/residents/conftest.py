"""Fixtures for the residents' web tests."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest

from tests.conftest import DEMO, user_named


@pytest.fixture
def place(users, make_user, make_area, make_household):
    """A new area of the demo officer (wangxm) with one building and two households in it; another
    officer's new area with a household of its own."""
    mine, theirs = make_area(officer=users["officer"], buildings=1), make_area(officer=make_user("officer"), buildings=1)
    first = make_household(mine, name="李建国", phone="13911112222")
    second = make_household(mine, name="王秀英", phone="13933334444")
    other = make_household(theirs, name="赵敏")
    return {"area": mine.id, "households": [first.id, second.id], "other_area": theirs.id,
            "other_household": other.id, "estate": mine.estate_id}


def mutation(entity: str, fields: dict, op: str = "create", record_id: str | None = None, base_version=None) -> dict:
    return {"mutation_id": str(uuid.uuid4()), "entity": entity, "record_id": record_id or str(uuid.uuid4()),
            "op": op, "base_version": base_version, "fields": fields, "observed_at": datetime.now(UTC).isoformat()}


def visit_fields(place, opinions=(), **extra) -> dict:
    return {"area_id": place["area"], "household_id": place["households"][0], "kind": "home",
            "visited_at": datetime.now(UTC).isoformat(), "met": "业主本人", "discussed": "了解居住情况",
            "satisfaction": 4, "opinions": list(opinions), **extra}


@pytest.fixture
def phones(app):
    """phones(who, device) → a phone of its own (its own client and device id) that pushes as that demo
    person (a DEMO key or a username)."""

    class Phone:
        def __init__(self, who, device):
            self.client, self.device = app.test_client(), device
            person = user_named(app, DEMO.get(who, who))
            with self.client.session_transaction() as session:
                session["_user_id"] = str(person.id)
                session["_fresh"] = True
            self.token = self.client.get("/sync/whoami").get_json()["csrf_token"]

        def push(self, *mutations):
            body = json.dumps({"device_id": self.device, "mutations": list(mutations)})
            response = self.client.post("/sync/push", data=body, content_type="application/json",
                                        headers={"X-CSRFToken": self.token})
            assert response.status_code == 200, response.get_data(as_text=True)
            return response.get_json()["results"]

    return Phone

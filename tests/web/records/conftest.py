"""Fixtures for the daily work record's web tests: a record's mutation for a demo officer and day."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from tests.conftest import DEMO, user_named
from tests.web.residents.conftest import phones  # noqa: F401  (a phone of its own per device)
from webapp.areas.public import assigned_areas
from webapp.kernel.dates import local_date
from webapp.kernel.demo import ZONE
from webapp.records import rules


def today():
    return local_date(datetime.now(UTC), ZONE)


@pytest.fixture
def record_mutation(app):
    """record_mutation(who, day, op="create", base_version=None, **fields) → a daily_record mutation of that
    demo officer's record of the day (its deterministic id), in the officer's first area."""

    def make(who="officer", day=None, op="create", base_version=None, **fields):
        person = user_named(app, DEMO.get(who, who))
        day = day or today()
        values = {"officer_id": person.id, "area_id": fields.pop("area_id", None) or _area_of(app, person.id),
                  "day": day.isoformat(), "notes": "上午开会", "follow_up": "", **fields}
        return {"mutation_id": str(uuid.uuid4()), "entity": "daily_record", "record_id": rules.record_id(person.id, day),
                "op": op, "base_version": base_version, "fields": values, "observed_at": datetime.now(UTC).isoformat()}

    return make


def _area_of(app, user_id: int) -> int:
    with app.app_context():
        return assigned_areas(user_id)[0].id

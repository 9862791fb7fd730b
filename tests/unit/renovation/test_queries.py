"""The real queries behind "due today" (R-REN-1) in the database: Shanghai day edges, final inspections
not counting, extra inspectors' cover through rules.covered, floors as key locations (R-PAT-1). The files
are made for each test (tests/factories.py); the demo's mix of states is checked once, at the end."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from webapp.areas.models import KeyLocation
from webapp.areas.public import renovation_floor
from webapp.auth.models import User
from webapp.extensions import db
from webapp.renovation import queries
from webapp.renovation.models import ExtraInspector, Inspection, Renovation

DAY = date(2026, 11, 23)
SHANGHAI_MIDNIGHT = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)  # 2026-11-23 00:00 in Shanghai


@pytest.fixture
def area(make_area):
    return make_area(buildings=1)


@pytest.fixture
def ren(ctx, area, make_renovation):
    """A unit under renovation since today, for 30 days."""
    return db.session.get(Renovation, make_renovation(area).id)


def inspect(ren, observed_at, kind="daily"):
    db.session.add(Inspection(id=str(uuid.uuid4()), estate_id=ren.estate_id, area_id=ren.area_id, renovation_id=ren.id,
                              kind=kind, failed=[], passed=True if kind == "final" else None, created_by=None,
                              observed_at=observed_at, received_at=observed_at))
    db.session.flush()


@pytest.mark.parametrize(("observed", "counts"), [
    (SHANGHAI_MIDNIGHT, True),  # 00:00 Shanghai: the day's first second
    (SHANGHAI_MIDNIGHT + timedelta(hours=24) - timedelta(seconds=1), True),  # 23:59:59 Shanghai
    (SHANGHAI_MIDNIGHT - timedelta(seconds=1), False),  # 23:59:59 the day before
    (SHANGHAI_MIDNIGHT + timedelta(hours=24), False),  # 00:00 the next day
])
def test_inspected_on_uses_the_shanghai_day(ren, observed, counts):
    inspect(ren, observed)
    assert (ren.id in queries.inspected_on([ren.id], DAY)) is counts


def test_a_final_inspection_is_not_a_daily_one(ren):
    inspect(ren, SHANGHAI_MIDNIGHT + timedelta(hours=10), kind="final")
    assert ren.id not in queries.inspected_on([ren.id], DAY)
    inspect(ren, SHANGHAI_MIDNIGHT + timedelta(hours=11), kind="follow_up")
    assert ren.id in queries.inspected_on([ren.id], DAY)


def test_today_rows_cover_with_extra_inspectors_only_inside_their_range(ren, make_user):
    helper = db.session.get(User, make_user("officer").id)
    now = datetime.now(UTC)
    today = queries.today(now)
    db.session.add_all([
        ExtraInspector(renovation_id=ren.id, user_id=helper.id, first_day=today + timedelta(days=1),
                       last_day=today + timedelta(days=3)),
    ])
    db.session.flush()
    row = next(r for r in queries.today_rows([ren.area_id], now, ren.estate_id) if r.renovation.id == ren.id)
    assert helper not in row.people  # tomorrow's helper is nobody today
    db.session.add(ExtraInspector(renovation_id=ren.id, user_id=helper.id, first_day=today, last_day=today))
    db.session.flush()
    row = next(r for r in queries.today_rows([ren.area_id], now, ren.estate_id) if r.renovation.id == ren.id)
    assert helper in row.people and row.people.count(helper) == 1


def test_an_approved_unit_gets_its_floor_on_its_start_day_and_loses_it_after(ctx, area, make_renovation):
    today = queries.today(datetime.now(UTC))
    made = make_renovation(area, "approved", start=today + timedelta(days=1), days=4)  # the register syncs its floor
    ren = db.session.get(Renovation, made.id)
    assert renovation_floor(ren.area_id, ren.unit.building_id, ren.unit.floor) is None  # not under renovation yet: not due, no floor
    assert queries.refresh_floor_locations(ren.estate_id, today + timedelta(days=1))  # its first day
    location = renovation_floor(ren.area_id, ren.unit.building_id, ren.unit.floor)
    assert location is not None and ren.key_location_id == location.id
    assert not queries.refresh_floor_locations(ren.estate_id, today + timedelta(days=1))  # idempotent
    assert queries.refresh_floor_locations(ren.estate_id, today + timedelta(days=6))  # never started, period over
    assert not db.session.get(KeyLocation, location.id).active


def test_completed_and_closed_are_not_in_today_rows(ctx):
    """On the demo estate, which has a file in every state."""
    now = datetime.now(UTC)
    rens = db.session.scalars(select(Renovation)).all()
    rows = queries.today_rows({r.area_id for r in rens}, now, rens[0].estate_id)
    assert {r.renovation.status for r in rows} <= {"approved", "in_progress"}
    assert all(r.renovation.start_date <= queries.today(now) for r in rows)

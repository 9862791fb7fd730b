"""`flask seed-scale` (webapp/scale.py and the domains' scale.py): estates with months of history, written in
bulk, whose synced records a phone pulls like any other, and whose pages answer."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sync.models import Change
from webapp.auth.models import User
from webapp.extensions import db
from webapp.kernel.syncing import entities
from webapp.patrol.models import PatrolRound

SMALL = ["--estates", "1", "--months", "1", "--areas", "2", "--locations", "3", "--buildings", "2",
         "--households", "40"]


@pytest.fixture
def scale(runner):
    result = runner.invoke(args=["seed-scale", *SMALL])
    assert result.exit_code == 0, result.output
    assert "s01-officer1" in result.output


def test_every_synced_record_is_in_the_change_log_once(scale, ctx):
    for spec in entities():
        records = db.session.scalar(select(func.count()).select_from(spec.model).where(spec.model.created_by.in_(
            select(User.id).where(User.username.like("s01-%")))))
        logged = db.session.scalar(select(func.count()).select_from(Change).where(Change.entity == spec.name,
                                                                                  Change.device_id == "scale-seed"))
        assert logged == records, spec.name
    assert db.session.scalar(select(func.count()).select_from(Change).where(Change.entity == "patrol_round")) > 100
    assert db.session.scalar(select(func.count()).select_from(Change).where(Change.entity == "resident_visit")) > 0


def test_an_officer_pulls_the_rounds_of_their_area(scale, app, client, login_as):
    officer = login_as("s01-officer1")
    with app.app_context():
        area = db.session.scalar(select(PatrolRound.area_id).where(PatrolRound.created_by == officer.id).limit(1))
        mine = set(db.session.scalars(select(PatrolRound.id).where(PatrolRound.area_id == area)))
    pulled, cursor, more = [], 0, True
    while more:
        page = client.get(f"/sync/pull?cursor={cursor}&limit=500").get_json()
        pulled += page["changes"]
        cursor, more = page["cursor"], page["more"]
    rounds = [c for c in pulled if c["entity"] == "patrol_round"]
    assert {c["id"] for c in rounds} == mine
    assert {c["fields"]["area_id"] for c in rounds} == {area}
    assert any(c["entity"] == "patrol_finding" for c in pulled)


@pytest.mark.parametrize(("who", "page"), [
    ("s01-officer1", "/today"), ("s01-officer1", "/renovation/"), ("s01-supervisor1", "/overview"),
    ("s01-supervisor1", "/patrol/coverage"), ("s01-supervisor1", "/patrol/findings"),
    ("s01-supervisor1", "/renovation/"), ("s01-engineering1", "/today"),
    ("s01-officer1", "/residents/"), ("s01-officer1", "/residents/cases"), ("s01-supervisor1", "/residents/register"),
    ("s01-supervisor1", "/residents/check"),
])
def test_its_pages_answer(scale, client, login_as, who, page):
    login_as(who)
    assert client.get(page).status_code == 200

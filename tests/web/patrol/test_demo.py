"""The demo's patrol history keeps its promises whatever today's date is (R-PAT-1, R-PAT-4, R-SUP-1):
seeded afresh with `now` on dates across a week and a month boundary — every area has findings of
each main team in every status, fixed ones have their fixer, note and a stored photo, verified ones
the later round that confirmed them, and nothing is done yet today."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import select

from sync.models import Media
from webapp import create_app
from webapp.areas.models import Area
from webapp.extensions import db
from webapp.kernel.dates import local_date, tz
from webapp.patrol import queries, rules
from webapp.patrol.demo import MAIN_TEAMS
from webapp.patrol.models import Finding, LocationChecklist, PatrolRound

# 10:00 in Shanghai on: a Monday, a Thursday, a Sunday that is the 1st of a month, the 2nd of a month.
DATES = [datetime(2026, 11, 30, 2, tzinfo=UTC), datetime(2026, 12, 3, 2, tzinfo=UTC),
         datetime(2026, 2, 1, 2, tzinfo=UTC), datetime(2027, 3, 2, 2, tzinfo=UTC)]


@pytest.fixture(scope="module", params=DATES, ids=lambda d: d.date().isoformat())
def seeded(request):
    """A fresh in-memory database seeded as if today were `now`."""
    now = request.param
    folder = tempfile.mkdtemp()
    app = create_app({"TESTING": True, "SECRET_KEY": "demo-test", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SQLALCHEMY_ENGINE_OPTIONS": {}, "MEDIA_ROOT": folder, "SERVER_NAME": None,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    app.instance_path = tempfile.mkdtemp()
    with app.app_context():
        db.create_all()
        from webapp import demo

        with mock.patch.object(demo, "utcnow", return_value=now):
            demo.seed(db.session)
        yield now, folder
        db.session.remove()


def test_every_area_has_each_main_teams_findings_in_every_status(seeded):
    for area in db.session.scalars(select(Area)):
        open_for_residents = db.session.scalars(select(Finding).where(
            Finding.area_id == area.id, Finding.resident_impact.is_(True), Finding.status == "open")).all()
        assert open_for_residents, area.name  # R-PAT-4: the officer's Today has residents to coordinate with
        for team in MAIN_TEAMS:
            statuses = set(db.session.scalars(select(Finding.status).where(Finding.area_id == area.id,
                                                                          Finding.team == team)))
            assert statuses == {"open", "assigned", "fixed", "verified"}, (seeded[0], area.name, team)


def test_fixed_findings_have_a_fixer_a_note_and_a_stored_photo_and_verified_ones_their_round(seeded):
    now, folder = seeded
    for finding in db.session.scalars(select(Finding).where(Finding.status.in_(("fixed", "verified")))):
        assert finding.fixed_by and finding.fixed_note and finding.fixed_photo_ids, finding.id
        assert finding.fixer.team == finding.team and finding.fixed_at < now
        for photo in finding.fixed_photo_ids + finding.photo_ids:
            stored = db.session.get(Media, photo)
            assert stored is not None and (Path(folder) / stored.path).is_file()
        if finding.status == "verified":
            assert finding.verified_by and finding.fixed_at <= finding.verified_at < now
            if finding.verified_round_id:
                later = db.session.get(PatrolRound, finding.verified_round_id)
                assert finding.id in later.verified_finding_ids and later.key_location_id == finding.key_location_id
                assert later.observed_at == finding.verified_at and later.created_by == finding.verified_by
    assert db.session.scalars(select(Finding).where(Finding.status == "verified",
                                                    Finding.verified_round_id.is_not(None))).first()


def test_nothing_is_done_today_and_a_mapped_location_uses_its_checklist(seeded):
    now, _folder = seeded
    today = local_date(now, tz())
    rounds = db.session.scalars(select(PatrolRound)).all()
    assert rounds and all(local_date(r.observed_at, tz()) < today for r in rounds)
    for area in db.session.scalars(select(Area)):
        due = queries.area_due(area, now)
        assert all(ld.status in (rules.DUE, rules.OVERDUE) for ld in due.locations), area.name
    mapped = db.session.scalar(select(LocationChecklist))
    location_rounds = [r for r in rounds if r.key_location_id == mapped.key_location_id]
    items = queries.item_snapshots([c["item_id"] for r in location_rounds for c in r.checks])
    assert location_rounds and {i["kind"] for i in items.values()} == {mapped.template_kind}
    assert now - timedelta(days=15) < min(r.observed_at for r in rounds)

"""The demo desk (issue 15): a month of duty log that verifies, with corrections; the roster and a handover at each
change of turn; open work, one important item the supervisor let carry over, so the demo's handover can be signed."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.web.app.test_scale import SMALL
from webapp.duty import chain, handover, rules
from webapp.duty.models import DutyEntry, Handover
from webapp.extensions import db


def test_the_demo_log_verifies_and_has_corrections_and_handovers(app, ctx, estate_id, runner):
    assert chain.verify(db.session, estate_id) is None
    assert runner.invoke(args=["duty", "verify"]).exit_code == 0
    entries = db.session.scalar(select(func.count()).select_from(DutyEntry).where(DutyEntry.estate_id == estate_id))
    corrections = db.session.scalar(select(func.count()).select_from(DutyEntry).where(
        DutyEntry.estate_id == estate_id, DutyEntry.corrects_id.is_not(None)))
    assert entries > 90 and corrections >= 2
    signed = db.session.scalars(select(Handover).where(Handover.estate_id == estate_id)
                                .order_by(Handover.signed_at)).all()
    assert len(signed) >= 58
    assert all(b.first_seq == a.last_seq + 1 for a, b in zip(signed, signed[1:], strict=False))
    items = handover.open_items(estate_id)
    assert len(items) == 2 and rules.blocking(items) == []


def test_a_scale_estates_log_verifies_and_its_desk_pages_answer(app, runner, client, login_as):
    result = runner.invoke(args=["seed-scale", *SMALL])
    assert result.exit_code == 0, result.output
    verified = runner.invoke(args=["duty", "verify", "--estate", "S01"])
    assert verified.exit_code == 0 and "S01: ok" in verified.output, verified.output
    login_as("s01-frontdesk1")
    for page in ("/duty/", "/duty/handover", "/duty/roster", "/keys/", "/overview"):
        assert client.get(page).status_code == 200, page

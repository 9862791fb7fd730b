"""Handover rules (R-DUTY-2): important unfinished work blocks the handover until it is done or a lead lets it carry
over; two different people of the estate's desk sign, each for themselves; corrections line up beside what they
correct (R-DUTY-1)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from webapp.duty import rules
from webapp.kernel.roles import DESK, Role

NOW = datetime(2026, 12, 6, 8, tzinfo=UTC)


def item(important=False, done=False, carried=False):
    return SimpleNamespace(important=important, done_at=NOW if done else None, carry_by=3 if carried else None)


def test_only_important_work_neither_done_nor_let_carry_over_blocks():
    blocking = item(important=True)
    items = [item(), blocking, item(important=True, done=True), item(important=True, carried=True), item(done=True)]
    assert rules.blocking(items) == [blocking]
    assert rules.blocking([item(), item(important=True, carried=True)]) == []


def person(id_, role=Role.FRONTDESK, estates=(1,)):
    return SimpleNamespace(id=id_, role=role, estates=[SimpleNamespace(id=e) for e in estates])


def test_two_different_people_of_the_estates_desk_sign():
    outgoing = person(1)
    assert rules.signature_problems(outgoing, person(2), 1, DESK) == []
    assert rules.signature_problems(outgoing, person(2, Role.SUPERVISOR), 1, DESK) == []
    assert rules.signature_problems(outgoing, person(1), 1, DESK) == [
        "The incoming person must be someone else: each signs with their own account."]
    assert rules.signature_problems(outgoing, person(2, Role.OFFICER), 1, DESK) == [
        "Only the duty desk signs a handover: this person is not on the desk."]
    assert rules.signature_problems(outgoing, person(2, Role.TEAM), 1, DESK) != []
    assert rules.signature_problems(outgoing, person(2, estates=(7,)), 1, DESK) == [
        "This person does not work in this estate."]


def entry(id_, seq, corrects=None):
    return SimpleNamespace(id=id_, seq=seq, corrects_id=corrects)


def test_corrections_stand_beside_the_entry_they_correct_even_a_correction_of_a_correction():
    entries = [entry("a", 1), entry("b", 2), entry("fix-a", 3, "a"), entry("fix-fix-a", 4, "fix-a"),
               entry("of-another-day", 5, "elsewhere")]
    lines = rules.lines_of(entries)
    assert [(line.entry.id, [c.id for c in line.corrections]) for line in lines] == [
        ("a", ["fix-a", "fix-fix-a"]), ("b", []), ("of-another-day", [])]


def test_the_days_to_check_are_the_past_week_since_the_log_began_not_signed():
    today = date(2026, 12, 7)
    assert rules.days_to_check(today, None, set()) == []  # no log yet: nothing to sign
    assert rules.days_to_check(today, date(2026, 12, 5), set()) == [date(2026, 12, 5), date(2026, 12, 6)]
    assert rules.days_to_check(today, date(2026, 12, 5), {date(2026, 12, 5)}) == [date(2026, 12, 6)]
    back = rules.days_to_check(today, date(2025, 1, 1), {date(2026, 12, 6)})
    assert back[0] == today - timedelta(days=rules.CHECK_BACK) and date(2026, 12, 6) not in back and today not in back

"""Which days need a daily work record, its id, what an amendment must keep, when reading is due (R-REC-1,
R-REC-3)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from webapp.records import rules

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 9)


def test_rest_days_follow_the_working_days_of_the_week():
    assert [rules.is_working_day(date(2026, 3, 9 + n), 6) for n in range(7)] == [True] * 6 + [False]
    assert [rules.is_working_day(date(2026, 3, 9 + n), 5) for n in range(7)] == [True] * 5 + [False] * 2
    assert all(rules.is_working_day(date(2026, 3, 9 + n), 7) for n in range(7))


def test_the_past_working_days_need_a_record_today_not_yet():
    today = date(2026, 3, 17)  # a Tuesday
    needed = rules.days_needing_record(today, 6, lookback=9)
    assert needed == [date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 12), date(2026, 3, 13),
                      date(2026, 3, 14), date(2026, 3, 16)]  # Sunday the 15th rests, today is not over
    assert rules.days_needing_record(today, 6, since=date(2026, 3, 16)) == [date(2026, 3, 16)]
    assert rules.missing_days(needed, [date(2026, 3, 9), date(2026, 3, 16)])[0] == date(2026, 3, 10)


def test_the_morning_review_reads_the_last_working_day_before_today():
    assert rules.previous_working_day(date(2026, 3, 17), 6) == date(2026, 3, 16)
    assert rules.previous_working_day(date(2026, 3, 16), 6) == date(2026, 3, 14)  # Monday reads Saturday's
    assert rules.previous_working_day(date(2026, 3, 16), 5) == date(2026, 3, 13)


def test_reading_is_due_next_morning_in_the_estates_clock():
    assert rules.read_due(date(2026, 3, 16), 10, SHANGHAI) == datetime(2026, 3, 17, 2, 0, tzinfo=UTC)


def test_one_id_per_officer_and_day():
    assert rules.record_id(1, MONDAY) == rules.record_id(1, MONDAY)
    assert len({rules.record_id(1, MONDAY), rules.record_id(2, MONDAY), rules.record_id(1, date(2026, 3, 10))}) == 3


def values(**changes):
    return {"officer_id": 1, "area_id": 3, "day": MONDAY, "notes": "开会", "amend_note": "", **changes}


def test_a_submission_is_the_officers_own_of_a_day_gone_by_under_its_id():
    rid = rules.record_id(1, MONDAY)
    assert rules.submission_errors(1, values(), None, rid, MONDAY) == {}
    assert "officer_id" in rules.submission_errors(2, values(), None, rid, MONDAY)
    assert "day" in rules.submission_errors(1, values(), None, rules.record_id(1, date(2026, 3, 8)), MONDAY)
    assert "day" in rules.submission_errors(1, values(), None, rid, date(2026, 3, 8))  # tomorrow, seen from Sunday


def test_an_amendment_says_why_and_keeps_its_officer_day_and_area():
    rid, old = rules.record_id(1, MONDAY), values()
    assert rules.submission_errors(1, values(notes="补", amend_note="漏记"), old, rid, MONDAY) == {}
    assert "amend_note" in rules.submission_errors(1, values(notes="补"), old, rid, MONDAY)
    again = values(notes="再补", amend_note="漏记")
    assert "amend_note" in rules.submission_errors(1, again, values(amend_note="漏记"), rid, MONDAY)  # a new reason
    assert "day" in rules.submission_errors(1, values(area_id=4, amend_note="换区"), old, rid, MONDAY)


"""Which renovating units are due on a day (R-REN-1), who covers them, the register's checks (R-REN-2)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from webapp.renovation import rules

DAY = date(2026, 11, 23)


def period(status, start, end):
    return rules.Period(status, start, end)


PERIODS = {
    1: period("approved", date(2026, 11, 20), date(2026, 12, 20)),  # in period
    2: period("in_progress", date(2026, 11, 1), date(2026, 11, 30)),  # in period
    3: period("approved", date(2026, 11, 24), date(2026, 12, 20)),  # starts tomorrow
    4: period("completed", date(2026, 11, 1), date(2026, 12, 20)),  # completed: final inspection only
    5: period("closed", date(2026, 11, 1), date(2026, 12, 20)),
    6: period("applied", date(2026, 11, 1), date(2026, 12, 20)),  # not approved yet
    7: period("in_progress", date(2026, 10, 1), date(2026, 11, 10)),  # overrunning: still works, still due
    8: period("approved", date(2026, 10, 1), date(2026, 11, 10)),  # approved, never started, period over
}


def test_due_are_approved_or_in_progress_inside_their_period():
    assert rules.due_ids(PERIODS, DAY, []) == [1, 2, 7]


def test_a_unit_inspected_today_by_anyone_is_not_due():
    # 2 was inspected by its officer, 7 by an extra inspector: both count (R-REN-1).
    assert rules.due_ids(PERIODS, DAY, [2, 7]) == [1]


def test_completed_and_closed_are_never_due():
    due = rules.due_ids(PERIODS, DAY, [])
    assert 4 not in due and 5 not in due and 6 not in due


def test_first_and_last_day_of_the_period_are_due():
    p = {1: period("approved", DAY, DAY)}
    assert rules.due_ids(p, DAY, []) == [1]
    assert rules.due_ids(p, date(2026, 11, 24), []) == []
    assert rules.due_ids(p, date(2026, 11, 22), []) == []


def test_extra_inspectors_cover_their_date_range_only():
    extras = [(20, date(2026, 11, 20), date(2026, 11, 23)), (21, date(2026, 11, 24), date(2026, 11, 30))]
    assert rules.covered(DAY, 10, extras) == [10, 20]
    assert rules.covered(date(2026, 11, 25), None, extras) == [21]
    assert rules.covered(date(2026, 12, 5), None, extras) == []


def good(**overrides):
    values = dict(owner_name="张三", contractor="美家装饰", foreman="周师傅", foreman_phone="139", scope="水电",
                  start_date=date(2026, 11, 1), planned_end=date(2026, 12, 1), crew_size=3, hours_from="08:00",
                  hours_to="18:00", status="approved", approval_no="ZX-1")
    values.update(overrides)
    return values


def test_a_good_register_entry_has_no_errors():
    assert rules.register_errors(good()) == {}


@pytest.mark.parametrize(("overrides", "field"), [
    ({"planned_end": date(2026, 10, 1)}, "planned_end"),
    ({"start_date": None}, "start_date"),
    ({"crew_size": 0}, "crew_size"),
    ({"hours_from": "25:00"}, "hours_from"),
    ({"hours_to": "07:00"}, "hours_to"),
    ({"contractor": " "}, "contractor"),
    ({"approval_no": ""}, "approval_no"),
])
def test_bad_register_entries_say_which_field(overrides, field):
    assert field in rules.register_errors(good(**overrides))


def test_an_application_needs_no_approval_number_yet():
    assert rules.register_errors(good(status="applied", approval_no="")) == {}


def test_status_moves():
    assert rules.can_move("applied", "approved") and rules.can_move("in_progress", "completed")
    assert not rules.can_move("applied", "completed") and not rules.can_move("completed", "closed")
    assert not rules.can_move("closed", "in_progress")


def test_escalation_is_for_repeat_or_overdue_open_violations():
    assert rules.escalates(date(2026, 11, 22), False, False, DAY)
    assert rules.escalates(date(2026, 11, 30), False, True, DAY)
    assert not rules.escalates(date(2026, 11, 23), False, False, DAY)
    assert not rules.escalates(date(2026, 11, 1), True, True, DAY)


def test_template_text():
    items, error = rules.template_items_from_text("permit | 许可证 | Permit\n\nnoise | 噪声 | Noise")
    assert error is None and [i["code"] for i in items] == ["permit", "noise"]
    assert rules.template_items_from_text("permit | 许可证")[1]
    assert rules.template_items_from_text("a | b | c\na | d | e")[1]
    assert rules.template_items_from_text("")[1]


def test_violation_ids_are_deterministic():
    assert rules.violation_id("x") == rules.violation_id("x") != rules.violation_id("y")


# --------------------------------------------------------------------------- which inspection may be recorded


@pytest.mark.parametrize(("kind", "status", "day", "open_count", "passed", "field"), [
    ("daily", "in_progress", DAY, 0, None, None),
    ("daily", "approved", date(2026, 11, 19), 0, None, "renovation_id"),  # before its start: outside the period
    ("daily", "approved", date(2026, 12, 21), 0, None, "renovation_id"),  # approved, period over
    ("daily", "completed", DAY, 0, None, "renovation_id"),
    ("follow_up", "completed", DAY, 1, None, None),  # a completed unit's open violation is still followed up
    ("follow_up", "in_progress", DAY, 1, None, None),
    ("follow_up", "closed", DAY, 1, None, "renovation_id"),
    ("follow_up", "applied", DAY, 0, None, "renovation_id"),
    ("final", "completed", DAY, 0, True, None),
    ("final", "completed", DAY, 2, True, "passed"),  # cannot pass while violations are open
    ("final", "completed", DAY, 2, False, None),  # a failed final inspection may be recorded any time
    ("final", "in_progress", DAY, 0, True, "kind"),
])
def test_inspection_problem(kind, status, day, open_count, passed, field):
    period = rules.Period(status, date(2026, 11, 20), date(2026, 12, 20))
    problem = rules.inspection_problem(kind, period, day, open_count, passed)
    assert (None if problem is None else next(iter(problem))) == field


def test_a_final_inspection_with_open_violations_says_why():
    problem = rules.inspection_problem("final", rules.Period("completed", DAY, DAY), DAY, 1, True)
    assert problem == {"passed": [rules.FINAL_WITH_OPEN]}


def test_a_deadline_before_the_inspection_day_is_refused():
    assert rules.deadline_problem(date(2026, 11, 22), DAY) == {"violation_deadline": [rules.DEADLINE_PAST]}
    assert rules.deadline_problem(DAY, DAY) is None and rules.deadline_problem(None, DAY) is None


# --------------------------------------------------------------------------- the day an inspection was done


def test_the_inspection_day_is_the_shanghai_day_it_was_observed():
    zone = ZoneInfo("Asia/Shanghai")
    late = datetime(2026, 11, 23, 15, 59, tzinfo=UTC)  # 23:59 in Shanghai, synced after midnight
    assert rules.inspection_day(late, datetime(2026, 11, 23, 16, 30, tzinfo=UTC), zone) == DAY
    assert rules.inspection_day(datetime(2026, 11, 23, 16, 0, tzinfo=UTC), datetime(2026, 11, 24, 1, tzinfo=UTC), zone) \
        == date(2026, 11, 24)
    # a clock running ahead cannot push work into a later day than it reached the server
    assert rules.inspection_day(datetime(2026, 11, 25, 2, tzinfo=UTC), datetime(2026, 11, 23, 2, tzinfo=UTC), zone) == DAY


def test_an_extra_inspectors_work_counts_on_the_day_it_was_done():
    first, last = date(2026, 11, 20), DAY
    assert rules.extra_counts(DAY, date(2026, 11, 24), first, last)  # their last day, synced after midnight
    assert not rules.extra_counts(date(2026, 11, 24), date(2026, 11, 24), first, last)  # the day after
    assert not rules.extra_counts(date(2026, 11, 19), date(2026, 11, 19), first, last)  # before the range
    assert rules.extra_counts(DAY, DAY + timedelta(days=rules.LATE_DAYS), first, last)
    assert not rules.extra_counts(DAY, DAY + timedelta(days=rules.LATE_DAYS + 1), first, last)  # bounded


def test_covered_keeps_the_officer_first_and_each_person_once():
    extras = [(10, date(2026, 11, 1), date(2026, 11, 30)), (20, DAY, DAY), (20, DAY, DAY)]
    assert rules.covered(DAY, 10, extras) == [10, 20]


# --------------------------------------------------------------------------- form input


@pytest.mark.parametrize(("raw", "value"), [
    ("12", 12), (" 7 ", 7), ("²", None), ("١٢", None), ("-3", None), ("1.5", None), ("", None), (None, None),
    ("9" * 23, None), (str(rules.MAX_ID), rules.MAX_ID), (str(rules.MAX_ID + 1), None),
])
def test_parse_int_accepts_plain_numbers_that_fit(raw, value):
    assert rules.parse_int(raw) == value


def test_parse_date():
    assert rules.parse_date(" 2026-11-23 ") == DAY
    assert rules.parse_date("2026-02-30") is None and rules.parse_date(None) is None and rules.parse_date("²") is None


def test_extra_assignment_errors():
    assert rules.extra_errors(DAY, DAY, True, 2) == {}
    assert set(rules.extra_errors(DAY, date(2026, 11, 1), False, 0)) == {"user_id", "last_day", "renovation_ids"}
    assert "last_day" in rules.extra_errors(None, DAY, True, 1)
    going = period("in_progress", date(2026, 11, 1), date(2026, 11, 10))  # overrunning: still inspected
    assert rules.extra_unit_error(going, DAY, DAY, [(date(2026, 11, 1), date(2026, 11, 22))]) is None
    assert "already" in rules.extra_unit_error(PERIODS[1], DAY, DAY, [(date(2026, 11, 1), DAY)])
    assert "not under renovation" in rules.extra_unit_error(PERIODS[4], DAY, DAY, [])
    assert "outside" in rules.extra_unit_error(PERIODS[3], DAY, DAY, [])  # approved, starts tomorrow
    assert "outside" in rules.extra_unit_error(PERIODS[1], date(2026, 12, 21), date(2026, 12, 25), [])
    assert "outside" in rules.extra_unit_error(going, date(2026, 10, 1), date(2026, 10, 31), [])


def test_every_rule_message_has_a_chinese_translation():
    from webapp.i18n import CATALOGUE_DIR, merged_catalogue

    catalogue = merged_catalogue(sorted((CATALOGUE_DIR / "zh_Hans_CN").glob("*.po")), "zh_Hans_CN")
    messages = {rules.NOT_UNDER_RENOVATION, rules.OUTSIDE_PERIOD, rules.FINAL_ONLY_COMPLETED, rules.FINAL_WITH_OPEN,
                rules.DEADLINE_PAST, rules.extra_unit_error(PERIODS[4], DAY, DAY, []),
                rules.extra_unit_error(PERIODS[3], DAY, DAY, []),
                rules.extra_unit_error(PERIODS[1], DAY, DAY, [(DAY, DAY)]), *rules.extra_errors(None, None, False, 0).values(),
                *rules.register_errors({"hours_from": "x", "hours_to": "y", "status": "approved"}).values(),
                rules.extra_errors(DAY, date(2028, 1, 1), True, 1)["last_day"]}
    assert sorted(m for m in messages if m not in catalogue) == []

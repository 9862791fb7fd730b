"""What is due, coverage, findings and spot-check comparison, as plain functions (R-PAT-1, R-PAT-4, R-SUP-1)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from webapp.kernel.dates import day_start_utc, local_date
from webapp.patrol import rules
from webapp.patrol.rules import DONE, DUE, NOT_DUE, OVERDUE, Span

SH = ZoneInfo("Asia/Shanghai")
MON, TUE, WED, SUN = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 29)


def test_epoch_is_a_monday_so_weekly_periods_are_calendar_weeks():
    assert rules.EPOCH.weekday() == 0
    assert rules.period_of(WED, 7) == (MON, MON + timedelta(days=7))
    assert rules.period_of(SUN, 7) == (MON, MON + timedelta(days=7))
    assert rules.period_of(MON + timedelta(days=7), 7)[0] == MON + timedelta(days=7)
    assert rules.period_of(WED, 1) == (WED, WED + timedelta(days=1))


def test_days_are_shanghai_days_from_utc_times():
    # 2026-11-23 16:30 UTC is already Tuesday 00:30 in Shanghai; 15:59 UTC is still Monday.
    assert local_date(datetime(2026, 11, 23, 16, 30, tzinfo=UTC), SH) == TUE
    assert local_date(datetime(2026, 11, 23, 15, 59, tzinfo=UTC), SH) == MON
    assert day_start_utc(TUE, SH) == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        local_date(datetime(2026, 11, 23, 12, 0), SH)


@pytest.mark.parametrize("done, expected", [
    ({TUE}, DONE),  # R-PAT-1: patrolled today
    ({MON}, DUE),  # yesterday done, today still to do
    ({MON - timedelta(days=3)}, OVERDUE),  # yesterday missed and not done yet
    (set(), OVERDUE),  # never patrolled since it was added long ago
])
def test_daily_key_location(done, expected):
    assert rules.status_on(TUE, 1, Span(date(2026, 1, 1)), done) == expected


def test_a_location_added_today_is_due_not_overdue_and_not_due_before():
    span = Span(WED)
    assert rules.status_on(WED, 1, span, set()) == DUE
    assert rules.status_on(TUE, 1, span, set()) == NOT_DUE
    assert rules.status_on(WED + timedelta(days=1), 1, span, set()) == OVERDUE


def test_a_retired_location_is_not_due_from_its_retirement_day():
    span = Span(date(2026, 1, 1), until=WED)
    assert rules.status_on(TUE, 1, span, set()) == OVERDUE
    assert rules.status_on(WED, 1, span, set()) == NOT_DUE


@pytest.mark.parametrize("today, done, expected", [
    (SUN, {MON}, DONE),  # one full round this week (R-PAT-1)
    (SUN, {MON - timedelta(days=1)}, DUE),  # last Sunday counted for last week; this week still due
    (MON, {MON - timedelta(days=1)}, DUE),  # across the week boundary: a new week starts on Monday
    (MON, {MON - timedelta(days=8)}, OVERDUE),  # last week was missed
    (WED, {MON - timedelta(days=8), TUE}, DONE),
])
def test_weekly_full_round_across_week_boundaries(today, done, expected):
    assert rules.status_on(today, 7, Span(date(2026, 1, 1)), done) == expected


def test_an_area_created_mid_week_owes_this_week_but_did_not_miss_the_last():
    assert rules.status_on(SUN, 7, Span(WED), set()) == DUE
    assert rules.status_on(SUN + timedelta(days=1), 7, Span(WED), set()) == OVERDUE


def test_a_round_just_after_local_midnight_counts_for_the_new_day():
    late = datetime(2026, 11, 23, 16, 5, tzinfo=UTC)  # Tuesday 00:05 in Shanghai
    done = {local_date(late, SH)}
    assert rules.status_on(TUE, 1, Span(date(2026, 1, 1)), done) == DONE
    assert rules.status_on(MON, 1, Span(date(2026, 1, 1)), done) == OVERDUE


def test_span_of_a_location_added_in_the_evening_starts_that_local_day():
    added = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # Wednesday 01:00 in Shanghai
    assert rules.span_of(added, None, SH).first == WED


def test_a_policy_period_longer_than_a_day():
    # key_location_patrol_days = 2: one round in the two-day period is enough.
    start, _ = rules.period_of(TUE, 2)
    assert rules.status_on(start + timedelta(days=1), 2, Span(date(2026, 1, 1)), {start}) == DONE


def test_remaining_counts_due_and_overdue():
    assert rules.remaining([DONE, DUE, OVERDUE, NOT_DUE, DUE]) == 3


def test_coverage_by_day_with_a_location_added_mid_week():
    spans = {1: Span(date(2026, 1, 1)), 2: Span(WED)}
    done = {1: {MON, WED}, 2: {WED}}
    cells = rules.coverage_by_day(MON, WED, 1, spans, done)
    assert [(c.day, c.due, c.done) for c in cells] == [(MON, 1, 1), (TUE, 1, 0), (WED, 2, 2)]
    assert cells[1].ratio == 0 and cells[2].ratio == 1


def test_missed_periods_are_only_closed_periods_while_active():
    span = Span(TUE)
    assert rules.period_counts(MON, SUN, 1, span, {WED}) == rules.PeriodCounts(done=1, missed=4, open=1)
    # weekly: the week in progress is never "missed"
    weekly = rules.period_counts(MON - timedelta(days=14), WED, 7, Span(date(2026, 1, 1)), {MON - timedelta(days=10)})
    assert (weekly.missed, weekly.open) == (1, 1)


def test_age_buckets_are_0_1_2_3_4_7_and_over_a_week():
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    ages = [now - timedelta(days=d, hours=h) for d, h in ((0, 0), (1, 23), (2, 0), (3, 5), (4, 0), (7, 23), (8, 0), (100, 0))]
    assert rules.age_buckets(ages, now) == [2, 2, 2, 2]
    assert rules.sum_counts([[1, 0, 2, 0], [0, 3, 0, 1]]) == [1, 3, 2, 1] and rules.sum_counts([]) == [0, 0, 0, 0]


def test_month_count_uses_the_local_month():
    assert rules.month_count([date(2026, 11, 1), date(2026, 11, 30), date(2026, 10, 31)], date(2026, 11, 15)) == 2


@pytest.mark.parametrize("due, done, open_, level", [
    (0, 0, False, "none"), (4, 0, False, "low"), (100, 49, False, "low"), (2, 1, False, "half"),
    (5, 4, False, "most"), (3, 3, False, "all"),
    (4, 0, True, "open"), (4, 3, True, "open"),  # today: still to do, not missed
    (3, 3, True, "all"), (0, 0, True, "none"),  # done is done, even before the day is over
])
def test_day_level(due, done, open_, level):
    assert rules.day_level(rules.DayCell(MON, due, done, open_)) == level


def test_today_is_in_progress_not_missed_until_the_estates_day_ends():
    """Issue 10.8: the heat-map painted today red at breakfast. A day's cell is open while its period runs:
    at 23:59 in Shanghai nothing done today is still to do; at 00:01 the next day it was missed (R-PAT-1)."""
    spans, done = {1: Span(date(2026, 1, 1))}, {1: {MON}}
    late = datetime(2026, 11, 24, 15, 59, tzinfo=UTC)  # Tuesday 23:59 in Shanghai
    after = late + timedelta(minutes=2)  # Wednesday 00:01
    tuesday = rules.coverage_by_day(MON, local_date(late, SH), 1, spans, done)[-1]
    assert (tuesday.day, tuesday.open, rules.day_level(tuesday)) == (TUE, True, "open")
    cells = rules.coverage_by_day(MON, local_date(after, SH), 1, spans, done)
    assert [(c.day, rules.day_level(c)) for c in cells] == [(MON, "all"), (TUE, "low"), (WED, "open")]
    # weekly periods (key_location_patrol_days = 7): every day of the running week is still open
    week = rules.coverage_by_day(MON, WED, 7, spans, {1: set()})
    assert [c.open for c in week] == [True, True, True]


def test_period_counts_split_done_missed_and_the_open_period():
    span = Span(date(2026, 1, 1))
    assert rules.period_counts(MON, WED, 1, span, {MON}) == rules.PeriodCounts(done=1, missed=1, open=1)
    assert rules.period_counts(MON, WED, 1, span, {MON, WED}) == rules.PeriodCounts(done=2, missed=1, open=0)
    assert rules.period_counts(MON, WED, 1, Span(WED + timedelta(days=1)), set()).total == 0  # not yet added
    weekly = rules.period_counts(MON - timedelta(days=14), WED, 7, span, {MON - timedelta(days=10)})
    assert weekly == rules.PeriodCounts(done=1, missed=1, open=1)
    assert weekly + weekly == rules.PeriodCounts(2, 2, 2) and weekly.total == 3


ITEMS = {
    10: {"item_id": 10, "code": "lighting", "kind": "lobby", "team": "engineering", "label_zh": "公共照明"},
    11: {"item_id": 11, "code": "access_control", "kind": "lobby", "team": "security", "label_zh": "门禁"},
    20: {"item_id": 20, "code": "lighting", "kind": "lobby", "team": "engineering", "label_zh": "公共照明"},  # v2
}


def test_findings_from_round_are_deterministic_and_routed():
    values = {"id": "r-1", "area_id": 3, "key_location_id": 7, "checks": [
        {"item_id": 10, "result": "ok"},
        {"item_id": 11, "result": "defect", "note": "门禁失灵", "photo_ids": ["p"], "resident_impact": True},
        {"item_id": 20, "result": "defect", "note": "灯不亮", "team": "security"},
    ]}
    found = rules.findings_from_round(values, ITEMS)
    assert [(f["team"], f["note"], f["resident_impact"]) for f in found] == [
        ("security", "门禁失灵", True), ("security", "灯不亮", False)]
    assert found[0]["id"] == rules.finding_id("r-1", 11) == rules.findings_from_round(values, ITEMS)[0]["id"]
    assert rules.finding_id("r-1", 11) != rules.finding_id("r-2", 11)


def test_round_errors():
    assert "checks" in rules.round_errors([], ITEMS)
    assert "Unknown" in rules.round_errors([{"item_id": 99, "result": "ok"}], ITEMS)["checks"][0]
    assert "once" in rules.round_errors([{"item_id": 10}, {"item_id": 10}], ITEMS)["checks"][0]
    assert rules.round_errors([{"item_id": 10, "result": "ok"}], ITEMS) == {}


@pytest.mark.parametrize("old, new, ok", [
    ("open", "assigned", True), ("open", "fixed", True), ("assigned", "fixed", True), ("fixed", "verified", True),
    ("fixed", "assigned", True), ("open", "verified", False), ("verified", "open", False), ("fixed", "fixed", True),
])
def test_finding_transitions(old, new, ok):
    assert rules.can_move(old, new) is ok


def test_compare_rounds_matches_items_by_code_across_versions():
    spot = [{"item_id": 20, "result": "defect", "note": "灯不亮"}, {"item_id": 11, "result": "ok"}]
    officer = [{"item_id": 10, "result": "ok"}, {"item_id": 11, "result": "ok"}]
    rows = rules.compare_rounds(spot, officer, ITEMS)
    assert [(r.label, r.mine, r.theirs, r.disagrees) for r in rows] == [
        ("公共照明", "defect", "ok", True), ("门禁", "ok", "ok", False)]
    assert not any(r.disagrees for r in rules.compare_rounds(spot, None, ITEMS))


def test_the_estates_time_zone_decides_the_day_and_the_week_of_a_round():
    # Sunday 2026-11-29 17:00 UTC: already Monday (the next week) in Shanghai, still Sunday in UTC.
    moment = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
    next_mon = MON + timedelta(days=7)
    in_sh, in_utc = local_date(moment, SH), local_date(moment, ZoneInfo("UTC"))
    assert (in_sh, in_utc) == (next_mon, SUN)
    always = Span(date(2026, 1, 1))
    assert rules.status_on(next_mon, 7, always, {in_sh}) == DONE  # counts for the new week in Shanghai
    assert rules.status_on(next_mon, 7, always, {in_utc}) == DUE  # in UTC it was last week's round
    assert rules.status_on(SUN, 7, always, {in_utc}) == DONE


# --------------------------------------------------------------------------- coverage per officer (R-PAT-1)

A, B = 1, 2  # officers
ALWAYS = Span(date(2026, 1, 1))


def test_holder_on_follows_the_approved_tables_day_by_day():
    holder = rules.holder_on([(MON, {10: A, 20: B}), (WED, {10: B, 20: B})])
    assert holder(10, MON - timedelta(days=1)) is None  # before the first table: nobody
    assert (holder(10, MON), holder(10, TUE), holder(10, WED), holder(10, SUN)) == (A, A, B, B)


def test_rounds_are_credited_to_who_did_them():
    """Officer A holds area 10 (locations 1, 2) Monday to Wednesday. On Monday A does both; on Tuesday
    B does location 1 (covering) and nobody does 2 (missed); A also patrols B's location 3."""
    holder = rules.holder_on([(MON, {10: A, 20: B})])
    locations = {1: (10, ALWAYS), 2: (10, ALWAYS), 3: (20, ALWAYS)}
    key = [(1, MON, A), (2, MON, A), (1, TUE, B), (3, TUE, A)]
    tally = rules.officer_tally(A, MON, WED, 1, 7, locations, {10: ALWAYS, 20: ALWAYS}, holder, key, [])
    assert [(c.day, c.due, c.done) for c in tally.cells] == [(MON, 2, 2), (TUE, 2, 0), (WED, 2, 0)]
    assert (tally.covered, tally.missed_key, tally.elsewhere) == (1, 1, 1)  # Wednesday is not over yet
    assert (tally.done_key, tally.open_key) == (2, 2)  # Monday's two by A; Wednesday's two still to do
    assert [c.open for c in tally.cells] == [False, False, True]
    other = rules.officer_tally(B, MON, WED, 1, 7, locations, {10: ALWAYS, 20: ALWAYS}, holder, key, [])
    assert [c.done for c in other.cells] == [0, 0, 0] and other.elsewhere == 1  # B's Tuesday round was in A's area
    # B's own location 3: nobody did Monday's (missed), A did Tuesday's (covered for B).
    assert (other.missed_key, other.covered) == (1, 1)


def test_a_handover_mid_week_moves_what_is_due():
    holder = rules.holder_on([(MON, {10: A}), (WED, {10: B})])
    locations = {1: (10, ALWAYS)}
    a = rules.officer_tally(A, MON, SUN, 1, 7, locations, {10: ALWAYS}, holder, [], [(10, TUE, A)])
    b = rules.officer_tally(B, MON, SUN, 1, 7, locations, {10: ALWAYS}, holder, [], [(10, TUE, A)])
    assert sum(c.due for c in a.cells) == 2 and sum(c.due for c in b.cells) == 5
    assert (a.full_due, a.full_done) == (1, 1)  # the week is counted for who held the area when it began
    assert (b.full_due, b.full_done) == (0, 0)


def test_a_missed_week_of_full_rounds_is_counted_for_the_holder_once_the_week_is_over():
    holder = rules.holder_on([(MON - timedelta(days=7), {10: A})])
    tally = rules.officer_tally(A, MON - timedelta(days=7), WED, 1, 7, {}, {10: ALWAYS}, holder, [],
                                [(10, TUE, B)])
    assert (tally.full_due, tally.full_done, tally.full_covered, tally.missed_full) == (2, 0, 1, 1)


# --------------------------------------------------------------------------- which checklist a key location gets (R-PAT-2)


def test_a_locations_own_checklist_wins_over_its_types_which_wins_over_the_default():
    assert rules.location_templates(7, "other", {}) == ("corridor_stairs",)
    assert rules.location_templates(7, "lobby", {("kind", "lobby"): "lift"}) == ("lift",)
    assert rules.location_templates(7, "lobby", {("kind", "lobby"): "lift", 7: "roof"}) == ("roof",)
    assert rules.location_templates(8, "lobby", {("kind", "lobby"): "lift", 7: "roof"}) == ("lift",)


def test_a_round_from_a_form_cached_before_the_choice_changed_is_still_accepted():
    accepted = rules.plausible_templates(7, "other", {7: "roof"})
    assert accepted[0] == "roof" and "corridor_stairs" in accepted  # its own, then what its type gave
    assert rules.plausible_templates(7, "lobby", {("kind", "lobby"): "lift", 7: "roof"}) == ("roof", "lift", "lobby")


@pytest.mark.parametrize("raw, expected", [
    ("2026-11-30T16:20:00+08:00", datetime(2026, 11, 30, 8, 20, tzinfo=UTC)),
    ("2026-11-30T16:20:00", None),  # no offset: not a phone's stamp
    ("yesterday", None), ("", None), (None, None),
])
def test_parse_aware(raw, expected):
    assert rules.parse_aware(raw) == expected

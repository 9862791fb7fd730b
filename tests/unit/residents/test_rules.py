"""Visit quotas (R-VIS-1, R-VIS-2, R-VIS-4), case due dates and life (R-REQ-1), the desk's sample (R-SUP-2)."""

from __future__ import annotations

from datetime import date

import pytest

from webapp.policies.catalogue import BY_KEY
from webapp.residents import rules
from webapp.residents.models import CaseStatus, CaseType

QUOTA = rules.Quota(monthly_pct=3, coverage_pct=36, phone_max_pct=30)
DUE = {f"case_due_days_{kind}": days for kind, days in {
    "complaint": 3, "suggestion": 7, "inquiry": 2, "challenge": 3, "help": 1, "repair": 7, "dispute": 7,
    "violation": 7}.items()}


def households(n: int, since: date | None = None, start: int = 1) -> list[rules.HouseholdFact]:
    return [rules.HouseholdFact(i, since) for i in range(start, start + n)]


def home(household: int, on: date, vid: str = "") -> rules.VisitFact:
    return rules.VisitFact(household, "home", on, vid or f"h{household}{on}")


def phone(household: int, on: date, vid: str = "") -> rules.VisitFact:
    return rules.VisitFact(household, "phone", on, vid or f"p{household}{on}")


def test_three_percent_of_213_households_is_seven_visits_rounded_up():
    assert rules.required(213, 3) == 7  # 6.39 → 7: a quota is met only by whole visits
    assert rules.required(200, 3) == 6  # exact: no rounding up past it
    assert rules.month_progress([], households(213), 2026, 5, QUOTA) == rules.Progress(0, 7)


def test_a_month_counts_its_own_visits_only_across_a_month_boundary():
    book = households(100)  # 3 a month
    visits = [home(1, date(2026, 1, 31)), home(2, date(2026, 2, 1)), home(3, date(2026, 2, 28)),
              home(4, date(2026, 3, 1))]
    assert rules.month_progress(visits, book, 2026, 1, QUOTA).done == 1
    assert rules.month_progress(visits, book, 2026, 2, QUOTA).done == 2
    assert rules.month_progress(visits, book, 2026, 2, QUOTA).behind


def test_a_year_counts_its_own_visits_only_across_a_year_boundary():
    book = households(100)  # 36 a year
    visits = [home(1, date(2025, 12, 31)), home(2, date(2026, 1, 1)), home(3, date(2026, 12, 31)),
              home(4, date(2027, 1, 1))]
    assert rules.year_progress(visits, book, 2026, QUOTA) == rules.Progress(2, 36)
    assert rules.year_progress(visits, book, 2025, QUOTA).done == 1
    # December and the next January are different years and different months
    assert rules.month_progress(visits, book, 2026, 12, QUOTA).done == 1
    assert rules.month_progress(visits, book, 2027, 1, QUOTA).done == 1


def test_a_household_visited_twice_counts_once_for_coverage():
    book = households(100)
    visits = [home(7, date(2026, 3, 2)), home(7, date(2026, 3, 20)), home(7, date(2026, 9, 1))]
    assert rules.year_progress(visits, book, 2026, QUOTA).done == 1
    assert rules.month_progress(visits, book, 2026, 3, QUOTA).done == 1


def test_households_added_mid_year_count_from_their_month_on():
    book = households(100) + households(50, since=date(2026, 7, 15), start=101)
    # before they moved in, the base is 100 households; from July on it is 150
    assert rules.month_progress([], book, 2026, 6, QUOTA).required == 3
    assert rules.month_progress([], book, 2026, 7, QUOTA).required == 5  # 4.5 → 5
    assert rules.year_progress([], book, 2026, QUOTA).required == 54  # 36 % of 150
    # in the year they moved in; the year before knows nothing of them
    assert rules.year_progress([], book, 2025, QUOTA).required == 36
    visits = [home(120, date(2026, 8, 3))]
    assert rules.year_progress(visits, book, 2026, QUOTA).done == 1


def test_phone_visits_past_the_cap_do_not_count():
    book = households(100)  # 36 required a year → at most 10 phone visits count (30 % of 36 = 10.8)
    assert rules.phone_cap(book, 2026, QUOTA) == 10
    phones = [phone(i, date(2026, 1 + i // 10, 1 + i % 10)) for i in range(1, 14)]  # 13 phone visits
    visits = phones + [home(50, date(2026, 2, 5))]
    assert rules.year_progress(visits, book, 2026, QUOTA).done == 11  # 10 phones + 1 home visit
    assert rules.phone_progress(visits, book, 2026, QUOTA) == rules.Progress(13, 10)
    # the later ones are the ones that do not count: households 11…13 were phoned last (February)
    kept = {v.household_id for v in rules.counted(visits, 2026, 10)}
    assert kept == set(range(1, 11)) | {50}
    # a home visit is never capped
    homes = [home(i, date(2026, 3, 1)) for i in range(60, 80)]
    assert len(rules.counted(homes, 2026, 0)) == 20


def test_the_cap_is_the_years_not_the_months():
    book = households(100)
    december = [phone(i, date(2025, 12, 1 + i)) for i in range(10)]
    january = [phone(20, date(2026, 1, 5))]
    # ten phone visits last year leave this year's cap untouched
    assert rules.month_progress(december + january, book, 2026, 1, QUOTA).done == 1


def test_the_visit_plan_lists_households_not_visited_this_year():
    book = households(5)
    visits = [home(1, date(2026, 2, 1)), phone(3, date(2026, 4, 1)), home(4, date(2025, 11, 1))]
    assert rules.unvisited(book, visits, 2026) == [2, 4, 5]


# --------------------------------------------------------------------------- cases


def test_a_case_is_due_its_types_days_after_it_was_received():
    received = date(2026, 2, 27)
    assert rules.due_on(CaseType.REPAIR, received, DUE) == date(2026, 3, 6)  # across February's end
    assert rules.due_on("help", received, DUE) == date(2026, 2, 28)
    with pytest.raises(ValueError):
        rules.due_on("gossip", received, DUE)


def test_only_open_cases_past_their_day_are_overdue():
    today = date(2026, 3, 10)
    assert rules.overdue(CaseStatus.IN_PROGRESS, date(2026, 3, 9), today)
    assert not rules.overdue(CaseStatus.IN_PROGRESS, date(2026, 3, 10), today)
    assert not rules.overdue(CaseStatus.RESOLVED, date(2026, 3, 1), today)


@pytest.mark.parametrize(("old", "new", "allowed"), [
    ("received", "assigned", True), ("assigned", "in_progress", True), ("in_progress", "resolved", True),
    ("resolved", "closed", True), ("closed", "in_progress", True), ("resolved", "in_progress", True),
    ("closed", "received", False), ("received", "closed", False), ("assigned", "received", False),
    ("in_progress", "in_progress", True),
])
def test_the_cases_life(old, new, allowed):
    assert rules.can_move(old, new) is allowed


def test_each_opinion_of_a_visit_is_a_case_with_an_id_of_its_own_and_the_same_on_replay():
    visit = {"id": "5b1f3a64-0d4c-4c4e-9b8a-2f0e7f1c9d11", "area_id": 3, "household_id": 9, "opinions": [
        {"type": "repair", "text": "厨房漏水", "warranty": True},
        {"type": "complaint", "text": "楼上噪音", "warranty": True, "escalate": True}]}
    cases = rules.cases_from_visit(visit, date(2026, 5, 4), DUE)
    assert [c["type"] for c in cases] == ["repair", "complaint"]
    assert len({c["id"] for c in cases}) == 2
    assert cases == rules.cases_from_visit(dict(visit), date(2026, 5, 4), DUE)
    assert [c["warranty"] for c in cases] == [True, False]  # only a repair goes to the developer's warranty
    assert [c["escalated"] for c in cases] == [False, True]
    assert cases[1]["due_on"] == "2026-05-07"


# --------------------------------------------------------------------------- the front desk's check (R-SUP-2)


def test_the_sample_is_at_least_its_share_of_every_officers_visits():
    visits = {1: [f"a{i}" for i in range(23)], 2: [f"b{i}" for i in range(5)], 3: []}
    drawn = rules.verification_sample(visits, 10, "JXHY:2026-05")
    assert {k: len(v) for k, v in drawn.items()} == {1: 3, 2: 1, 3: 0}  # 2.3 → 3, 0.5 → 1
    assert set(drawn[1]) <= set(visits[1])


def test_the_sample_is_the_same_draw_for_the_same_month_whatever_the_order():
    visits = {1: [f"a{i}" for i in range(40)]}
    first = rules.verification_sample(visits, 10, "JXHY:2026-05")
    again = rules.verification_sample({1: list(reversed(visits[1]))}, 10, "JXHY:2026-05")
    assert first == again
    others = {rules.verification_sample(visits, 10, f"JXHY:2026-{m:02d}")[1][0] for m in range(1, 13)}
    assert len(others) > 1  # another month, another draw


def test_every_figure_is_an_estate_policy():
    wanted = {*rules.QUOTA_POLICIES, *rules.DUE_POLICIES.values(), rules.SAMPLE_POLICY}
    assert wanted <= set(BY_KEY)
    assert rules.Quota.of({k: BY_KEY[k].default for k in rules.QUOTA_POLICIES}) == QUOTA


def test_the_years_pace_spreads_the_coverage_over_the_months():
    assert rules.year_pace(rules.Progress(0, 66), 6) == 33
    assert rules.year_pace(rules.Progress(0, 67), 1) == 6  # 5.58 → 6
    assert rules.year_pace(rules.Progress(0, 67), 12) == 67

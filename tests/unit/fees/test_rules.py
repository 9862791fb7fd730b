"""Chase cadences and thresholds (R-FEE-3, R-FEE-4, R-FEE-5), list dates (R-FEE-1)."""

from datetime import date
from types import SimpleNamespace

from webapp.fees import rules
from webapp.fees.rules import AttemptFact, Cadence, Debtor, Due
from webapp.policies.catalogue import BY_KEY

DEFAULTS = Cadence.of({key: BY_KEY[key].default for key in rules.CADENCE_POLICIES})
AS_OF = date(2026, 11, 1)


def debtor(months=8, **kw) -> Debtor:
    return Debtor(unit_id=1, household_id=2, months_owed=months, amount_fen=500_00, as_of=AS_OF, **kw)


def phone(day, outcome="not_reached"):
    return AttemptFact(day, "phone", outcome)


def visit(day, outcome="nobody_home"):
    return AttemptFact(day, "visit", outcome)


def test_the_defaults_are_the_procedures():
    assert Cadence(6, 1, 2, 1, 15) == DEFAULTS
    assert DEFAULTS.phone_days == 7
    assert BY_KEY[rules.LIST_DUE_POLICY].default == 10


def test_long_term_means_over_the_policy_months():
    assert not rules.is_long_term(6, DEFAULTS)
    assert rules.is_long_term(7, DEFAULTS)
    assert rules.is_long_term(4, Cadence(3, 1, 2, 1, 15))


def test_a_debtor_of_six_months_has_no_cadence_in_a_residential_estate():
    assert rules.chases_due(debtor(6), [], DEFAULTS, date(2026, 11, 20)) == []


def test_a_long_term_debtor_is_phoned_every_week_from_the_last_phone_chase():
    today = date(2026, 11, 20)
    due = rules.chases_due(debtor(), [], DEFAULTS, today)
    assert Due("phone", date(2026, 11, 8)) in due  # never phoned: a week after the list
    due = rules.chases_due(debtor(), [phone(date(2026, 11, 18)), visit(date(2026, 11, 19))], DEFAULTS, today)
    assert Due("phone", date(2026, 11, 25)) in due  # a visit is not a phone chase
    twice = Cadence(6, 2, 2, 1, 15)
    assert Due("phone", date(2026, 11, 21)) in rules.chases_due(debtor(), [phone(date(2026, 11, 18))], twice, today)


def test_no_phone_chase_for_a_household_without_a_number_and_no_visit_to_a_vacant_unit():
    today = date(2026, 11, 20)
    assert [d.kind for d in rules.chases_due(debtor(has_phone=False), [], DEFAULTS, today)] == ["visit"]
    assert [d.kind for d in rules.chases_due(debtor(occupied=False), [], DEFAULTS, today)] == ["phone"]


def test_two_visits_a_month_by_the_15th_and_by_the_months_end():
    kinds = lambda attempts, today: {d.kind: d.on for d in rules.chases_due(debtor(), attempts, DEFAULTS, today)}  # noqa: E731
    assert kinds([], date(2026, 11, 3))["visit"] == date(2026, 11, 15)
    assert kinds([visit(date(2026, 11, 3))], date(2026, 11, 3))["visit"] == date(2026, 11, 30)
    both = [visit(date(2026, 11, 3)), visit(date(2026, 11, 20), "promised")]
    assert kinds(both, date(2026, 11, 21))["visit"] == date(2026, 12, 16)  # December: 31 days / 2


def test_month_boundaries_a_visit_on_the_last_evening_counts_for_its_own_month_only():
    last_of_january = [visit(date(2027, 1, 31)), visit(date(2027, 1, 31))]
    on = {d.kind: d.on for d in rules.chases_due(debtor(), last_of_january, DEFAULTS, date(2027, 2, 1))}
    assert on["visit"] == date(2027, 2, 14)  # February starts at none made: 28 days / 2
    assert rules.visit_due(0, 2, date(2028, 2, 1)) == date(2028, 2, 15)  # leap year: 29 / 2, rounded up
    assert rules.month_key(date(2026, 12, 31)) == "2026-12"
    assert rules.next_month(date(2026, 12, 31)) == date(2027, 1, 1)
    assert rules.month_start("2027-01") == date(2027, 1, 1)


def test_mall_customers_over_a_month_behind_are_followed_every_15_days_by_any_means():
    today = date(2026, 11, 20)
    assert rules.chases_due(debtor(1), [], DEFAULTS, today, mall=True) == []
    assert rules.chases_due(debtor(2), [], DEFAULTS, today, mall=True) == [Due("follow_up", date(2026, 11, 16))]
    notice = AttemptFact(date(2026, 11, 10), "notice", "not_reached")
    assert rules.chases_due(debtor(9), [notice], DEFAULTS, today, mall=True) == [Due("follow_up", date(2026, 11, 25))]


def test_overdue_is_after_the_due_day():
    due = Due("phone", date(2026, 11, 8))
    assert not due.overdue(date(2026, 11, 8))
    assert due.overdue(date(2026, 11, 9))


def test_a_household_that_paid_leaves_the_chases_and_the_next_list():
    today = date(2026, 11, 20)
    assert rules.chases_due(debtor(), [phone(date(2026, 11, 12), "paid")], DEFAULTS, today) == []
    assert rules.chases_due(debtor(), [phone(date(2026, 10, 28), "paid")], DEFAULTS, today) != []  # before this list
    october = [debtor(), Debtor(3, None, 8, 100_00, AS_OF)]
    november = [Debtor(3, None, 9, 130_00, AS_OF)]
    assert rules.left_the_list(october, november) == {(1, 2)}


def test_a_list_is_one_debtor_per_household_most_months_and_summed_amounts():
    rows = [SimpleNamespace(unit_id=1, household_id=2, months_owed=8, amount_fen=300_00, as_of=AS_OF),
            SimpleNamespace(unit_id=1, household_id=2, months_owed=3, amount_fen=45_50, as_of=AS_OF),
            SimpleNamespace(unit_id=1, household_id=None, months_owed=2, amount_fen=10_00, as_of=AS_OF)]
    found = {(d.unit_id, d.household_id): d for d in rules.aggregate(rows)}
    assert (found[(1, 2)].months_owed, found[(1, 2)].amount_fen) == (8, 345_50)
    assert found[(1, None)].amount_fen == 10_00


def test_the_list_is_due_by_the_policy_day_and_recovery_is_a_share_of_the_months_start():
    assert rules.list_due_on(date(2026, 11, 3), 10) == date(2026, 11, 10)
    assert rules.list_due_on(date(2027, 2, 3), 28) == date(2027, 2, 28)
    assert rules.recovery_pct(1000_00, 250_00) == 25
    assert rules.recovery_pct(0, 0) is None


def test_recovery_counts_who_left_the_list_and_who_owes_less_not_who_fell_further_behind():
    before = [Debtor(1, 1, 8, 800_00, AS_OF), Debtor(2, 2, 3, 300_00, AS_OF), Debtor(3, 3, 2, 200_00, AS_OF)]
    after = [Debtor(2, 2, 2, 200_00, AS_OF), Debtor(3, 3, 3, 300_00, AS_OF), Debtor(4, 4, 1, 100_00, AS_OF)]
    recovered = rules.recovered_fen(before, after)
    assert recovered == 800_00 + 100_00  # 1 paid up, 2 paid a month; 3 fell behind, 4 is new
    assert rules.recovery_pct(sum(d.amount_fen for d in before), recovered) == 69

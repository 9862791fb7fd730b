"""Arrears chases as plain functions of plain values, every figure an estate policy.

- A debtor is a unit (or one household of it) on the month's list; its months behind are the most of
  any fee type, its amount the sum. Over `long_term_arrears_months` (6: "over six months") it is
  long-term (R-FEE-3).
- Long-term, in a residential estate (R-FEE-4): a phone chase every 7 / `long_term_phone_chases_per_week`
  days when the household can be phoned (it has a number), counted from the last phone chase, else from
  the list's date; `long_term_visits_per_month` visits a month when someone lives there (the unit is not
  vacant), spread over the month — the 1st of 2 is due by the 15th, the 2nd by the month's last day. A
  visit counts whatever came of it: the officer went.
- In a mall (R-FEE-5): a customer over `mall_arrears_threshold_months` behind is followed up, by any
  means, every `mall_arrears_followup_days` days.
- A debtor whose chase records a payment on or after the list's date has left this month's chases; a
  debtor missing from the next month's list has left the list.
- Finance's list is due by the `arrears_list_due_day` of each month (R-FEE-1).
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .models import ChaseMethod, ChaseOutcome

CADENCE_POLICIES = ("long_term_arrears_months", "long_term_phone_chases_per_week", "long_term_visits_per_month",
                    "mall_arrears_threshold_months", "mall_arrears_followup_days")
LIST_DUE_POLICY = "arrears_list_due_day"
PHONE, VISIT, FOLLOW_UP = "phone", "visit", "follow_up"


@dataclass(frozen=True)
class Cadence:
    long_term_months: int
    phones_per_week: int
    visits_per_month: int
    mall_months: int
    mall_days: int

    @classmethod
    def of(cls, values: Mapping[str, int]) -> Cadence:
        return cls(*(values[key] for key in CADENCE_POLICIES))

    @property
    def phone_days(self) -> int:
        return max(1, 7 // self.phones_per_week) if self.phones_per_week else 0


@dataclass(frozen=True)
class Debtor:
    unit_id: int
    household_id: int | None
    months_owed: int
    amount_fen: int
    as_of: date
    has_phone: bool = True
    occupied: bool = True


@dataclass(frozen=True)
class AttemptFact:
    on: date  # the estate's local date
    method: str
    outcome: str


@dataclass(frozen=True)
class Due:
    kind: str  # PHONE, VISIT or FOLLOW_UP
    on: date

    def overdue(self, today: date) -> bool:
        return self.on < today


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_start(key: str) -> date:
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    return month_end(day) + timedelta(days=1)


def is_long_term(months_owed: int, cadence: Cadence) -> bool:
    return months_owed > cadence.long_term_months


def is_mall_followed(months_owed: int, cadence: Cadence, mall: bool) -> bool:
    return mall and months_owed > cadence.mall_months


def aggregate(rows: Iterable) -> list[Debtor]:
    """One debtor per (unit, household) of a list's rows (any objects with unit_id, household_id,
    months_owed, amount_fen, as_of): the most months behind of any fee type, the amounts summed."""
    found: dict[tuple, Debtor] = {}
    for row in rows:
        key = (row.unit_id, row.household_id)
        known = found.get(key)
        found[key] = Debtor(row.unit_id, row.household_id, max(row.months_owed, known.months_owed if known else 0),
                            row.amount_fen + (known.amount_fen if known else 0),
                            min(row.as_of, known.as_of) if known else row.as_of)
    return list(found.values())


def paid(attempts: Iterable[AttemptFact], as_of: date) -> bool:
    """A chase on or after the list's date found the arrears paid: off this month's chases."""
    return any(a.outcome == ChaseOutcome.PAID and a.on >= as_of for a in attempts)


def _last(attempts: Iterable[AttemptFact], methods: set[str] | None = None) -> date | None:
    days = [a.on for a in attempts if methods is None or a.method in methods]
    return max(days, default=None)


def visit_due(made_this_month: int, per_month: int, today: date) -> date:
    """When the next of `per_month` visits is due: the i-th by day ⌈i × days-in-month / per_month⌉;
    once the month's visits are made, the first of next month's."""
    if made_this_month >= per_month:
        start = next_month(today)
        return start.replace(day=math.ceil(calendar.monthrange(start.year, start.month)[1] / per_month))
    days = calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=math.ceil((made_this_month + 1) * days / per_month))


def chases_due(debtor: Debtor, attempts: Sequence[AttemptFact], cadence: Cadence, today: date,
               mall: bool = False) -> list[Due]:
    """The next chase of each kind this debtor's class needs, soonest first (none once it has paid)."""
    if paid(attempts, debtor.as_of):
        return []
    due = []
    if is_mall_followed(debtor.months_owed, cadence, mall):
        due.append(Due(FOLLOW_UP, (_last(attempts) or debtor.as_of) + timedelta(days=cadence.mall_days)))
    elif not mall and is_long_term(debtor.months_owed, cadence):
        if debtor.has_phone and cadence.phone_days:
            last = _last(attempts, {ChaseMethod.PHONE})
            due.append(Due(PHONE, (last or debtor.as_of) + timedelta(days=cadence.phone_days)))
        if debtor.occupied and cadence.visits_per_month:
            made = sum(1 for a in attempts if a.method == ChaseMethod.VISIT
                       and (a.on.year, a.on.month) == (today.year, today.month))
            due.append(Due(VISIT, visit_due(made, cadence.visits_per_month, today)))
    return sorted(due, key=lambda d: d.on)


def list_due_on(today: date, due_day: int) -> date:
    """This month's list is due by its `arrears_list_due_day` (上旬: the 10th)."""
    return today.replace(day=min(due_day, calendar.monthrange(today.year, today.month)[1]))


def left_the_list(before: Iterable[Debtor], after: Iterable[Debtor]) -> set[tuple]:
    """The (unit, household) on one month's list and not on the next: they paid up."""
    return {(d.unit_id, d.household_id) for d in before} - {(d.unit_id, d.household_id) for d in after}


def recovery_pct(owed_at_start_fen: int, recovered_fen: int) -> int | None:
    """Recovered this month as a whole percentage of what was owed at its start (None: nothing owed)."""
    return round(100 * recovered_fen / owed_at_start_fen) if owed_at_start_fen else None


def yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def by_month(rows: Iterable) -> list[tuple[str, list, int]]:
    """(month, its lines, their total in fen) newest first, of lines already sorted by month, newest first."""
    months: dict[str, list] = {}
    for row in rows:
        months.setdefault(row.arrears_list.month, []).append(row)
    return [(month, lines, sum(r.amount_fen for r in lines)) for month, lines in months.items()]


def owed_since(as_of: date, months_owed: int) -> str:
    """The first month owed: a list of 2026-11-01 with 8 months owed → 2026-03."""
    index = as_of.year * 12 + as_of.month - 1 - months_owed
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def recovered_fen(before: Iterable[Debtor], after: Iterable[Debtor]) -> int:
    """What a month's debtors paid by the next month's list: all of it when they left the list, the drop
    when they owe fewer months than before; nothing when they fell further behind."""
    later = {(d.unit_id, d.household_id): d for d in after}
    total = 0
    for debtor in before:
        next_one = later.get((debtor.unit_id, debtor.household_id))
        if next_one is None:
            total += debtor.amount_fen
        elif next_one.months_owed <= debtor.months_owed:
            total += max(0, debtor.amount_fen - next_one.amount_fen)
    return total

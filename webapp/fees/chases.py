"""The officer's chase list: who owes what and since when, the last chase and the next one due by its
cadence (R-FEE-2, R-FEE-4, R-FEE-5) — the latest list of each estate joined with the chases recorded since,
in a handful of reads whatever the number of debtors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..estate.public import Household, Unit
from ..kernel.dates import day_start_utc, local_date
from ..policies.public import policies
from . import queries, rules
from .models import Arrear, ChaseAttempt

LOOK_BACK_DAYS = 100  # chases older than this move no cadence (the longest, a mall's follow-up, is ≤ 90 days)


@dataclass
class ChaseRow:
    area_id: int
    unit: Unit
    household: Household | None
    months_owed: int
    amount_fen: int
    as_of: date
    fee_types: list[str]
    long_term: bool
    attempts: list[ChaseAttempt] = field(default_factory=list)
    due: list[rules.Due] = field(default_factory=list)
    paid: bool = False

    @property
    def phone(self) -> str | None:
        people = [self.household] if self.household else self.unit.households
        return next((h.phone for h in people if h and h.phone), None)

    @property
    def name(self) -> str:
        if self.household:
            return self.household.name
        return "、".join(h.name for h in self.unit.households) or "—"

    @property
    def last(self) -> ChaseAttempt | None:
        return self.attempts[0] if self.attempts else None

    @property
    def since(self) -> str:
        return rules.owed_since(self.as_of, self.months_owed)

    def overdue(self, today: date) -> bool:
        return any(d.overdue(today) for d in self.due)


def chase_rows(estate, areas: list, today: date, zone) -> list[ChaseRow]:
    """The debtors of the estate's areas given on its latest list, most overdue first, then the longest behind."""
    areas = [a for a in areas if a.estate_id == estate.id]
    since = day_start_utc(today - timedelta(days=LOOK_BACK_DAYS), zone)
    lines = queries.latest_debts(estate.id, [a.id for a in areas], since) if areas else []
    cadence = rules.Cadence.of(policies(estate.id))
    rows = []
    for key, group in _debtors(lines).items():
        debtor, row = _row(key, group, cadence)
        row.attempts = list(group[0].attempts)
        facts = [rules.AttemptFact(local_date(a.observed_at, zone), a.method, a.outcome) for a in row.attempts]
        row.paid = rules.paid(facts, debtor.as_of)
        row.due = rules.chases_due(debtor, facts, cadence, today, mall=estate.kind == "mall")
        rows.append(row)
    return sorted(rows, key=lambda r: (not r.overdue(today), r.due[0].on if r.due else date.max, -r.months_owed))


def _debtors(lines: list[Arrear]) -> dict[tuple, list[Arrear]]:
    found: dict[tuple, list[Arrear]] = {}
    for line in lines:
        found.setdefault((line.unit_id, line.household_id), []).append(line)
    return found


def _row(key, group: list[Arrear], cadence: rules.Cadence) -> tuple[rules.Debtor, ChaseRow]:
    (debtor,) = rules.aggregate(group)
    unit, household = group[0].unit, group[0].household
    debtor = rules.Debtor(debtor.unit_id, debtor.household_id, debtor.months_owed, debtor.amount_fen, debtor.as_of,
                          has_phone=bool((household.phone if household else None) or any(h.phone for h in unit.households)),
                          occupied=unit.occupancy != "vacant")
    return debtor, ChaseRow(group[0].area_id, unit, household, debtor.months_owed, debtor.amount_fen, debtor.as_of,
                            [line.fee_type_label for line in group], rules.is_long_term(debtor.months_owed, cadence))

"""The monthly long-term arrears table 长期欠费业户情况统计表 (R-FEE-3): per area, the households of the
month's list over `long_term_arrears_months` behind, what they owe, and the month's chases and what came of
them; checked against finance's books (who confirmed it and when) and then the supervisor's."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from ..kernel.dates import day_start_utc
from ..policies.public import policy
from . import queries, rules
from .models import ArrearsList, ChaseAttempt


@dataclass
class LongTermRow:
    unit_label: str
    name: str
    months_owed: int
    amount_fen: int
    attempts: list[ChaseAttempt] = field(default_factory=list)

    @property
    def tally(self) -> Counter:
        return Counter(a.method_label for a in self.attempts)

    @property
    def outcome(self) -> str:
        last = self.attempts[0] if self.attempts else None
        return last.outcome_label if last else ""

    @property
    def promise(self) -> ChaseAttempt | None:
        return next((a for a in self.attempts if a.promised_on), None)


@dataclass
class AreaTable:
    area: object
    rows: list[LongTermRow]

    @property
    def amount_fen(self) -> int:
        return sum(r.amount_fen for r in self.rows)


def table(arrears_list: ArrearsList, areas: list, zone) -> list[AreaTable]:
    """Each of the areas with its long-term households of the list's month, the longest behind first."""
    threshold = policy(arrears_list.estate_id, "long_term_arrears_months")
    start = rules.month_start(arrears_list.month)
    since, until = day_start_utc(start, zone), day_start_utc(rules.month_end(start) + timedelta(days=1), zone)
    lines = queries.rows_of(arrears_list.id, [a.id for a in areas])
    debtors: dict[tuple, LongTermRow] = {}
    area_of: dict[tuple, int] = {}
    for line in lines:
        key = (line.unit_id, line.household_id)
        row = debtors.setdefault(key, LongTermRow(line.unit.label, line.household.name if line.household else "—", 0, 0))
        row.months_owed, row.amount_fen = max(row.months_owed, line.months_owed), row.amount_fen + line.amount_fen
        area_of[key] = line.area_id
    chosen = {k: r for k, r in debtors.items() if r.months_owed > threshold}  # over six months
    by_unit: dict[int, list[ChaseAttempt]] = {}
    for attempt in queries.attempts_between([a.id for a in areas], since, until):
        by_unit.setdefault(attempt.unit_id, []).append(attempt)
    for (unit_id, _household), row in chosen.items():
        row.attempts = by_unit.get(unit_id, [])
    return [AreaTable(area, sorted((r for k, r in chosen.items() if area_of[k] == area.id),
                                   key=lambda r: (-r.months_owed, -r.amount_fen)))
            for area in areas]

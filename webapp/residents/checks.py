"""The front desk's monthly check of the visits (R-SUP-2): the month's sample, drawn at random but the same
draw for the same month and visits, at least the policy's share of every officer's visits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..estate.public import Estate
from ..kernel.dates import tz
from ..policies.public import policy
from . import queries, rules
from .models import Visit


@dataclass(frozen=True)
class OfficerSample:
    officer_id: int
    total: int
    visits: list[Visit]


def month_of(text: str | None, today: date) -> tuple[int, int]:
    """"2026-11" → (2026, 11); anything else → last month (the month the desk checks)."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def sample(estate: Estate, area_ids: list[int], year: int, month: int) -> list[OfficerSample]:
    visits = queries.month_visits(area_ids, year, month, tz())
    by_officer: dict[int, list[Visit]] = {}
    for visit in visits:
        by_officer.setdefault(visit.created_by, []).append(visit)
    drawn = rules.verification_sample({k: [v.id for v in vs] for k, vs in by_officer.items()},
                                      policy(estate.id, rules.SAMPLE_POLICY), f"{estate.code}:{year}-{month:02d}")
    by_id = {v.id: v for v in visits}
    return [OfficerSample(officer, len(by_officer[officer]),
                          sorted((by_id[i] for i in ids), key=lambda v: v.visited_at))
            for officer, ids in drawn.items()]

"""Visit quotas, case due dates and the case's life, as plain functions of plain values.

Quotas (R-VIS-1, R-VIS-2, R-VIS-4), every figure an estate policy:
- a month: distinct households visited in it, against `monthly_visit_pct` of the households on the books
  by the month's end, rounded up (3 % of 213 households is 7 visits, not 6);
- a year: distinct households visited in it (a household visited twice counts once), against
  `yearly_visit_coverage_pct` of the households on the books by the year's end — the year's required
  visits;
- phone visits replace home visits when nobody is home, but a year's phone visits count only up to
  `phone_visit_max_pct` of the year's required visits, rounded down ("at most"): the later ones, in the
  order they were made, do not count.
A household on the books from a date (it moved in mid-year) counts from that month on.
"""

from __future__ import annotations

import calendar
import random
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .models import CaseSource, CaseStatus, CaseType, Urgency, VisitKind

CASE_NAMESPACE = uuid.UUID("8d3c1f52-6b0e-4d0a-9a57-2f1e6c1b7a41")
QUOTA_POLICIES = ("monthly_visit_pct", "yearly_visit_coverage_pct", "phone_visit_max_pct")
DUE_POLICIES = {t: f"case_due_days_{t.value}" for t in CaseType}  # R-REQ-1: a due date per type
SAMPLE_POLICY = "visit_verification_sample_pct"  # R-SUP-2


@dataclass(frozen=True)
class Quota:
    monthly_pct: int
    coverage_pct: int
    phone_max_pct: int

    @classmethod
    def of(cls, values: Mapping[str, int]) -> Quota:
        return cls(*(values[key] for key in QUOTA_POLICIES))


@dataclass(frozen=True)
class HouseholdFact:
    id: int
    since: date | None = None  # on the books from (None: always)


@dataclass(frozen=True)
class VisitFact:
    """A visit that took place (a home visit nobody answered is none), on the estate's local date."""

    household_id: int
    kind: str
    on: date
    id: str = ""


@dataclass(frozen=True)
class Progress:
    done: int
    required: int

    @property
    def behind(self) -> bool:
        return self.done < self.required

    @property
    def missing(self) -> int:
        return max(self.required - self.done, 0)


def required(count: int, pct: int) -> int:
    """pct % of count, rounded up: a quota is met only by whole visits (exact integer arithmetic)."""
    return -(-count * pct // 100)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def households_on(households: Iterable[HouseholdFact], day: date) -> int:
    return sum(1 for h in households if h.since is None or h.since <= day)


def year_required(households: Sequence[HouseholdFact], year: int, quota: Quota) -> int:
    return required(households_on(households, date(year, 12, 31)), quota.coverage_pct)


def phone_cap(households: Sequence[HouseholdFact], year: int, quota: Quota) -> int:
    """The year's phone visits that count, at most (R-VIS-4)."""
    return year_required(households, year, quota) * quota.phone_max_pct // 100


def counted(visits: Iterable[VisitFact], year: int, cap: int) -> list[VisitFact]:
    """The year's visits that count: every home visit, phone visits up to the cap in date order."""
    kept, phones = [], 0
    for visit in sorted((v for v in visits if v.on.year == year), key=lambda v: (v.on, v.id)):
        if visit.kind == VisitKind.PHONE:
            phones += 1
            if phones > cap:
                continue
        kept.append(visit)
    return kept


def month_progress(visits: Iterable[VisitFact], households: Sequence[HouseholdFact], year: int, month: int,
                   quota: Quota) -> Progress:
    """R-VIS-1: distinct households visited in the month against the month's share."""
    kept = counted(visits, year, phone_cap(households, year, quota))
    done = len({v.household_id for v in kept if v.on.month == month})
    return Progress(done, required(households_on(households, month_end(year, month)), quota.monthly_pct))


def year_progress(visits: Iterable[VisitFact], households: Sequence[HouseholdFact], year: int,
                  quota: Quota) -> Progress:
    """R-VIS-2: distinct households visited over the year against the year's coverage."""
    kept = counted(visits, year, phone_cap(households, year, quota))
    return Progress(len({v.household_id for v in kept}), year_required(households, year, quota))


def phone_progress(visits: Iterable[VisitFact], households: Sequence[HouseholdFact], year: int,
                   quota: Quota) -> Progress:
    """R-VIS-4: the year's phone visits against the cap (`behind` here means room left)."""
    phones = sum(1 for v in visits if v.on.year == year and v.kind == VisitKind.PHONE)
    return Progress(phones, phone_cap(households, year, quota))


def year_pace(progress: Progress, month: int) -> int:
    """Households the year's coverage should have reached by the end of this month, evenly spread (R-VIS-2)."""
    return -(-progress.required * month // 12)


def unvisited(households: Iterable[HouseholdFact], visits: Iterable[VisitFact], year: int) -> list[int]:
    """Households not visited this year (any kind), for the visit plan."""
    seen = {v.household_id for v in visits if v.on.year == year}
    return [h.id for h in households if h.id not in seen]


# --------------------------------------------------------------------------- cases (R-REQ-1)

TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.RECEIVED: {CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED},
    CaseStatus.ASSIGNED: {CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED},
    CaseStatus.IN_PROGRESS: {CaseStatus.ASSIGNED, CaseStatus.RESOLVED},
    CaseStatus.RESOLVED: {CaseStatus.CLOSED, CaseStatus.IN_PROGRESS},  # reopened
    CaseStatus.CLOSED: {CaseStatus.IN_PROGRESS},  # reopened
}
OPEN = (CaseStatus.RECEIVED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS)


def can_move(old: str, new: str) -> bool:
    return old == new or new in TRANSITIONS.get(old, set())


def due_on(case_type: str, received: date, due_days: Mapping[str, int]) -> date:
    """A case is due its type's number of days after it was received (policy per type)."""
    return received + timedelta(days=due_days[DUE_POLICIES[CaseType(case_type)]])


def overdue(status: str, due: date, today: date) -> bool:
    return status in OPEN and due < today


def by_urgency(cases: Sequence, today: date) -> list:
    """Open cases first, overdue first among them, then by due date."""
    return sorted(cases, key=lambda c: (c.status not in OPEN, not overdue(c.status, c.due_on, today), c.due_on))


def case_id(visit_id: str, index: int) -> str:
    """The case made of a visit's opinion: the same id however often the visit is replayed."""
    return str(uuid.uuid5(CASE_NAMESPACE, f"{visit_id}:{index}"))


def cases_from_visit(visit: Mapping, received: date, due_days: Mapping[str, int]) -> list[dict]:
    """Each opinion of a visit becomes a case (R-VIS-5); 'I cannot handle this' escalates it."""
    found = []
    for index, opinion in enumerate(visit.get("opinions") or ()):
        found.append({
            "id": case_id(visit["id"], index), "area_id": visit["area_id"], "household_id": visit["household_id"],
            "type": opinion["type"], "description": opinion["text"], "photo_ids": [],
            "urgency": opinion.get("urgency") or Urgency.NORMAL.value,
            "warranty": bool(opinion.get("warranty")) and opinion["type"] == CaseType.REPAIR,
            "escalated": bool(opinion.get("escalate")), "source": CaseSource.VISIT.value, "visit_id": visit["id"],
            "status": CaseStatus.RECEIVED.value, "received_on": received.isoformat(),
            "due_on": due_on(opinion["type"], received, due_days).isoformat(),
        })
    return found


# --------------------------------------------------------------------------- the front desk's check (R-SUP-2)


def sample_size(count: int, pct: int) -> int:
    return required(count, pct)


def verification_sample(visit_ids_by_officer: Mapping[int, Iterable[str]], pct: int, seed: str) -> dict[int, list[str]]:
    """At least pct % of every officer's visits, drawn at random but the same draw every time for the
    same month (seed) and the same visits, whatever order they are read in."""
    drawn = {}
    for officer_id, ids in sorted(visit_ids_by_officer.items()):
        pool = sorted(set(ids))
        rng = random.Random(f"{seed}:{officer_id}")
        drawn[officer_id] = sorted(rng.sample(pool, sample_size(len(pool), pct)))
    return drawn


# --------------------------------------------------------------------------- the visit form without script

OPINION_ROWS = 2  # the visit form's opinion rows in its HTML (more are added by its script)
_SQUASH = re.compile(r"[\s\-—·#号室栋幢]")


def opinions_from_form(form: Mapping) -> list[dict]:
    """The opinions typed in the visit form's fixed rows (op-type-1, op-text-1, …), the ones with words."""
    found = []
    for n in range(1, OPINION_ROWS + 1):
        text = (form.get(f"op-text-{n}") or "").strip()
        if text:
            found.append({"type": form.get(f"op-type-{n}") or "", "text": text,
                          "warranty": form.get(f"op-warranty-{n}") == "true",
                          "escalate": form.get(f"op-escalate-{n}") == "true"})
    return found


def households_matching(rows: Iterable[Mapping], query: str, limit: int = 20) -> list[Mapping]:
    """The search of static/js/residents-visit.js on the server: every word in the building and room, the
    room, the name or the phone (spaces, dashes, 栋/号/室 ignored)."""
    def squash(text) -> str:
        return _SQUASH.sub("", str(text or "").lower())

    words = [w for w in (squash(w) for w in query.split()) if w]
    found = [r for r in rows if words and all(
        w in squash(f"{r['building']}{r['room']}|{r['room']}|{r['name']}|{r['phone']}|{r['building']}") for w in words)]
    return found[:limit]

"""Patrol rules as plain functions (R-PAT-1, R-PAT-4, R-SUP-1).

Days are the estate's local days (webapp.kernel.dates); times are stored in UTC. A policy period of N days
(key_location_patrol_days, full_patrol_days) is aligned on EPOCH, a Monday, so N = 1 is a calendar day
and N = 7 a calendar week, Monday to Sunday. For one location (or one area's full round) and today:

- done: a round in the current period;
- overdue: not done, and the previous period, in which it was already due, passed without a round;
- due: otherwise (still to do in this period).

The pure functions take dates, datetimes and plain records; the `load_*` functions at the bottom read
the database and call them.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..kernel.dates import local_date

EPOCH = date(2024, 1, 1)  # a Monday
DONE, DUE, OVERDUE, NOT_DUE = "done", "due", "overdue", "not_due"
FINDING_NAMESPACE = uuid.UUID("5b0d7c1e-4f3a-5c7e-9a51-7061747230ab")
AGE_BUCKETS = ((0, 2), (2, 4), (4, 8), (8, None))  # days open, [lo, hi): 0–1, 2–3, 4–7, over 7

# Which checklist templates a key location of each kind is patrolled with by default (R-PAT-1, R-PAT-2);
# the supervisor may choose another per location or per type (models.LocationChecklist).
KEY_LOCATION_TEMPLATES = {
    "lobby": ("lobby",),
    "renovation_floor": ("corridor_stairs",),
    "public_works": ("public_works",),
    "leisure": ("leisure",),
    "other": ("corridor_stairs",),
}


def location_templates(location_id: int, location_kind: str, chosen: Mapping[object, str]) -> tuple[str, ...]:
    """The checklist of one key location (R-PAT-2): the supervisor's choice for the location, else for its
    type (keys ("kind", kind)), else KEY_LOCATION_TEMPLATES."""
    if location_id in chosen:
        return (chosen[location_id],)
    if ("kind", location_kind) in chosen:
        return (chosen[("kind", location_kind)],)
    return KEY_LOCATION_TEMPLATES.get(location_kind, ("corridor_stairs",))


def plausible_templates(location_id: int, location_kind: str, chosen: Mapping[object, str]) -> tuple[str, ...]:
    """Every checklist a round at this location may have been done with: its own, and what its type
    would give — a form cached on a phone before the supervisor changed the choice still saves."""
    without_own = {k: v for k, v in chosen.items() if k != location_id}
    found = location_templates(location_id, location_kind, chosen) + location_templates(location_id, location_kind, without_own)
    return tuple(dict.fromkeys(found + KEY_LOCATION_TEMPLATES.get(location_kind, ("corridor_stairs",))))


TEMPLATE_KINDS = ("lobby", "corridor_stairs", "lift", "roof", "facade", "road_lighting", "drainage", "leisure",
                  "signage", "greening", "cleaning", "public_works")
# The weekly full round covers the whole area (R-PAT-1): every type but public works, which is a key location.
FULL_ROUND_TEMPLATES = tuple(k for k in TEMPLATE_KINDS if k != "public_works")

# Finding life (R-PAT-4): open → assigned → fixed → verified; a fix that does not hold is reopened.
TRANSITIONS = {
    "open": {"assigned", "fixed"},
    "assigned": {"open", "fixed"},
    "fixed": {"verified", "assigned"},
    "verified": set(),
}


# --------------------------------------------------------------------------- days and periods


def parse_aware(raw: str | None) -> datetime | None:
    """An ISO time with its offset (as the phone stamps it), else None."""
    try:
        moment = datetime.fromisoformat(raw or "")
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def period_start(day: date, days: int) -> date:
    return day - timedelta(days=(day - EPOCH).days % days)


def period_of(day: date, days: int) -> tuple[date, date]:
    """[start, end) of the policy period holding `day`."""
    start = period_start(day, days)
    return start, start + timedelta(days=days)


@dataclass(frozen=True)
class Span:
    """When something was to be patrolled: from `first` (a local day) up to `until` (exclusive; None = still)."""

    first: date
    until: date | None = None

    def active_on(self, day: date) -> bool:
        return self.first <= day and (self.until is None or day < self.until)

    def active_in(self, start: date, end: date) -> bool:
        return self.first < end and (self.until is None or self.until > start)


def span_of(created_at: datetime, retired_at: datetime | None, tz: ZoneInfo) -> Span:
    """A key location is due from the local day it was added; not on the day it was retired."""
    return Span(local_date(created_at, tz), local_date(retired_at, tz) if retired_at else None)


def status_on(today: date, days: int, span: Span, done_days: Iterable[date]) -> str:
    """done / due / overdue / not_due for one location (or area) on `today` (see module docstring)."""
    start, end = period_of(today, days)
    if not span.active_in(start, end) or not span.first <= today:
        return NOT_DUE
    done = set(done_days)
    if any(start <= d < end for d in done):
        return DONE
    previous = start - timedelta(days=days)
    if span.active_in(previous, start) and not any(previous <= d < start for d in done):
        return OVERDUE
    return DUE


def remaining(statuses: Iterable[str]) -> int:
    return sum(1 for s in statuses if s in (DUE, OVERDUE))


# --------------------------------------------------------------------------- coverage


@dataclass
class DayCell:
    day: date
    due: int = 0
    done: int = 0
    open: bool = False  # its period is not over yet (today): what is not done is still to do, not missed

    @property
    def ratio(self) -> float | None:
        return None if self.due == 0 else self.done / self.due


def coverage_by_day(first: date, last: date, days: int, spans: Mapping[object, Span],
                    done: Mapping[object, Iterable[date]]) -> list[DayCell]:
    """For each day up to `last` (today): how many key locations were due, and how many of those had a
    round in that day's period (days = key_location_patrol_days)."""
    done_sets = {k: set(v) for k, v in done.items()}
    cells = []
    day = first
    while day <= last:
        start, end = period_of(day, days)
        cell = DayCell(day, open=end > last)
        for key, span in spans.items():
            if span.active_on(day):
                cell.due += 1
                cell.done += any(start <= d < end for d in done_sets.get(key, ()))
        cells.append(cell)
        day += timedelta(days=1)
    return cells


@dataclass(frozen=True)
class PeriodCounts:
    done: int = 0
    missed: int = 0
    open: int = 0  # the period in progress, not done yet

    def __add__(self, other: PeriodCounts) -> PeriodCounts:
        return PeriodCounts(self.done + other.done, self.missed + other.missed, self.open + other.open)

    @property
    def total(self) -> int:
        return self.done + self.missed + self.open


def period_counts(first: date, today: date, days: int, span: Span, done_days: Iterable[date]) -> PeriodCounts:
    """The periods from `first` to today's in which it was due: done, missed (closed without a round)
    or open (today's, not done yet — missed only once it is over, in the estate's time)."""
    done = set(done_days)
    counts = {DONE: 0, OVERDUE: 0, DUE: 0}
    start = period_start(first, days)
    while start <= today:
        end = start + timedelta(days=days)
        if span.active_in(start, end) and span.first <= today:
            counts[DONE if any(start <= d < end for d in done) else OVERDUE if end <= today else DUE] += 1
        start = end
    return PeriodCounts(counts[DONE], counts[OVERDUE], counts[DUE])


@dataclass
class OfficerTally:
    """One officer's patrol work over a span of days (R-PAT-1), credited to who did each round: key
    locations of the areas they held that day, done by them, covered by someone else, or missed by
    everyone; rounds they did in areas they did not hold; the weekly full rounds of their areas."""

    cells: list[DayCell] = field(default_factory=list)
    done_key: int = 0  # key-location periods (days) done by them
    covered: int = 0
    missed_key: int = 0
    open_key: int = 0  # today's, not done by anyone yet
    elsewhere: int = 0
    full_due: int = 0
    full_done: int = 0
    full_covered: int = 0
    missed_full: int = 0


def officer_tally(officer: int, first: date, today: date, key_days: int, full_days: int,
                  locations: Mapping[int, tuple[int, Span]], areas: Mapping[int, Span],
                  holder: Callable[[int, date], int | None], key_rounds: Iterable[tuple[int, date, int]],
                  full_rounds: Iterable[tuple[int, date, int]]) -> OfficerTally:
    """`locations`: id → (area id, span); `holder(area, day)`: the area's officer that day (the approved
    assignment table then in force, R-AREA-2); rounds as (location or area id, local day, author)."""
    by_loc, by_area = defaultdict(list), defaultdict(list)
    for loc, day, author in key_rounds:
        by_loc[loc].append((day, author))
    for area, day, author in full_rounds:
        by_area[area].append((day, author))
    tally = OfficerTally()
    tally.elsewhere = sum(1 for loc, rounds in by_loc.items() for day, author in rounds
                          if author == officer and loc in locations and holder(locations[loc][0], day) != officer)
    periods = {}  # (location, period start) → DONE / "covered" / OVERDUE / DUE: counted once per period
    day = first
    while day <= today:
        (start, end) = period_of(day, key_days)
        cell = DayCell(day, open=end > today)
        for loc, (area, span) in locations.items():
            if not span.active_on(day) or holder(area, day) != officer:
                continue
            cell.due += 1
            authors = {a for d, a in by_loc.get(loc, ()) if start <= d < end}
            cell.done += officer in authors
            periods[(loc, start)] = (DONE if officer in authors else "covered" if authors
                                     else OVERDUE if end <= today else DUE)
        tally.cells.append(cell)
        day += timedelta(days=1)
    states = list(periods.values())
    tally.done_key, tally.covered = states.count(DONE), states.count("covered")
    tally.missed_key, tally.open_key = states.count(OVERDUE), states.count(DUE)
    start = period_start(first, full_days)
    while start <= today:
        end = start + timedelta(days=full_days)
        for area, span in areas.items():
            held = max(start, span.first, first)
            if not span.active_in(start, end) or holder(area, min(held, today)) != officer:
                continue
            authors = {a for d, a in by_area.get(area, ()) if start <= d < end}
            tally.full_due += 1
            tally.full_done += officer in authors
            tally.full_covered += bool(authors) and officer not in authors
            tally.missed_full += not authors and end <= today
        start = end
    return tally


def holder_on(history: Sequence[tuple[date, Mapping[int, int | None]]]) -> Callable[[int, date], int | None]:
    """From approved assignment tables as (local day it took effect, {area: officer}), oldest first:
    who held an area on a day (nobody before the first table)."""
    def holder(area: int, day: date) -> int | None:
        found = None
        for since, officers in history:
            if since > day:
                break
            found = officers.get(area)
        return found

    return holder


def age_buckets(opened: Iterable[datetime], now: datetime) -> list[int]:
    """Open findings counted by age in days, per AGE_BUCKETS."""
    counts = [0] * len(AGE_BUCKETS)
    for moment in opened:
        age = (now - moment).days
        for i, (lo, hi) in enumerate(AGE_BUCKETS):
            if age >= lo and (hi is None or age < hi):
                counts[i] += 1
                break
    return counts


def sum_counts(lists: Iterable[Sequence[int]]) -> list[int]:
    """Counts added place by place (the age buckets of several areas); [0, …] for none."""
    return [sum(n) for n in zip(*lists, strict=True)] or [0] * len(AGE_BUCKETS)


def month_count(days: Iterable[date], today: date) -> int:
    return sum(1 for d in days if (d.year, d.month) == (today.year, today.month))


DAY_LEVELS = ("all", "most", "half", "low", "open", "none")


def day_level(cell: DayCell) -> str:
    """How a day of the heat-map reads: all done · most (≥ 80 %) · half (≥ 50 %) · low (under half, missed) ·
    open (today, or its period still running: not missed before it is over) · none (nothing was due)."""
    if cell.due == 0:
        return "none"
    if cell.done >= cell.due:
        return "all"
    if cell.open:
        return "open"
    return "most" if cell.ratio >= 0.8 else "half" if cell.ratio >= 0.5 else "low"


# --------------------------------------------------------------------------- rounds, findings, spot-checks


def finding_id(round_id: str, item_id: int) -> str:
    """Deterministic: replaying a round (or its after-apply hook) never makes a second finding."""
    return str(uuid.uuid5(FINDING_NAMESPACE, f"{round_id}:{item_id}"))


def findings_from_round(round_values: Mapping, items: Mapping[int, Mapping]) -> list[dict]:
    """A finding per defect (R-PAT-4), routed to the team chosen on the phone or the item's default."""
    found = []
    for check in round_values.get("checks") or ():
        if check.get("result") != "defect" or check.get("item_id") not in items:
            continue
        item = items[check["item_id"]]
        found.append({
            "id": finding_id(round_values["id"], check["item_id"]),
            "area_id": round_values["area_id"], "round_id": round_values["id"],
            "key_location_id": round_values.get("key_location_id"), "item": dict(item),
            "team": check.get("team") or item["team"], "status": "open", "note": check.get("note") or "",
            "photo_ids": list(check.get("photo_ids") or ()), "resident_impact": bool(check.get("resident_impact")),
        })
    return found


def round_errors(checks: Sequence[Mapping], allowed_items: Mapping[int, object]) -> dict[str, list[str]]:
    """What the schema cannot know: every item must be one of the round's checklist items (English
    messages, translated at the edge)."""
    if not checks:
        return {"checks": ["Tick at least one item: a round without checks is not recorded."]}
    if any(c.get("item_id") not in allowed_items for c in checks):
        return {"checks": ["Unknown checklist item for this round."]}
    seen = [c["item_id"] for c in checks]
    if len(seen) != len(set(seen)):
        return {"checks": ["Each item may be checked only once per round."]}
    return {}


def can_move(old: str, new: str) -> bool:
    return old == new or new in TRANSITIONS.get(old, set())


@dataclass(frozen=True)
class Comparison:
    label: str
    mine: str | None  # the spot-check's result
    theirs: str | None  # the officer's result
    note: str = ""
    their_note: str = ""

    @property
    def disagrees(self) -> bool:
        return self.mine is not None and self.theirs is not None and self.mine != self.theirs


def compare_rounds(spot: Sequence[Mapping], officer: Sequence[Mapping] | None,
                   items: Mapping[int, Mapping], label=lambda item: item.get("label_zh", "")) -> list[Comparison]:
    """R-SUP-1: the supervisor's checks beside the officer's latest round at the same place, item by item.
    Items are matched by (template kind, code), so different template versions still compare."""
    def key(check):
        item = items.get(check.get("item_id"), {})
        return (item.get("kind"), item.get("code", check.get("item_id")))

    theirs = {key(c): c for c in officer or ()}
    rows = []
    for check in spot:
        other = theirs.get(key(check))
        rows.append(Comparison(label(items.get(check.get("item_id"), {})), check.get("result"),
                               other.get("result") if other else None, check.get("note") or "",
                               (other.get("note") or "") if other else ""))
    return rows


# --------------------------------------------------------------------------- the database side

@dataclass
class LocationDue:
    location: object
    status: str
    last: datetime | None = None
    pending_round: object | None = None


@dataclass
class AreaDue:
    area: object
    officer: object | None
    today: date
    locations: list[LocationDue] = field(default_factory=list)
    full_status: str = DUE
    full_last: datetime | None = None
    week: tuple[date, date] | None = None

    @property
    def week_last(self) -> date | None:
        return self.week[1] - timedelta(days=1) if self.week else None

    @property
    def remaining(self) -> int:
        return remaining([loc.status for loc in self.locations] + [self.full_status])

    @property
    def done_count(self) -> int:
        return sum(1 for loc in self.locations if loc.status == DONE)

    @property
    def due_count(self) -> int:
        return sum(1 for loc in self.locations if loc.status != NOT_DUE)

"""Reading patrol facts from the database and handing them to the rules (webapp.patrol.rules)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from sync.models import Change

from ..areas.public import (
    Area,
    KeyLocation,
    estate_officers,
    holder_history,
    officer_of_areas,
    with_key_locations,
)
from ..auth.public import User
from ..extensions import db
from ..kernel.dates import day_start_utc, local_date, tz
from ..kernel.labels import zh_or_en
from ..kernel.memo import per_session
from ..policies.public import policies, policy
from . import rules
from .models import (
    ChecklistItem,
    ChecklistTemplate,
    Emergency,
    Finding,
    FindingStatus,
    LocationChecklist,
    PatrolRound,
    Purpose,
    RoundKind,
)

OPEN_STATUSES = (FindingStatus.OPEN, FindingStatus.ASSIGNED, FindingStatus.FIXED)


# --------------------------------------------------------------------------- templates and items


def current_templates(estate_id: int, kinds: tuple[str, ...] | None = None) -> list[ChecklistTemplate]:
    query = select(ChecklistTemplate).where(ChecklistTemplate.estate_id == estate_id,
                                            ChecklistTemplate.retired_at.is_(None))
    if kinds is not None:
        query = query.where(ChecklistTemplate.kind.in_(kinds))
    return list(db.session.scalars(query.order_by(ChecklistTemplate.position, ChecklistTemplate.id)))


@per_session  # a push checks every round against them: read once, not once a round
def checklist_choices(estate_id: int) -> dict[object, str]:
    """The supervisor's choices (R-PAT-2): {key_location_id: kind, ("kind", location kind): kind}."""
    rows = db.session.scalars(select(LocationChecklist).where(LocationChecklist.estate_id == estate_id))
    return {(r.key_location_id if r.key_location_id else ("kind", r.location_kind)): r.template_kind for r in rows}


def round_kinds(location: KeyLocation | None) -> tuple[str, ...]:
    """The checklists a round at this location (None: the whole area) is done with."""
    if location is None:
        return rules.FULL_ROUND_TEMPLATES
    return rules.location_templates(location.id, location.kind, checklist_choices(location.area.estate_id))


def accepted_kinds(location: KeyLocation | None) -> tuple[str, ...]:
    """The checklists a round arriving from a phone may have been done with (round_kinds, or the one
    before the supervisor's latest choice)."""
    if location is None:
        return rules.FULL_ROUND_TEMPLATES
    return rules.plausible_templates(location.id, location.kind, checklist_choices(location.area.estate_id))


def item_snapshots(item_ids) -> dict[int, dict]:
    """Items by id, with their template's kind (any version: old rounds keep their items)."""
    ids = {i for i in item_ids if isinstance(i, int)}
    if not ids:
        return {}
    rows = db.session.execute(select(ChecklistItem, ChecklistTemplate.kind).join(ChecklistTemplate)
                              .where(ChecklistItem.id.in_(ids))).all()
    return {item.id: {**item.snapshot(), "kind": kind} for item, kind in rows}


@per_session
def allowed_item_ids(estate_id: int, kinds: tuple[str, ...]) -> dict[int, int]:
    """Every item of every version of these template kinds: a form cached before an edit still saves."""
    return dict(db.session.execute(
        select(ChecklistItem.id, ChecklistItem.template_id).join(ChecklistTemplate)
        .where(ChecklistTemplate.estate_id == estate_id, ChecklistTemplate.kind.in_(kinds))
    ).all())


# --------------------------------------------------------------------------- what is due (R-PAT-1)


def round_marks(area_ids, since: datetime, kind: str | None = None, purpose: str = Purpose.PATROL) -> list:
    """Where, what and when of the areas' rounds since `since`, by time: (area_id, key_location_id, kind,
    observed_at, created_by) rows, without the checks (a round's heaviest column), for due lists and coverage."""
    query = select(PatrolRound.area_id, PatrolRound.key_location_id, PatrolRound.kind, PatrolRound.observed_at,
                   PatrolRound.created_by).where(
        PatrolRound.area_id.in_(list(area_ids)), PatrolRound.observed_at >= since, PatrolRound.deleted_at.is_(None),
        PatrolRound.purpose == purpose)
    if kind:
        query = query.where(PatrolRound.kind == kind)
    return list(db.session.execute(query.order_by(PatrolRound.observed_at)))


def _by_area(rows) -> dict[int, list]:
    found = defaultdict(list)
    for row in rows:
        found[row.area_id].append(row)
    return found


def _days_by(rounds, key, zone) -> dict:
    found = defaultdict(set)
    for r in rounds:
        found[key(r)].add(local_date(r.observed_at, zone))
    return found


def _lasts(rounds, key) -> dict:
    return {key(r): r.observed_at for r in rounds}  # ordered by time: the last wins


def _settings(areas) -> dict[int, dict]:
    """Each of the areas' estates' policy values (one query an estate)."""
    return {estate_id: policies(estate_id) for estate_id in {a.estate_id for a in areas}}


def area_due(area: Area, now: datetime, officers: dict | None = None) -> rules.AreaDue:
    return areas_due([area], now, officers)[0]


def areas_due(areas, now: datetime, officers: dict | None = None) -> list[rules.AreaDue]:
    """What each area has due today (R-PAT-1), in the areas' order: a few queries however many areas."""
    areas = with_key_locations(areas)
    if not areas:
        return []
    zone, today, settings = tz(), local_date(now, tz()), _settings(areas)
    back = max(2 * max(s["key_location_patrol_days"], s["full_patrol_days"]) + 7 for s in settings.values())
    rounds = _by_area(round_marks([a.id for a in areas], day_start_utc(today - timedelta(days=back), zone)))
    return [_area_due(area, rounds[area.id], settings[area.estate_id], today, zone, officers) for area in areas]


def _area_due(area: Area, rounds: list, settings: dict, today: date, zone, officers: dict | None) -> rules.AreaDue:
    key_days, full_days = settings["key_location_patrol_days"], settings["full_patrol_days"]
    key_rounds = [r for r in rounds if r.kind == RoundKind.KEY]
    full_rounds = [r for r in rounds if r.kind == RoundKind.FULL]
    by_loc, last_loc = _days_by(key_rounds, lambda r: r.key_location_id, zone), _lasts(key_rounds, lambda r: r.key_location_id)
    due = rules.AreaDue(area, (officers or {}).get(area.id), today, week=rules.period_of(today, full_days))
    for loc in area.key_locations:
        status = rules.status_on(today, key_days, rules.span_of(loc.created_at, loc.retired_at, zone), by_loc[loc.id])
        if status != rules.NOT_DUE:
            due.locations.append(rules.LocationDue(loc, status, last_loc.get(loc.id)))
    area_span = rules.span_of(area.created_at, None, zone)
    due.full_status = rules.status_on(today, full_days, area_span, {local_date(r.observed_at, zone) for r in full_rounds})
    due.full_last = full_rounds[-1].observed_at if full_rounds else None
    return due


# --------------------------------------------------------------------------- coverage (supervisors, managers)


@dataclass
class AreaCoverage:
    area: Area
    officer: User | None
    cells: list[rules.DayCell]
    weeks: list[tuple[date, bool]]  # (period start, a full round was done)
    key: rules.PeriodCounts  # key-location periods (days): done, missed, today's still open
    full: rules.PeriodCounts  # full-round periods (weeks)
    open_by_age: list[int]
    spot_checks_this_month: int
    spot_checks_needed: int
    today_due: rules.AreaDue | None = None
    extra: dict = field(default_factory=dict)

    @property
    def missed_key(self) -> int:
        return self.key.missed

    @property
    def missed_full(self) -> int:
        return self.full.missed

    @property
    def done(self) -> int:
        return sum(c.done for c in self.cells)

    @property
    def due(self) -> int:
        return sum(c.due for c in self.cells)


def area_coverage(area: Area, now: datetime, officer: User | None = None, days_back: int = 30) -> AreaCoverage:
    return areas_coverage([area], now, {area.id: officer}, days_back)[0]


def areas_coverage(areas, now: datetime, officers: dict | None = None, days_back: int = 30) -> list[AreaCoverage]:
    """Each area's coverage over the last `days_back` days (R-PAT-1, R-SUP-1), in the areas' order: a few
    queries however many areas; the areas may be of several estates, each with its own policy."""
    areas = with_key_locations(areas)
    if not areas:
        return []
    zone, today, settings = tz(), local_date(now, tz()), _settings(areas)
    first = today - timedelta(days=days_back - 1)
    back = max(max(s["key_location_patrol_days"], s["full_patrol_days"]) for s in settings.values())
    ids = [a.id for a in areas]
    rounds = _by_area(round_marks(ids, day_start_utc(rules.period_start(first, back), zone)))
    ages, spots = open_ages(ids, now), spot_checks_by_area(ids, now)
    return [_coverage(area, (officers or {}).get(area.id), rounds[area.id], settings[area.estate_id], first, today,
                      zone, ages[area.id], spots[area.id]) for area in areas]


def _coverage(area, officer, rounds, settings, first, today, zone, ages, spot) -> AreaCoverage:
    key_days, full_days = settings["key_location_patrol_days"], settings["full_patrol_days"]
    by_loc = _days_by([r for r in rounds if r.kind == RoundKind.KEY], lambda r: r.key_location_id, zone)
    full_done = {local_date(r.observed_at, zone) for r in rounds if r.kind == RoundKind.FULL}
    spans = {loc.id: rules.span_of(loc.created_at, loc.retired_at, zone) for loc in area.key_locations}
    area_span = rules.span_of(area.created_at, None, zone)
    key = sum((rules.period_counts(first, today, key_days, span, by_loc[lid]) for lid, span in spans.items()),
              rules.PeriodCounts())
    return AreaCoverage(area, officer, rules.coverage_by_day(first, today, key_days, spans, by_loc),
                        _weeks(first, today, full_days, area_span, full_done), key,
                        rules.period_counts(first, today, full_days, area_span, full_done), ages, spot,
                        settings["supervisor_full_inspections_per_month"])


def _weeks(first: date, today: date, full_days: int, span: rules.Span, done: set[date]) -> list[tuple[date, bool]]:
    weeks, start = [], rules.period_start(first, full_days)
    while start <= today:
        end = start + timedelta(days=full_days)
        if span.active_in(start, end):
            weeks.append((start, any(start <= d < end for d in done)))
        start = end
    return weeks


@dataclass
class OfficerCoverage:
    officer: User
    areas: list[Area]  # held now
    tally: rules.OfficerTally
    open_by_age: list[int]

    @property
    def done(self) -> int:
        return sum(c.done for c in self.tally.cells)

    @property
    def due(self) -> int:
        return sum(c.due for c in self.tally.cells)


def officer_coverage(estate_id: int, now: datetime, days_back: int = 30) -> list[OfficerCoverage]:
    """Per officer (R-PAT-1): rounds credited to who did them, against the areas each held day by day."""
    zone, today = tz(), local_date(now, tz())
    key_days, full_days = policy(estate_id, "key_location_patrol_days"), policy(estate_id, "full_patrol_days")
    first = today - timedelta(days=days_back - 1)
    areas = with_key_locations(db.session.scalars(select(Area).where(Area.estate_id == estate_id).order_by(Area.code)))
    locations = {loc.id: (area.id, rules.span_of(loc.created_at, loc.retired_at, zone))
                 for area in areas for loc in area.key_locations}
    area_spans = {a.id: rules.span_of(a.created_at, None, zone) for a in areas if a.active}
    rounds = round_marks([a.id for a in areas], day_start_utc(rules.period_start(first, max(key_days, full_days)), zone))
    key = [(r.key_location_id, local_date(r.observed_at, zone), r.created_by) for r in rounds if r.kind == RoundKind.KEY]
    full = [(r.area_id, local_date(r.observed_at, zone), r.created_by) for r in rounds if r.kind == RoundKind.FULL]
    holder = rules.holder_on(holder_history(estate_id))
    held_now = officer_of_areas(estate_id)
    people = {u.id: u for u in estate_officers(estate_id)} | {
        u.id: u for u in db.session.scalars(select(User).where(User.id.in_({r.created_by for r in rounds})))}
    ages = open_ages([a.id for a in areas], now)
    found = []
    for person in sorted(people.values(), key=lambda u: u.display_name):
        tally = rules.officer_tally(person.id, first, today, key_days, full_days, locations, area_spans, holder, key, full)
        mine = [a for a in areas if held_now.get(a.id) == person.id]
        found.append(OfficerCoverage(person, mine, tally, rules.sum_counts(ages[a.id] for a in mine)))
    return found


def open_ages(area_ids, now: datetime) -> dict[int, list[int]]:
    """Open findings of each area counted by age (rules.AGE_BUCKETS), in one read; areas without any get zeros."""
    by_area = defaultdict(list)
    for area_id, received in db.session.execute(select(Finding.area_id, Finding.received_at).where(
            Finding.area_id.in_(list(area_ids)), Finding.status.in_(OPEN_STATUSES), Finding.deleted_at.is_(None))):
        by_area[area_id].append(received)
    return defaultdict(lambda: [0] * len(rules.AGE_BUCKETS),
                       {area_id: rules.age_buckets(opened, now) for area_id, opened in by_area.items()})


@per_session
def spot_checks_by_area(area_ids, now: datetime) -> dict[int, int]:
    """R-SUP-1: the supervisor's full inspections of each area this (local) month, in one query (once a
    request: the overview and the obligations both ask)."""
    zone, today = tz(), local_date(now, tz())
    checks = _by_area(round_marks(area_ids, day_start_utc(today.replace(day=1), zone), kind=RoundKind.FULL,
                                  purpose=Purpose.SPOT_CHECK))
    return {area_id: rules.month_count((local_date(r.observed_at, zone) for r in checks[area_id]), today)
            for area_id in area_ids}


# --------------------------------------------------------------------------- spot-check comparison (R-SUP-1)


def officer_round_before(spot: PatrolRound) -> PatrolRound | None:
    """The officer's most recent round at the same place before the spot-check."""
    query = select(PatrolRound).where(PatrolRound.area_id == spot.area_id, PatrolRound.kind == spot.kind,
                                      PatrolRound.purpose == Purpose.PATROL, PatrolRound.deleted_at.is_(None),
                                      PatrolRound.observed_at <= spot.observed_at)
    if spot.key_location_id:
        query = query.where(PatrolRound.key_location_id == spot.key_location_id)
    return db.session.scalar(query.order_by(PatrolRound.observed_at.desc()).limit(1))


def latest_spot_check(user_id: int, area_id: int, location_id: int | None, since: datetime | None) -> PatrolRound | None:
    """The user's newest spot-check at this place, observed (device clock) from `since` on."""
    query = select(PatrolRound).where(PatrolRound.created_by == user_id, PatrolRound.area_id == area_id,
                                      PatrolRound.purpose == Purpose.SPOT_CHECK, PatrolRound.deleted_at.is_(None),
                                      PatrolRound.key_location_id.is_(None) if location_id is None
                                      else PatrolRound.key_location_id == location_id)
    if since is not None:
        query = query.where(PatrolRound.observed_at >= since - timedelta(minutes=1))
    return db.session.scalar(query.order_by(PatrolRound.observed_at.desc()).limit(1))


# --------------------------------------------------------------------------- findings and emergencies


def findings_query(area_ids, status: str | None = None, team: str | None = None, open_only: bool = False,
                   residents: bool = False):
    query = select(Finding).where(Finding.area_id.in_(list(area_ids)), Finding.deleted_at.is_(None))
    if residents:  # R-PAT-4: the officer coordinates with the residents these touch
        query = query.where(Finding.resident_impact.is_(True))
    if status:
        query = query.where(Finding.status == status)
    elif open_only:
        query = query.where(Finding.status.in_(OPEN_STATUSES))
    if team:
        query = query.where(Finding.team == team)
    return query.order_by(Finding.received_at.desc())


def ages_of(query, now: datetime) -> list[int]:
    """The findings a findings_query selects, counted by age (rules.AGE_BUCKETS), in one read."""
    return rules.age_buckets(db.session.scalars(query.with_only_columns(Finding.received_at).order_by(None)), now)


def resident_findings(area_ids) -> int:
    """Open findings that touch residents in these areas (R-PAT-4), for the officer's Today."""
    query = findings_query(area_ids, open_only=True, residents=True)
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def findings_to_verify(location_id: int | None, area_id: int) -> list[Finding]:
    query = select(Finding).where(Finding.area_id == area_id, Finding.status == FindingStatus.FIXED,
                                  Finding.deleted_at.is_(None))
    if location_id:
        query = query.where(Finding.key_location_id == location_id)
    return list(db.session.scalars(query.order_by(Finding.fixed_at)))


def person_in_estate(user_id: int, estate_id: int) -> bool:
    """A user id a record names (assigned_to, fixed_by, verified_by) is someone of the estate."""
    user = db.session.get(User, user_id)
    return user is not None and estate_id in user.estate_ids


def was_routed_to(finding: dict, team: str | None) -> bool:
    """Whether a finding was sent to `team` before its current team (R-PAT-4): its first team — the one
    the round chose, or the item's default — while it has been re-routed once; any team once it has been
    re-routed more often (the change log keeps which fields changed, not their old values)."""
    if not finding or team is None or finding.get("team") == team:
        return finding.get("team") == team if finding else False
    routes = [c for c in db.session.scalars(select(Change.changed_fields).where(
        Change.entity == "patrol_finding", Change.record_id == finding["id"], Change.op == "update"))
        if "team" in (c or ())]
    return len(routes) > 1 or (len(routes) == 1 and first_team(finding) == team)


def first_team(finding: dict) -> str | None:
    item = finding.get("item") or {}
    done = db.session.get(PatrolRound, finding.get("round_id")) if finding.get("round_id") else None
    check = next((c for c in (done.checks if done else ()) if c.get("item_id") == item.get("item_id")), {})
    return check.get("team") or item.get("team")


# What a list shows of an emergency: who reported it where, who acknowledged it.
EMERGENCY_SHOWN = (joinedload(Emergency.reporter).lazyload(User.estates), joinedload(Emergency.area),
                   joinedload(Emergency.key_location), joinedload(Emergency.acknowledger).lazyload(User.estates))


def active_emergencies(estate_id: int) -> list[Emergency]:
    return list(db.session.scalars(select(Emergency).where(
        Emergency.estate_id == estate_id, Emergency.acknowledged_at.is_(None), Emergency.deleted_at.is_(None)
    ).order_by(Emergency.received_at.desc()).options(*EMERGENCY_SHOWN)))


def rounds_query(area_ids):
    """Newest first, with what a list shows of each: its area, key location and author."""
    return (select(PatrolRound).where(PatrolRound.area_id.in_(list(area_ids)), PatrolRound.deleted_at.is_(None))
            .order_by(PatrolRound.observed_at.desc())
            .options(joinedload(PatrolRound.area), joinedload(PatrolRound.key_location),
                     joinedload(PatrolRound.author).lazyload(User.estates)))


def listed(findings_query):
    """A findings query for a list: each with its area and key location."""
    return findings_query.options(joinedload(Finding.area), joinedload(Finding.key_location))


def item_label(item: dict) -> str:
    return zh_or_en(item.get("label_zh", ""), item.get("label_en", "")) if item else "?"

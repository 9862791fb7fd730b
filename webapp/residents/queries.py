"""Database reads for visits and cases, handed to the rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..areas.public import Area
from ..estate.public import Building, Estate, Household, Unit
from ..extensions import db
from ..kernel.dates import day_start_utc, local_date
from ..kernel.memo import per_session
from ..policies.public import policies
from . import rules
from .models import Case, CaseEvent, CheckResult, Visit, VisitCheck


def household_name(household_id) -> object:
    """A household as people know it (3栋 1202 · 王芳) where a screen shows a record's fields (EntityWords);
    the value itself if no household has that id."""
    found = (db.session.get(Household, household_id)
             if isinstance(household_id, int) and not isinstance(household_id, bool) else None)
    return f"{found.unit.label} · {found.name}" if found else household_id


def household_areas(household_ids: Iterable[int]) -> dict[int, int | None]:
    """household id → the area of its building (None: the building is in no area)."""
    wanted = set(household_ids) - {None}
    if not wanted:
        return {}
    rows = db.session.execute(select(Household.id, Building.area_id).join(Unit, Household.unit_id == Unit.id)
                              .join(Building, Unit.building_id == Building.id).where(Household.id.in_(wanted)))
    return dict(rows.all())


def unit_areas(unit_ids: Iterable[int]) -> dict[int, int | None]:
    wanted = set(unit_ids) - {None}
    if not wanted:
        return {}
    rows = db.session.execute(select(Unit.id, Building.area_id).join(Building, Unit.building_id == Building.id)
                              .where(Unit.id.in_(wanted)))
    return dict(rows.all())


def area_estates(area_ids: Iterable[int]) -> dict[int, Estate]:
    wanted = set(area_ids) - {None}
    if not wanted:
        return {}
    rows = db.session.execute(select(Area.id, Estate).join(Estate, Area.estate_id == Estate.id)
                              .where(Area.id.in_(wanted)))
    return dict(rows.all())


def zone_of(estate: Estate) -> ZoneInfo:
    return ZoneInfo(estate.time_zone)


def area_households(area_id: int) -> list[rules.HouseholdFact]:
    return households_of([area_id])[area_id]


@per_session
def households_of(area_ids: Iterable[int]) -> dict[int, list[rules.HouseholdFact]]:
    """Each area's households (when each moved in), in one read for all the areas."""
    found = {area_id: [] for area_id in area_ids}
    for hid, since, area_id in db.session.execute(
            select(Household.id, Household.move_in_date, Building.area_id).join(Unit, Household.unit_id == Unit.id)
            .join(Building, Unit.building_id == Building.id).where(Building.area_id.in_(list(found)))):
        found[area_id].append(rules.HouseholdFact(hid, since))
    return found


def area_visits(area_id: int, year: int, zone: ZoneInfo, officer_id: int | None = None) -> list[rules.VisitFact]:
    return visits_of([area_id], year, zone, officer_id)[area_id]


@per_session
def year_visits(area_ids: Iterable[int], year: int, zone: ZoneInfo) -> list:
    """Every visit in the areas in that local year, nobody-home ones too: one read for all that a page asks
    of the year (quotas, coverage, each officer's month)."""
    start, end = day_start_utc(date(year, 1, 1), zone), day_start_utc(date(year + 1, 1, 1), zone)
    return list(db.session.execute(
        select(Visit.id, Visit.household_id, Visit.kind, Visit.visited_at, Visit.area_id, Visit.created_by,
               Visit.nobody_home).where(Visit.area_id.in_(list(area_ids)), Visit.deleted_at.is_(None),
                                        Visit.visited_at >= start, Visit.visited_at < end)))


def visits_of(area_ids: Iterable[int], year: int, zone: ZoneInfo, officer_id: int | None = None
              ) -> dict[int, list[rules.VisitFact]]:
    """The visits that took place in each area in that local year (nobody home is no visit)."""
    found = {area_id: [] for area_id in area_ids}
    for r in year_visits(list(found), year, zone):
        if not r.nobody_home and officer_id in (None, r.created_by):
            found[r.area_id].append(rules.VisitFact(r.household_id, r.kind, local_date(r.visited_at, zone), r.id))
    return found


def quota(estate_id: int) -> rules.Quota:
    return rules.Quota.of(policies(estate_id))


def due_days(estate_id: int) -> dict[str, int]:
    values = policies(estate_id)
    return {key: values[key] for key in rules.DUE_POLICIES.values()}


def search_rows(area_ids: Iterable[int], year: int, zone: ZoneInfo) -> list[dict]:
    """The households of these areas as the phone searches them offline (building, unit, name, phone), and
    whether each was visited this year (the visit plan suggests the others)."""
    rows = db.session.execute(
        select(Household.id, Household.name, Household.phone, Household.relation, Building.area_id, Building.name,
               Unit.floor, Unit.room)
        .join(Unit, Household.unit_id == Unit.id).join(Building, Unit.building_id == Building.id)
        .where(Building.area_id.in_(list(area_ids)))
        .order_by(Building.sort_key, Building.id, Unit.floor, Unit.room, Household.id)).all()
    seen = {v.household_id for visits in visits_of({r.area_id for r in rows}, year, zone).values() for v in visits}
    return [{"id": r.id, "area": r.area_id, "building": r[5], "floor": r.floor, "room": r.room, "name": r.name,
             "phone": r.phone or "", "owner": r.relation == "owner", "seen": r.id in seen} for r in rows]


def household_in(household_id: int, area_ids: Iterable[int]) -> Household | None:
    household = db.session.get(Household, household_id)
    if household is None or household.unit.building.area_id not in set(area_ids):
        return None
    return household


def area_progress(area_id: int, estate_id: int, today: date, zone: ZoneInfo, officer_id: int | None = None) -> dict:
    """This month's visits, this year's coverage and phone visits of the area (or of one officer in it)."""
    return areas_progress({area_id: estate_id}, today, zone, officer_id)[area_id]


def areas_progress(estates: dict[int, int], today: date, zone: ZoneInfo, officer_id: int | None = None
                   ) -> dict[int, dict]:
    """area_progress of each area ({area id: its estate id}), from one read of households and one of visits."""
    books, visits = households_of(list(estates)), visits_of(list(estates), today.year, zone, officer_id)
    found = {}
    for area_id, estate_id in estates.items():
        book, seen, quota_ = books[area_id], visits[area_id], quota(estate_id)
        found[area_id] = {"month": rules.month_progress(seen, book, today.year, today.month, quota_),
                          "year": rules.year_progress(seen, book, today.year, quota_),
                          "phone": rules.phone_progress(seen, book, today.year, quota_), "households": len(book)}
    return found


# What a list shows of a case (Case.where): its household's or its unit's building and room.
CASE_SHOWN = (joinedload(Case.household).joinedload(Household.unit).joinedload(Unit.building),
              joinedload(Case.unit).joinedload(Unit.building))


# What a list shows of a visit: its household's building and room.
VISIT_SHOWN = joinedload(Visit.household).joinedload(Household.unit).joinedload(Unit.building)


def cases_in(area_ids: Iterable[int], statuses: Iterable[str] | None = None, limit: int = 200) -> list[Case]:
    query = select(Case).options(*CASE_SHOWN).where(Case.area_id.in_(list(area_ids)), Case.deleted_at.is_(None))
    if statuses is not None:
        query = query.where(Case.status.in_(list(statuses)))
    return list(db.session.scalars(query.order_by(Case.due_on, Case.received_on).limit(limit)))


def events_of(case_id: str) -> list[CaseEvent]:
    return list(db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                                   .order_by(CaseEvent.received_at, CaseEvent.id)))


def recent_visits(area_ids: Iterable[int], limit: int = 10) -> list[Visit]:
    return list(db.session.scalars(select(Visit).options(VISIT_SHOWN).where(Visit.area_id.in_(list(area_ids)))
                                   .order_by(Visit.visited_at.desc()).limit(limit)))


def register(area_ids: Iterable[int], case_type: str | None, status: str | None, min_age: int,
             today: date, limit: int = 500) -> list[Case]:
    """The cases register (R-REQ-1): by area, type, status ("open" for every open one) and age in days."""
    query = select(Case).options(*CASE_SHOWN).where(Case.area_id.in_(list(area_ids)), Case.deleted_at.is_(None))
    if case_type:
        query = query.where(Case.type == case_type)
    if status == "open":
        query = query.where(Case.status.in_(list(rules.OPEN)))
    elif status:
        query = query.where(Case.status == status)
    if min_age:
        query = query.where(Case.received_on <= today - timedelta(days=min_age))
    return list(db.session.scalars(query.order_by(Case.due_on).limit(limit)))


def visits_by_officer(area_ids: Iterable[int], year: int, month: int, zone: ZoneInfo) -> dict[int, dict[str, int]]:
    """Each officer's visits this month by kind (nobody home apart), in these areas."""
    found: dict[int, dict[str, int]] = {}
    for r in year_visits(list(area_ids), year, zone):
        if local_date(r.visited_at, zone).month == month:
            tally = found.setdefault(r.created_by, {"home": 0, "phone": 0, "nobody_home": 0})
            tally["nobody_home" if r.nobody_home else r.kind] += 1
    return found


@per_session
def escalated_open(area_ids: Iterable[int]) -> list[Case]:
    """Matters an officer could not handle, still open: the supervisor's at once (R-VIS-5)."""
    return list(db.session.scalars(select(Case).options(*CASE_SHOWN).where(
        Case.area_id.in_(list(area_ids)), Case.escalated.is_(True), Case.status.in_(list(rules.OPEN)),
        Case.deleted_at.is_(None)).order_by(Case.received_on)))


def month_visits(area_ids: Iterable[int], year: int, month: int, zone: ZoneInfo) -> list[Visit]:
    """The visits that took place in that local month (nobody home is none), in these areas."""
    start = day_start_utc(date(year, month, 1), zone)
    end = day_start_utc(rules.month_end(year, month) + timedelta(days=1), zone)
    return list(db.session.scalars(select(Visit).options(VISIT_SHOWN).where(
        Visit.area_id.in_(list(area_ids)), Visit.nobody_home.is_(False), Visit.deleted_at.is_(None),
        Visit.visited_at >= start, Visit.visited_at < end)))


def checks_of(visit_ids: Iterable[str]) -> dict[str, VisitCheck]:
    wanted = list(visit_ids)
    if not wanted:
        return {}
    return {c.visit_id: c for c in db.session.scalars(select(VisitCheck).where(VisitCheck.visit_id.in_(wanted)))}


def recent_disputes(estate_id: int, since) -> list[VisitCheck]:
    """Visits households disputed since then that the supervisor has not yet marked handled."""
    return list(db.session.scalars(select(VisitCheck).where(
        VisitCheck.estate_id == estate_id, VisitCheck.result == CheckResult.DISPUTED, VisitCheck.checked_at >= since,
        VisitCheck.handled_at.is_(None))
        .order_by(VisitCheck.checked_at)))


def household_history(household_id: int) -> tuple[list[Visit], list[Case]]:
    """A household's visits (latest first) and matters (open first is the view's)."""
    visits = list(db.session.scalars(select(Visit).where(Visit.household_id == household_id)
                                     .order_by(Visit.visited_at.desc())))
    cases = list(db.session.scalars(select(Case).where(Case.household_id == household_id, Case.deleted_at.is_(None))
                                    .order_by(Case.received_on.desc())))
    return visits, cases


def months_progress(estates: dict[int, int], today: date, zone: ZoneInfo, months: int = 6) -> dict[int, list[tuple]]:
    """Each area's visits against the monthly quota over the last months, oldest first: (year, month, Progress);
    {area id: its estate id} in, one read of households and one of each year's visits for all the areas."""
    books, wanted, (year, month) = households_of(list(estates)), [], (today.year, today.month)
    for _ in range(months):
        wanted.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    visits = {y: visits_of(list(estates), y, zone) for y in {y for y, _m in wanted}}
    return {area_id: [(y, m, rules.month_progress(visits[y][area_id], books[area_id], y, m, quota(estate_id)))
                      for y, m in reversed(wanted)] for area_id, estate_id in estates.items()}

"""Database reads for visits and cases, handed to the rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..areas.public import Area
from ..estate.public import Building, Estate, Household, Unit
from ..extensions import db
from ..kernel.dates import day_start_utc, local_date
from ..policies.public import policies
from . import rules
from .models import Visit


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
    rows = db.session.execute(select(Household.id, Household.move_in_date).join(Unit, Household.unit_id == Unit.id)
                              .join(Building, Unit.building_id == Building.id).where(Building.area_id == area_id))
    return [rules.HouseholdFact(hid, since) for hid, since in rows]


def area_visits(area_id: int, year: int, zone: ZoneInfo, officer_id: int | None = None) -> list[rules.VisitFact]:
    """The visits that took place in the area in that local year (nobody home is no visit)."""
    start, end = day_start_utc(date(year, 1, 1), zone), day_start_utc(date(year + 1, 1, 1), zone)
    query = select(Visit.id, Visit.household_id, Visit.kind, Visit.visited_at).where(
        Visit.area_id == area_id, Visit.nobody_home.is_(False), Visit.deleted_at.is_(None),
        Visit.visited_at >= start, Visit.visited_at < end)
    if officer_id is not None:
        query = query.where(Visit.created_by == officer_id)
    return [rules.VisitFact(hid, kind, local_date(at, zone), vid)
            for vid, hid, kind, at in db.session.execute(query)]


def quota(estate_id: int) -> rules.Quota:
    return rules.Quota.of(policies(estate_id))


def due_days(estate_id: int) -> dict[str, int]:
    values = policies(estate_id)
    return {key: values[key] for key in rules.DUE_POLICIES.values()}

"""What the area rules read: the estate's areas, officers, buildings and the factors of the table."""

from __future__ import annotations

from datetime import UTC, date

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..auth.public import User, user_estates
from ..estate.public import Building, Household, Unit
from ..extensions import db
from ..kernel.dates import local_date, tz
from ..kernel.memo import per_session
from ..kernel.roles import Role
from .models import Area, AssignmentRow, AssignmentTable, KeyLocation, KeyLocationKind, TableStatus

OPEN = (TableStatus.DRAFT, TableStatus.PROPOSED)


def open_table(estate_id: int) -> AssignmentTable | None:
    """The draft or proposed version, if any (there is at most one per estate): from tables_of, which a
    page that lists versions or checks lobby cards reads anyway."""
    return next((table for table in tables_of(estate_id) if table.status in OPEN), None)


@per_session
def tables_of(estate_id: int) -> list[AssignmentTable]:
    """Every version, newest first, with their rows (one query for all, however many versions)."""
    return list(db.session.scalars(
        select(AssignmentTable).where(AssignmentTable.estate_id == estate_id).order_by(AssignmentTable.version.desc())
        .options(selectinload(AssignmentTable.rows))
    ))


def with_key_locations(areas) -> list[Area]:
    """The areas, with their key locations (retired ones too) loaded in one query for all those that had
    not loaded them yet: a page that lists areas with their places asks once, not once an area."""
    areas = list(areas)
    unloaded = [a for a in areas if "key_locations" in inspect(a).unloaded]
    if unloaded:
        found: dict[int, list[KeyLocation]] = {a.id: [] for a in unloaded}
        for location in db.session.scalars(select(KeyLocation).where(KeyLocation.area_id.in_(list(found)))
                                           .order_by(KeyLocation.id)):
            found[location.area_id].append(location)
        for area in unloaded:
            set_committed_value(area, "key_locations", found[area.id])
    return areas


def active_areas(estate_id: int, buildings: bool = False) -> list[Area]:
    """With their key locations (and buildings if asked): a query or two however many areas."""
    query = select(Area).where(Area.estate_id == estate_id, Area.active.is_(True)).order_by(Area.code)
    return with_key_locations(db.session.scalars(query.options(selectinload(Area.buildings)) if buildings else query))


@per_session
def estate_officers(estate_id: int, active_only: bool = True) -> list[User]:
    """The estate's officers by name (once a request: the overview's sections and obligations ask alike)."""
    query = (
        select(User).join(user_estates, user_estates.c.user_id == User.id)
        .where(user_estates.c.estate_id == estate_id, User.role == Role.OFFICER)
        .order_by(User.display_name).options(lazyload(User.estates))
    )
    if active_only:
        query = query.where(User.active.is_(True))
    return list(db.session.scalars(query))


def estate_buildings(estate_id: int) -> list[Building]:
    return list(db.session.scalars(select(Building).where(Building.estate_id == estate_id).order_by(Building.sort_key)))


def household_counts(estate_id: int) -> dict[int, int]:
    """Households of record per area, counted over the area's buildings (R-AREA-2 factor)."""
    rows = db.session.execute(
        select(Building.area_id, func.count(Household.id))
        .join(Unit, Unit.building_id == Building.id).join(Household, Household.unit_id == Unit.id)
        .where(Building.estate_id == estate_id, Building.area_id.is_not(None)).group_by(Building.area_id)
    )
    return {area_id: count for area_id, count in rows}


def floor_areas(estate_id: int) -> dict[int, float]:
    """Total unit floor area per area in m² (a starting value for the table's floor area)."""
    rows = db.session.execute(
        select(Building.area_id, func.sum(Unit.floor_area_m2)).join(Unit, Unit.building_id == Building.id)
        .where(Building.estate_id == estate_id, Building.area_id.is_not(None)).group_by(Building.area_id)
    )
    return {area_id: round(float(total), 1) for area_id, total in rows if total is not None}


def standing_key_locations(area: Area) -> list:
    """Key locations the assignment table lists: a renovating unit's floor comes and goes with the
    renovation (R-REN-1), so it never makes the table stale (R-AREA-3)."""
    return [k for k in area.key_locations if k.kind != KeyLocationKind.RENOVATION_FLOOR]


def key_location_snapshot(area: Area) -> list[dict]:
    return [{"id": k.id, "kind": k.kind, "name": k.name} for k in standing_key_locations(area) if k.active]


def assigned_areas(user_id: int) -> list[Area]:
    """The areas a person is the officer of in the tables in force (R-AREA-2)."""
    return list(db.session.scalars(
        select(Area).join(AssignmentRow, AssignmentRow.area_id == Area.id).join(AssignmentTable)
        .where(AssignmentTable.status == TableStatus.APPROVED, AssignmentRow.officer_id == user_id)
        .order_by(Area.estate_id, Area.code)
    ))


def holder_history(estate_id: int) -> list[tuple[date, dict[int, int | None]]]:
    """Approved assignment tables (in force or superseded), oldest first, as (local day, {area: officer})."""
    tables = db.session.scalars(select(AssignmentTable).where(
        AssignmentTable.estate_id == estate_id, AssignmentTable.decided_at.is_not(None),
        AssignmentTable.status.in_((TableStatus.APPROVED, TableStatus.SUPERSEDED))).order_by(AssignmentTable.decided_at)
        .options(selectinload(AssignmentTable.rows)))
    return [(local_date(t.decided_at.replace(tzinfo=t.decided_at.tzinfo or UTC), tz()),
             {r.area_id: r.officer_id for r in t.rows}) for t in tables]


def renovation_floor(area_id: int, building_id: int, floor: int) -> KeyLocation | None:
    """The active key location of a floor with a unit under renovation, if it has one (R-PAT-1, R-REN-1)."""
    return db.session.scalar(select(KeyLocation).where(
        KeyLocation.area_id == area_id, KeyLocation.kind == KeyLocationKind.RENOVATION_FLOOR,
        KeyLocation.building_id == building_id, KeyLocation.floor == floor, KeyLocation.active.is_(True)))


def contacts_of(user: User) -> dict:
    """What a lobby card shows of the officer (R-AREA-4)."""
    return {"mobile": user.mobile, "work_phone": user.work_phone, "photo": user.photo_media_id}


def area_name(area_id) -> object:
    """An area's name where a screen shows a record's fields (EntityWords); the value itself if no area has it."""
    area = db.session.get(Area, area_id) if isinstance(area_id, int) and not isinstance(area_id, bool) else None
    return area.name if area else area_id


def key_location_name(location_id) -> object:
    """A key location's name, likewise."""
    found = (db.session.get(KeyLocation, location_id)
             if isinstance(location_id, int) and not isinstance(location_id, bool) else None)
    return found.name if found else location_id

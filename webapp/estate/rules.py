"""Estate rules as plain functions: the household form, who may see which building, browsing.

Scope: officers see the buildings of their areas (R-AREA-2, through area_ids_visible_to), desk roles
the buildings of their current estate, nobody else sees household data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select

from ..areas.public import Area
from ..auth.public import area_ids_visible_to
from ..extensions import db
from ..kernel.parsers import Invalid, parse_date, parse_phone
from ..kernel.roles import DESK, Role
from .models import Building, Estate, Household, Unit
from .parsers import parse_name, parse_note, parse_relation_required

OCCUPANCY_LABELS = {"occupied": _l("Occupied"), "vacant": _l("Vacant"), "renovating": _l("Renovating")}
# Ordinary facts: plain chips, so colour keeps meaning (UX.md "Colours mean one thing each").
OCCUPANCY_CHIPS = {"occupied": "chip-plain", "vacant": "chip-plain", "renovating": "chip-plain"}


# --- the household form -----------------------------------------------------------------------------

HOUSEHOLD_PARSERS = {
    "name": parse_name,
    "relation": parse_relation_required,
    "phone": parse_phone,
    "phone2": parse_phone,
    "move_in_date": parse_date,
    "note": parse_note,
}


def clean_household(form: Mapping, unit: Unit, household: Household | None = None) -> tuple[dict, dict]:
    """The household fields from a form, and the errors by field (empty when valid)."""
    data, errors = {}, {}
    for name, parse in HOUSEHOLD_PARSERS.items():
        try:
            data[name] = parse(form.get(name, ""))
        except Invalid as exc:
            errors[name] = [exc.message]
    if data.get("name") and any(h.name == data["name"] and h is not household for h in unit.households):
        errors["name"] = [_("This unit already has a household member named %(name)s.", name=data["name"])]
    return data, errors


def household_form_values(household: Household) -> dict:
    values = {name: getattr(household, name) or "" for name in HOUSEHOLD_PARSERS}
    values["move_in_date"] = household.move_in_date.isoformat() if household.move_in_date else ""
    return values


def update_household(household: Household, data: dict) -> bool:
    """Apply the clean fields; True if anything changed."""
    changed = {k: v for k, v in data.items() if getattr(household, k) != v}
    for key, value in changed.items():
        setattr(household, key, value)
    return bool(changed)


# --- who sees what ----------------------------------------------------------------------------------


def can_edit_households(user) -> bool:
    return user.role in DESK


def can_see_building(user, estate: Estate | None, building: Building) -> bool:
    """Officers: buildings of their areas; desk roles: buildings of their current estate; nobody else."""
    if user.role == Role.OFFICER:
        return building.area_id is not None and building.area_id in area_ids_visible_to(user)
    if user.role in DESK:
        return estate is not None and building.estate_id == estate.id
    return False


def building_scope(user, estate: Estate):
    """The SQL condition on Building matching can_see_building within the estate."""
    condition = Building.estate_id == estate.id
    if user.role == Role.OFFICER:
        return and_(condition, Building.area_id.in_(area_ids_visible_to(user)))
    if user.role in DESK:
        return condition
    return Building.id.is_(None)


def _require(record, user, estate, building_of):
    if record is None:
        abort(404)
    if not can_see_building(user, estate, building_of(record)):
        abort(403)
    return record


def require_building(user, estate, building_id: int) -> Building:
    return _require(db.session.get(Building, building_id), user, estate, lambda b: b)


def require_unit(user, estate, unit_id: int) -> Unit:
    return _require(db.session.get(Unit, unit_id), user, estate, lambda u: u.building)


def require_household(user, estate, household_id: int) -> Household:
    return _require(db.session.get(Household, household_id), user, estate, lambda h: h.unit.building)


# --- browse -----------------------------------------------------------------------------------------


@dataclass
class BuildingRow:
    building: Building
    units: int = 0
    households: int = 0


@dataclass
class AreaGroup:
    area: Area | None
    buildings: list[BuildingRow] = field(default_factory=list)


def buildings_by_area(user, estate: Estate) -> list[AreaGroup]:
    """The buildings the user may see, with unit and household counts, grouped by area."""
    buildings = db.session.scalars(
        select(Building).where(building_scope(user, estate)).order_by(Building.sort_key, Building.code)
    ).all()
    ids = [b.id for b in buildings]
    per_building = select(Unit.building_id).where(Unit.building_id.in_(ids)).group_by(Unit.building_id)
    units = dict(db.session.execute(per_building.add_columns(func.count(Unit.id))).all())
    households = dict(db.session.execute(per_building.add_columns(func.count(Household.id)).join(Household)).all())
    area_ids = {b.area_id for b in buildings if b.area_id}
    areas = {a.id: a for a in db.session.scalars(select(Area).where(Area.id.in_(area_ids)))}
    groups: dict[int | None, AreaGroup] = {}
    for b in buildings:
        group = groups.setdefault(b.area_id, AreaGroup(areas.get(b.area_id)))
        group.buildings.append(BuildingRow(b, units.get(b.id, 0), households.get(b.id, 0)))
    return sorted(groups.values(), key=lambda g: (g.area is None, g.area.code if g.area else ""))


def floors_of(building: Building) -> list[tuple[int, list[Unit]]]:
    """(floor, units) with the top floor first, as the building is seen from outside."""
    floors: dict[int, list[Unit]] = {}
    for unit in building.units:
        floors.setdefault(unit.floor, []).append(unit)
    return [(floor, floors[floor]) for floor in sorted(floors, reverse=True)]


def occupancy_tally(building: Building, occupancy: dict[int, str] | None = None) -> dict[str, int]:
    """Units per occupancy; `occupancy` ({unit id: state}) overrides the register (a renovation under way)."""
    counts = Counter((occupancy or {}).get(u.id, u.occupancy) for u in building.units)
    return {key: counts.get(key, 0) for key in OCCUPANCY_LABELS}

"""Area edits by the supervisor (R-AREA-1), each logged in AreaChange so that R-AREA-3 sees them;
and the record that a lobby card was posted (R-AREA-4)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from sync.store import utcnow

from ..auth.public import User
from ..extensions import db
from .models import Area, AreaChange, AreaChangeKind, KeyLocation, KeyLocationKind, LobbyCardPosting
from .queries import contacts_of, estate_buildings

KEY_LOCATION_FIELDS = ("kind", "name", "building_id", "floor", "description")


def record_change(estate_id: int, kind: AreaChangeKind, user_id: int, area_id: int | None = None,
                  detail: str | None = None, now: datetime | None = None) -> AreaChange:
    change = AreaChange(estate_id=estate_id, area_id=area_id, kind=kind, detail=detail, changed_by=user_id,
                        changed_at=now or utcnow())
    db.session.add(change)
    return change


def check_area(estate_id: int, data: Mapping, area: Area | None = None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    clash = db.session.scalar(select(Area.id).where(Area.estate_id == estate_id, Area.code == data.get("code")))
    if clash is not None and (area is None or clash != area.id):
        errors["code"] = [_("Another area already has this code.")]
    known = {b.id for b in estate_buildings(estate_id)}
    if set(data.get("building_ids") or ()) - known:
        errors["building_ids"] = [_("Choose buildings of this estate.")]
    return errors


def save_area(estate_id: int, data: Mapping, user_id: int, area: Area | None = None) -> Area:
    """Create or edit an area and give it its buildings; every change is logged for R-AREA-3."""
    now = utcnow()
    if area is None:
        area = Area(estate_id=estate_id, code=data["code"], name=data["name"], description=data.get("description"),
                    created_at=now)
        db.session.add(area)
        db.session.flush()
        record_change(estate_id, AreaChangeKind.AREA_ADDED, user_id, area.id, area.name, now)
    else:
        if (area.code, area.name) != (data["code"], data["name"]):
            record_change(estate_id, AreaChangeKind.AREA_RENAMED, user_id, area.id, f"{area.name} → {data['name']}", now)
        area.code, area.name, area.description = data["code"], data["name"], data.get("description")
    _assign_buildings(area, set(data.get("building_ids") or ()), user_id, now)
    return area


def _assign_buildings(area: Area, wanted: set[int], user_id: int, now: datetime) -> None:
    moved = []
    for building in estate_buildings(area.estate_id):
        if building.id in wanted and building.area_id != area.id:
            building.area_id = area.id
            moved.append(f"{building.name} → {area.name}")
        elif building.id not in wanted and building.area_id == area.id:
            building.area_id = None
            moved.append(f"{building.name} → —")
    if moved:
        record_change(area.estate_id, AreaChangeKind.BUILDINGS_MOVED, user_id, area.id, "、".join(moved), now)
    db.session.flush()
    db.session.expire(area, ["buildings"])


def check_key_location(area: Area, data: Mapping) -> dict[str, list[str]]:
    if data.get("building_id") is not None and data["building_id"] not in {b.id for b in area.buildings}:
        return {"building_id": [_("Choose a building of this area.")]}
    return {}


def save_key_location(area: Area, data: Mapping, user_id: int, location: KeyLocation | None = None) -> KeyLocation:
    if location is None:
        location = KeyLocation(area=area, created_at=utcnow(), **{f: data.get(f) for f in KEY_LOCATION_FIELDS})
        db.session.add(location)
        db.session.flush()
        record_change(area.estate_id, AreaChangeKind.KEY_LOCATION_ADDED, user_id, area.id, f"{area.name} · {location.name}")
        return location
    if any(getattr(location, f) != data.get(f) for f in KEY_LOCATION_FIELDS):
        for f in KEY_LOCATION_FIELDS:
            setattr(location, f, data.get(f))
        record_change(area.estate_id, AreaChangeKind.KEY_LOCATION_CHANGED, user_id, area.id, f"{area.name} · {location.name}")
    return location


def retire_key_location(location: KeyLocation, user_id: int) -> None:
    """Retired, not deleted: the history and the tables that listed it keep it (R-PAT-1)."""
    if not location.active:
        return
    location.retire()
    area = location.area
    record_change(area.estate_id, AreaChangeKind.KEY_LOCATION_RETIRED, user_id, area.id, f"{area.name} · {location.name}",
                  location.retired_at)


def add_renovation_floor(area_id: int, building_id: int, floor: int, name: str) -> KeyLocation:
    """A floor with a unit under renovation becomes a key location, patrolled daily (R-PAT-1, R-REN-1).
    Not logged as an area change: it comes and goes with the renovation (R-AREA-3, standing_key_locations)."""
    location = KeyLocation(area_id=area_id, kind=KeyLocationKind.RENOVATION_FLOOR.value, name=name,
                           building_id=building_id, floor=floor)
    db.session.add(location)
    db.session.flush()
    return location


def post_lobby_card(area: Area, officer: User, user_id: int, now: datetime | None = None) -> LobbyCardPosting:
    posting = LobbyCardPosting(area_id=area.id, officer_id=officer.id, posted_by=user_id, posted_at=now or utcnow(),
                               contacts=contacts_of(officer))
    db.session.add(posting)
    return posting

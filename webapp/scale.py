"""Estates at scale, for measuring (`flask --app webapp seed-scale --estates N --months M`): each with its
buildings, units and households, areas and key locations, people and approved assignment table, then
M months of history from every domain (their scale.py, registered with hooks_of(app).add_scale).

Written in bulk (webapp.kernel.scale: COPY on PostgreSQL), deterministic (one seeded random generator),
synced records filed in the change log so a new phone's first pull finds them. The demo people's
password (webapp.demo.DEMO_PASSWORD) logs in as any of them: usernames are <estate code>-<role><n>,
e.g. s01-officer1, s01-supervisor1.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, text

from sync.store import utcnow

from .areas.models import (
    Area,
    AssignmentRow,
    AssignmentTable,
    KeyLocation,
    KeyLocationKind,
    LobbyCardPosting,
    TableStatus,
)
from .areas.queries import contacts_of
from .auth.models import User
from .demo import DEMO_PASSWORD, random_name, random_phone
from .estate.models import Building, Estate, Household, Unit
from .kernel.dates import day_start_utc, local_date
from .kernel.demo import ZONE
from .kernel.hooks import hooks_of
from .kernel.roles import Role, Team
from .kernel.scale import write

UNITS_PER_FLOOR = 6
DESK = ((Role.SUPERVISOR, 2), (Role.MANAGER, 1), (Role.FRONTDESK, 2), (Role.FINANCE, 1))
TEAM_MEMBERS = 2  # per work team
# The key locations of an area after its lobbies, in turn
OTHER_PLACES = ((KeyLocationKind.LEISURE, "儿童游乐区"), (KeyLocationKind.LEISURE, "健身器材区"),
                (KeyLocationKind.OTHER, "地下车库出入口"), (KeyLocationKind.PUBLIC_WORKS, "道路维修工地"),
                (KeyLocationKind.OTHER, "垃圾分类投放点"), (KeyLocationKind.OTHER, "消防通道"),
                (KeyLocationKind.LEISURE, "休闲广场"))


@dataclass(frozen=True)
class Size:
    """One estate's size; `locations` is key locations per area, one officer holds each area."""

    buildings: int = 30
    households: int = 5000
    areas: int = 10
    locations: int = 20


def build(session, estates: int, months: int, size: Size = Size(), seed: int = 20261206) -> list[dict]:
    """Add `estates` estates with `months` months of history up to now; their contexts (see _estate)."""
    rng = random.Random(seed)
    now = utcnow()
    first = (session.scalar(select(func.count(Estate.id)).where(Estate.code.like("S%"))) or 0) + 1
    template = User(username="-", display_name="-", role=Role.OFFICER)
    template.set_password(DEMO_PASSWORD)  # hashed once: a thousand hashes would take minutes
    made = []
    for n in range(first, first + estates):
        ctx = _estate(session, n, size, rng, now, template.password_hash)
        ctx.update(months=months, first_day=ctx["today"] - timedelta(days=months * 365 // 12))
        ctx["since"] = day_start_utc(ctx["first_day"], ZONE)
        _date_the_places(ctx)
        _approved_table(session, ctx)
        session.flush()
        for extend in hooks_of().scale:
            extend(session, ctx)
        session.commit()
        made.append(ctx)
    for table in session.get_bind().dialect.get_table_names(session.connection()):  # the store's own tables only
        session.execute(text(f'ANALYZE "{table}"'))  # the planner's statistics, as a store grown over months has them
    session.commit()
    return made


def _estate(session, n: int, size: Size, rng, now, password_hash: str) -> dict:
    code = f"S{n:02d}"
    estate = Estate(code=code, name=f"规模测试{n}号小区", kind="residential", address=f"上海市闵行区测试路{n}号")
    session.add(estate)
    users = _people(session, estate, size, rng, password_hash)
    session.flush()
    areas = [Area(estate_id=estate.id, code=f"A{i + 1}", name=f"{i + 1}区", description=f"{i + 1}区楼栋及周边道路、绿化")
             for i in range(size.areas)]
    session.add_all(areas)
    session.flush()
    buildings = _buildings(session, estate, areas, size, rng)
    locations = _key_locations(session, areas, buildings, size)
    officers = {area.id: officer for area, officer in zip(areas, users["officer"], strict=True)}
    return {"estate": estate, "areas": areas, "locations": locations, "buildings": buildings, "officers": officers,
            "users": users, "rng": rng, "now": now, "today": local_date(now, ZONE)}


def _people(session, estate, size: Size, rng, password_hash: str) -> dict[str, list[User]]:
    """Officers (one an area), the desk, two members of each work team: users[role or team] → people."""
    wanted = [(Role.OFFICER, None, size.areas), *((role, None, count) for role, count in DESK),
              *((Role.TEAM, team, TEAM_MEMBERS) for team in Team)]
    users: dict[str, list[User]] = {}
    for role, team, count in wanted:
        key = team or role
        for i in range(1, count + 1):
            user = User(username=f"{estate.code.lower()}-{key}{i}", display_name=random_name(rng), role=role, team=team,
                        mobile=random_phone(rng), password_hash=password_hash, estates=[estate])
            session.add(user)
            users.setdefault(str(key), []).append(user)
    return users


def _buildings(session, estate, areas, size: Size, rng) -> list[Building]:
    per_building = math.ceil(size.households / size.buildings)
    floors = math.ceil(per_building / UNITS_PER_FLOOR)
    buildings = [Building(estate_id=estate.id, code=str(b), name=f"{b}栋", floors=floors, sort_key=b,
                          area_id=areas[(b - 1) * len(areas) // size.buildings].id)
                 for b in range(1, size.buildings + 1)]
    session.add_all(buildings)
    session.flush()
    write(session, Unit, [
        {"building_id": b.id, "floor": 1 + i // UNITS_PER_FLOOR, "room": f"{1 + i // UNITS_PER_FLOOR}{1 + i % UNITS_PER_FLOOR:02d}",
         "floor_area_m2": rng.choice((89.5, 105.2, 128.0, 143.6)), "occupancy": "occupied"}
        for b in buildings for i in range(min(per_building, size.households - (b.sort_key - 1) * per_building))])
    units = session.execute(select(Unit.id).join(Building).where(Building.estate_id == estate.id)
                            .order_by(Unit.id)).scalars().all()
    write(session, Household, [
        {"unit_id": unit, "name": random_name(rng), "relation": "owner", "phone": random_phone(rng), "updated_at": utcnow()}
        for unit in units])
    return buildings


def _key_locations(session, areas, buildings, size: Size) -> dict[int, list[KeyLocation]]:
    """Each area's lobbies (one a building), then other places, up to `size.locations`."""
    found = {}
    for area in areas:
        lobbies = [(KeyLocationKind.LOBBY, f"{b.name}首层大堂") for b in buildings if b.area_id == area.id]
        others = [(kind, f"{area.name}{name}{'' if n < len(OTHER_PLACES) else n // len(OTHER_PLACES) + 1}")
                  for n, (kind, name) in ((n, OTHER_PLACES[n % len(OTHER_PLACES)]) for n in range(size.locations))]
        found[area.id] = [KeyLocation(area_id=area.id, kind=kind, name=name)
                          for kind, name in (lobbies + others)[:size.locations]]
        session.add_all(found[area.id])
    session.flush()
    return found


def _date_the_places(ctx) -> None:
    """Areas and key locations predate the history, so none is due before it begins."""
    for area in ctx["areas"]:
        area.created_at = ctx["since"]
        for location in ctx["locations"][area.id]:
            location.created_at = ctx["since"]


def _approved_table(session, ctx) -> None:
    users, estate = ctx["users"], ctx["estate"]
    approved_at = ctx["since"] - timedelta(days=1)
    supervisor, manager = users[Role.SUPERVISOR][0], users[Role.MANAGER][0]
    table = AssignmentTable(estate_id=estate.id, version=1, status=TableStatus.APPROVED, note="年度区域分配",
                            created_by=supervisor.id, created_at=approved_at - timedelta(days=2), proposed_by=supervisor.id,
                            proposed_at=approved_at - timedelta(days=1), decided_by=manager.id, decided_at=approved_at)
    for area in ctx["areas"]:
        officer = ctx["officers"][area.id]
        table.rows.append(AssignmentRow(
            area_id=area.id, officer_id=officer.id, scope=area.description, household_count=None, floor_area_m2=None,
            difficulty=3, key_locations=[{"id": k.id, "kind": k.kind, "name": k.name} for k in ctx["locations"][area.id]]))
        session.add(LobbyCardPosting(area_id=area.id, officer_id=officer.id, posted_by=officer.id,
                                     posted_at=approved_at + timedelta(days=1), contacts=contacts_of(officer)))
    session.add(table)

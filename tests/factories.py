"""Factories: what tests build again and again, made with the app's own verbs (the supervisor's edits,
the table's propose/approve, the desk's register, a phone's push), for tests where the demo estate is
not the point. Each returns plain values (a SimpleNamespace of ids and names), never a live model, and
leaves nothing behind: the suite's per-test restore puts the seeded data back.

Exposed as fixtures by tests/conftest.py: make_user, make_estate, make_area, make_key_location,
make_note, make_round, make_renovation, make_household, make_visit. People are given as a SimpleNamespace with an id (make_user's,
`users[...]`) or a username.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from webapp.areas import edits, rules
from webapp.areas.models import Area, KeyLocation
from webapp.auth.models import User
from webapp.estate.models import Building, Estate, Household, Unit
from webapp.extensions import db
from webapp.kernel.roles import Role
from webapp.patrol import queries as patrol_queries
from webapp.patrol.checklists import seed_templates
from webapp.patrol.rules import finding_id
from webapp.renovation import queries as renovation_queries
from webapp.renovation.models import Renovation, Status
from webapp.residents.rules import case_id

PASSWORD = "patrol123"
LIFE = (Status.APPLIED, Status.APPROVED, Status.IN_PROGRESS, Status.COMPLETED)  # R-REN-2, as the desk moves it


def _tag() -> str:
    return uuid.uuid4().hex[:6]


@contextmanager
def _session(app):
    """An app context of its own (a test may hold one: its session is left alone)."""
    with app.app_context():
        try:
            yield db.session
        finally:
            db.session.remove()


def _user(who) -> User:
    if isinstance(who, str):
        return db.session.scalar(select(User).where(User.username == who))
    return db.session.get(User, who if isinstance(who, int) else who.id)


def _desk(estate_id: int) -> User:
    """Who does the desk's part: the estate's supervisor or manager, else an administrator."""
    for roles in ((Role.SUPERVISOR, Role.MANAGER), (Role.ADMIN,)):
        for user in db.session.scalars(select(User).where(User.role.in_(roles)).order_by(User.id)):
            if roles == (Role.ADMIN,) or estate_id in user.estate_ids:
                return user
    raise LookupError("no supervisor, manager or administrator to act for the desk")


def _estate(code_or_id) -> Estate:
    if isinstance(code_or_id, str):
        return db.session.scalar(select(Estate).where(Estate.code == code_or_id))
    return db.session.get(Estate, code_or_id if isinstance(code_or_id, int) else code_or_id.id)


# --------------------------------------------------------------------------- people and places


def user(app, role: str = "officer", estates: Iterable[str] = ("JXHY",), **fields) -> SimpleNamespace:
    """A new person of that role in those estates (by code); log them in with login_as(user.username)."""
    with _session(app) as session:
        person = User(username=fields.pop("username", f"{role}-{_tag()}"),
                      display_name=fields.pop("display_name", "测试人员"), role=role, **fields)
        person.set_password(PASSWORD)
        person.estates = list(session.scalars(select(Estate).where(Estate.code.in_(list(estates)))))
        session.add(person)
        session.commit()
        return SimpleNamespace(id=person.id, username=person.username, role=person.role,
                               display_name=person.display_name)


def estate(app, code: str | None = None, name: str = "别的小区", **fields) -> SimpleNamespace:
    """Another estate, with the default patrol checklists (as its supervisor seeds them, R-PAT-2)."""
    with _session(app) as session:
        made = Estate(code=code or f"T{_tag()}".upper(), name=name, kind=fields.pop("kind", "residential"),
                      address=fields.pop("address", "别处"), **fields)
        session.add(made)
        session.flush()
        seed_templates(session, made.id)
        session.commit()
        return SimpleNamespace(id=made.id, code=made.code, name=made.name)


def area(app, estate="JXHY", officer=None, name: str | None = None, code: str | None = None,
         key_locations: Iterable[str] = ("lobby",), buildings: int = 0) -> SimpleNamespace:
    """A new area of the estate (a code, an id or make_estate's), as the supervisor adds it: its buildings
    (each `floors` 6, two units a floor), its key locations (by kind, R-PAT-1), and — given an officer —
    its row in a new assignment table, proposed and approved (R-AREA-1, R-AREA-2), so that the officer
    holds it. Without an officer the area is in no approved table: make the areas of one estate that
    need none last. → id, estate_id, code, name, officer_id, table_id, building_ids, key_location_ids,
    lobby (the first key location's id)."""
    tag = _tag()
    with _session(app) as session:
        place = _estate(estate)
        desk = _desk(place.id)
        building_ids = [_building(session, place.id, f"{tag}{n}") for n in range(1, buildings + 1)]
        made = edits.save_area(place.id, {"code": code or f"Z{tag}", "name": name or f"测试区{tag}",
                                          "description": "测试用区域", "building_ids": building_ids}, desk.id)
        locations = [edits.save_key_location(made, {"kind": kind, "name": f"{made.name}{kind}"}, desk.id)
                     for kind in key_locations]
        officer_id = _user(officer).id if officer is not None else None
        table_id = _approve_with(place.id, made.id, officer_id, desk.id) if officer_id else None
        session.commit()
        return SimpleNamespace(id=made.id, estate_id=place.id, code=made.code, name=made.name, officer_id=officer_id,
                               table_id=table_id, building_ids=building_ids,
                               key_location_ids=[k.id for k in locations],
                               lobby=locations[0].id if locations else None)


def _building(session, estate_id: int, code: str, floors: int = 6) -> int:
    building = Building(estate_id=estate_id, code=code, name=f"{code}栋", floors=floors)
    building.units = [Unit(floor=f, room=f"{f}{n:02d}") for f in range(1, floors + 1) for n in (1, 2)]
    session.add(building)
    session.flush()
    return building.id


def _approve_with(estate_id: int, area_id: int, officer_id: int, desk_id: int) -> int:
    table = rules.create_draft(estate_id, desk_id)
    rules.apply_rows(table, {area_id: {"officer_id": officer_id, "scope": "测试用区域", "difficulty": 3}})
    db.session.flush()
    rules.propose_table(table, desk_id)
    rules.approve_table(table, desk_id)
    return table.id


def key_location(app, area, kind: str = "lobby", name: str | None = None, **fields) -> SimpleNamespace:
    """A key location of the area (an id or make_area's), added by the supervisor (logged for R-AREA-3)."""
    with _session(app) as session:
        where = session.get(Area, area if isinstance(area, int) else area.id)
        made = edits.save_key_location(where, {"kind": kind, "name": name or f"{where.name}{kind}", **fields},
                                       _desk(where.estate_id).id)
        session.commit()
        return SimpleNamespace(id=made.id, area_id=where.id, kind=made.kind, name=made.name)


# --------------------------------------------------------------------------- synced records: pushed as a phone would


def push(app, who, *mutations) -> list[dict]:
    """Push through /sync/push as that person, from a client of its own (the test's stays logged in as
    it was); every mutation must apply."""
    with _session(app):
        user_id = _user(who).id
    phone = app.test_client()
    with phone.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    token = phone.get("/sync/whoami").get_json()["csrf_token"]
    response = phone.post("/sync/push", data=json.dumps({"device_id": f"factory-{_tag()}", "mutations": list(mutations)}),
                          content_type="application/json", headers={"X-CSRFToken": token})
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["applied"] * len(mutations), results
    return results


def mutation(entity: str, fields: dict, observed_at: datetime | None = None) -> dict:
    return {"mutation_id": str(uuid.uuid4()), "entity": entity, "record_id": str(uuid.uuid4()), "op": "create",
            "base_version": None, "fields": fields, "observed_at": (observed_at or datetime.now(UTC)).isoformat()}


def _officer_of(app, area_id: int):
    with _session(app):
        found = rules.officers_by_area(db.session.get(Area, area_id).estate_id).get(area_id)
        if found is None:
            raise LookupError("the area has no officer: say who pushes (by=...)")
        return found.id


def note(app, area, text: str = "大堂灯不亮", by=None, key_location: int | None = None,
         photo_ids: Iterable[str] = ()) -> SimpleNamespace:
    """A quick note (R-REC-1) in the area (an id or make_area's), pushed by `by` (default: its officer)."""
    area_id = area if isinstance(area, int) else area.id
    fields = {"area_id": area_id, "text": text, "photo_ids": list(photo_ids)}
    if key_location is not None:
        fields["key_location_id"] = key_location
    made = mutation("quick_note", fields)
    push(app, by if by is not None else _officer_of(app, area_id), made)
    return SimpleNamespace(id=made["record_id"], area_id=area_id, text=text)


def patrol_round(app, location, defects: Mapping[str, str | Mapping] | None = None, by=None,
                 **fields) -> SimpleNamespace:
    """A round at a key location (an id, or make_area's / make_key_location's) with the server's own
    checklist for it (R-PAT-2), pushed by `by` (default: the area's officer); `defects` by item code →
    a note, or the check's fields ({"note", "photo_ids", "team", …}). The findings are derived by the
    push (R-PAT-4). → id, area_id, key_location_id, items {code: item id}, teams {code: team},
    findings {code: finding id}."""
    if isinstance(location, int):
        location_id = location
    else:  # make_area's (its lobby) or make_key_location's
        location_id = location.lobby if hasattr(location, "lobby") else location.id
    assert location_id is not None, "a round at a key location: make the area with one, or name it"
    with _session(app) as session:
        where = session.get(KeyLocation, location_id)
        area_id, estate_id = where.area_id, where.area.estate_id
        items = [i for t in patrol_queries.current_templates(estate_id, patrol_queries.round_kinds(where))
                 for i in t.items]
        codes = {i.code: i.id for i in items}
        teams = {i.code: i.team for i in items}
    defects = {code: ({"note": found} if isinstance(found, str) else dict(found)) for code, found in (defects or {}).items()}
    unknown = set(defects) - set(codes)
    assert not unknown, f"no such items on this location's checklist: {unknown}"
    checks = [{"item_id": codes[code], "result": "defect", **defects[code]} if code in defects
              else {"item_id": codes[code], "result": "ok"} for code in codes]
    made = mutation("patrol_round", {"area_id": area_id, "key_location_id": location_id, "kind": "key",
                                     "start_method": "qr", "started_at": datetime.now(UTC).isoformat(),
                                     "checks": checks, **fields})
    push(app, by if by is not None else _officer_of(app, area_id), made)
    return SimpleNamespace(id=made["record_id"], area_id=area_id, key_location_id=location_id, items=codes,
                           teams={code: defects[code].get("team", teams[code]) for code in defects},
                           findings={code: finding_id(made["record_id"], codes[code]) for code in defects})


# --------------------------------------------------------------------------- the renovation register


def renovation(app, area, status: str = Status.IN_PROGRESS, start: date | None = None, days: int = 30,
               unit: int | None = None) -> SimpleNamespace:
    """A renovation file (R-REN-2) for a unit of the area (an id or make_area's; default: its first unit
    without an open file), registered at the desk and moved along its life to `status` (applied …
    completed), each move in the file's history; its floor becomes a key location while it is under way
    (R-PAT-1, as the register does). → id, estate_id, area_id, unit_id, status, key_location_id."""
    area_id = area if isinstance(area, int) else area.id
    assert status in LIFE, f"make_renovation stops at completed: a file is closed by its final inspection ({status})"
    with _session(app) as session:
        where = session.get(Area, area_id)
        desk = _desk(where.estate_id)
        unit_id = unit or _free_unit(session, area_id)
        first = start or renovation_queries.today(datetime.now(UTC))
        ren = Renovation(estate_id=where.estate_id, area_id=area_id, unit_id=unit_id, owner_name="测试业主",
                         owner_phone="13900000000", contractor="测试装饰公司", foreman="周师傅",
                         foreman_phone="13900001111", crew_size=3, approval_no="ZX-TEST", scope="水电改造",
                         start_date=first, planned_end=first + timedelta(days=days), status=Status.APPLIED,
                         created_by=desk.id)
        session.add(ren)
        ren.log_status(None, Status.APPLIED, desk.id)
        for step in LIFE[1:LIFE.index(status) + 1]:
            ren.move_to(step, desk.id)
        session.flush()
        renovation_queries.sync_floor_location(ren, renovation_queries.today(datetime.now(UTC)))
        session.commit()
        return SimpleNamespace(id=ren.id, estate_id=ren.estate_id, area_id=area_id, unit_id=unit_id,
                               status=ren.status, key_location_id=ren.key_location_id)


def _free_unit(session, area_id: int) -> int:
    taken = select(Renovation.unit_id).where(Renovation.status != Status.CLOSED)
    found = session.scalar(select(Unit.id).join(Building).where(Building.area_id == area_id, Unit.id.not_in(taken))
                           .order_by(Building.sort_key, Building.id, Unit.floor, Unit.room))
    if found is None:
        raise LookupError("the area has no free unit: make it with make_area(..., buildings=1)")
    return found


# --------------------------------------------------------------------------- residents


def household(app, area, name: str = "测试业主", phone: str = "13900002222", unit: int | None = None,
              since: date | None = None, relation: str = "owner") -> SimpleNamespace:
    """A household of record in a unit of the area (an id or make_area's, made with buildings=1 or more;
    default: its first unit), on the books from `since` (its move-in date). → id, unit_id, area_id, name."""
    area_id = area if isinstance(area, int) else area.id
    with _session(app) as session:
        unit_id = unit or session.scalar(select(Unit.id).join(Building).where(Building.area_id == area_id)
                                         .order_by(Building.sort_key, Building.id, Unit.floor, Unit.room))
        if unit_id is None:
            raise LookupError("the area has no unit: make it with make_area(..., buildings=1)")
        made = Household(unit_id=unit_id, name=name, phone=phone, relation=relation, move_in_date=since)
        session.add(made)
        session.commit()
        return SimpleNamespace(id=made.id, unit_id=unit_id, area_id=area_id, name=name)


def visit(app, household, opinions: Iterable[Mapping] = (), kind: str = "home", by=None, at: datetime | None = None,
          **fields) -> SimpleNamespace:
    """A visit (R-VIS-5) to make_household's household, pushed by `by` (default: its area's officer);
    each opinion ({"type", "text", …}) becomes a case in the push. → id, area_id, household_id, case_ids."""
    opinions = [dict(o) for o in opinions]
    made = mutation("resident_visit", {"area_id": household.area_id, "household_id": household.id, "kind": kind,
                                       "visited_at": (at or datetime.now(UTC)).isoformat(), "opinions": opinions,
                                       **fields})
    push(app, by if by is not None else _officer_of(app, household.area_id), made)
    return SimpleNamespace(id=made["record_id"], area_id=household.area_id, household_id=household.id,
                           case_ids=[case_id(made["record_id"], i) for i in range(len(opinions))])

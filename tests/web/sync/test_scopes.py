"""The access matrix of the sync API, by role: what a phone pulls and which photos it may read
(webapp/kernel/scopes.py). Officers hold their own areas; a work team holds its own team's findings and
nothing else; the desk roles hold the estate, its duty log and its key cabinet; an officer of another estate holds nothing of this one.
Emergencies (R-PAT-5): anyone reports one anywhere in the estate; officers are called to their own areas'
ones. A daily work record is filed under its officer's area. The areas are made for the test (tests/factories.py), held by the demo officers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.factories import mutation
from tests.web.sync.test_api import JPEG, note_mutation, put_media
from webapp.extensions import db
from webapp.kernel.dates import local_date
from webapp.kernel.demo import ZONE
from webapp.keys.models import Key
from webapp.records.rules import record_id
from webapp.residents.models import CaseEvent

ROLES = ["officer", "officer2", "supervisor", "manager", "frontdesk", "finance", "team", "admin", "elsewhere"]


def upload(api, client, who: str, body: bytes = JPEG) -> str:
    api.login(who)
    media_id, response = put_media(client, api.token, body + who.encode())
    assert response.status_code == 201
    return media_id


@pytest.fixture
def world(app, api, client, users, make_estate, make_user, make_area, make_note, make_round, make_household, make_visit):
    """east (wangxm's): his note and round (a defect for engineering, one for cleaning, each with a
    photo); south (lina's): her note with a photo, and an emergency she reports in east; and another
    estate, whose officer ("elsewhere") wrote a note with a photo in their own area."""
    other = make_estate()
    elsewhere = make_user("officer", estates=(other.code,))
    east, south = make_area(officer=users["officer"], buildings=1), make_area(officer=users["officer2"])
    far = make_area(other, officer=elsewhere)
    photos = {name: upload(api, client, who) for name, who in
              (("east_note", "officer"), ("engineering", "officer"), ("cleaning", "officer"),
               ("south_note", "officer2"), ("elsewhere", elsewhere.username))}
    east_note = make_note(east, "东区大堂", photo_ids=[photos["east_note"]])
    round_ = make_round(east, {"lighting": {"note": "灯不亮", "photo_ids": [photos["engineering"]]},
                               "cleaning_quality": {"note": "地面有垃圾", "photo_ids": [photos["cleaning"]]}})
    assert round_.teams == {"lighting": "engineering", "cleaning_quality": "cleaning"}
    south_note = make_note(south, "南区车库", photo_ids=[photos["south_note"]])
    alarm = mutation("patrol_emergency", {"estate_id": east.estate_id, "area_id": east.id, "kind": "water",
                                          "description": "东区水管爆裂"})
    api.login("officer2")
    assert api.statuses(alarm) == ["applied"]
    far_note = make_note(far, "别处的记录", photo_ids=[photos["elsewhere"]])
    home = make_household(east)
    visit = make_visit(home, [{"type": "repair", "text": "阳台漏水"}])  # its case, its first event
    chase = mutation("fee_chase", {"area_id": east.id, "unit_id": home.unit_id, "household_id": home.id,
                                   "method": "phone", "outcome": "not_reached"})
    api.login("officer")
    assert api.statuses(chase) == ["applied"]
    day = local_date(datetime.now(UTC), ZONE)
    record = {**mutation("daily_record", {"officer_id": users["officer"].id, "area_id": east.id,
                                          "day": day.isoformat(), "notes": "上午开会"}),
              "record_id": record_id(users["officer"].id, day)}
    api.login("officer")
    assert api.statuses(record) == ["applied"]
    duty = mutation("duty_entry", {"estate_id": east.estate_id, "occurred_at": "2026-12-06T08:00:00+08:00",
                                   "category": "visitor", "what": "访客登记", "handled_by": "孙丽"})
    api.login("frontdesk")
    assert api.statuses(duty) == ["applied"]
    with app.app_context():
        key = Key(estate_id=east.estate_id, unit_label="1栋101", label="1栋101 入户门钥匙", count=1, kind="customer")
        db.session.add(key)
        db.session.commit()
        key_id = key.id
        db.session.remove()
    loan = mutation("key_loan", {"estate_id": east.estate_id, "key_id": key_id, "count": 1, "borrower": "王师傅",
                                 "phone": "13900001111", "purpose": "维修", "lent_at": "2026-12-06T08:00:00+08:00",
                                 "expected_return": "2026-12-07"})
    assert api.statuses(loan) == ["applied"]
    return {"photos": photos, "east": east.id, "south": south.id, "elsewhere": elsewhere.username,
            "east_note": east_note.id, "south_note": south_note.id, "far_note": far_note.id, "round": round_.id,
            "findings": {round_.teams[code]: found for code, found in round_.findings.items()},
            "emergency": alarm["record_id"], "visit": visit.id, "case": visit.case_ids[0],
            "case_events": case_events(app, visit.case_ids[0]), "daily_record": record["record_id"], "duty": duty["record_id"],
            "loan": loan["record_id"], "chase": chase["record_id"]}


def person(who: str, world: dict) -> str:
    return world["elsewhere"] if who == "elsewhere" else who


def pulled(api, who: str) -> dict[str, set]:
    api.login(who)
    page = api.pull(0)
    assert not page["more"]
    found: dict[str, set] = {}
    for change in page["changes"]:
        if change["op"] == "upsert":
            found.setdefault(change["entity"], set()).add(change["id"])
    return found


def case_events(app, case_id: str) -> set[str]:
    with app.app_context():
        found = set(db.session.scalars(select(CaseEvent.id).where(CaseEvent.case_id == case_id)))
        db.session.remove()
    assert len(found) == 1  # received
    return found


def expected_pull(who: str, world: dict) -> dict[str, set]:
    if who == "finance":  # the fee pages on the web only: nothing offline
        return {}
    if who == "team":  # zhouqiang, engineering: its own finding, nothing else
        return {"patrol_finding": {world["findings"]["engineering"]}}
    if who == "officer2":
        return {"quick_note": {world["south_note"]}}
    if who == "elsewhere":
        return {"quick_note": {world["far_note"]}}
    east = {"quick_note": {world["east_note"]}, "patrol_round": {world["round"]},
            "patrol_finding": set(world["findings"].values()), "patrol_emergency": {world["emergency"]},
            "resident_visit": {world["visit"]}, "resident_case": {world["case"]},
            "resident_case_event": world["case_events"], "daily_record": {world["daily_record"]}, "fee_chase": {world["chase"]}}
    if who == "officer":
        return east
    # the desk roles: the whole estate, its duty log (R-DUTY-1) and key cabinet (R-KEY-2): not officers', not teams'
    return {**east, "quick_note": {world["east_note"], world["south_note"]}, "duty_entry": {world["duty"]},
            "key_loan": {world["loan"]}}


@pytest.mark.parametrize("who", ROLES)
def test_a_phone_pulls_exactly_what_its_role_and_areas_hold(api, world, who):
    assert pulled(api, person(who, world)) == expected_pull(who, world)


@pytest.mark.parametrize("who", ROLES)
def test_photos_open_for_exactly_who_may_see_their_records(api, client, world, who):
    readable = {
        "officer": {"east_note", "engineering", "cleaning"},
        "officer2": {"south_note"},
        "team": {"engineering"},
        "elsewhere": {"elsewhere"},
        "finance": set(),  # the fee pages only
        "admin": set(world["photos"]),  # an administrator reads every upload
    }.get(who, {"east_note", "engineering", "cleaning", "south_note"})
    api.login(person(who, world))
    for name, media_id in world["photos"].items():
        response = client.get(f"/sync/media/{media_id}")
        response.close()
        assert response.status_code == (200 if name in readable else 403), (who, name)


def test_an_administrator_of_no_estate_pulls_what_they_see_on_the_web(api, world, make_user):
    """One answer for pages and sync: an admin with no estate sees every area of every estate on the web,
    and pulls them."""
    admin = make_user("admin", estates=())
    supervisor, elsewhere = pulled(api, "supervisor"), pulled(api, world["elsewhere"])
    assert pulled(api, admin.username) == {**supervisor, "quick_note": supervisor["quick_note"] | elsewhere["quick_note"]}


def test_a_push_naming_someone_elses_photo_it_cannot_see_is_rejected_and_stores_nothing(app, api, client, world):
    """Otherwise attaching another area's photo id to one's own note would make that photo readable."""
    foreign = world["photos"]["east_note"]
    api.login("officer2")
    theft = note_mutation(world["south"], "借用照片", photo_ids=[foreign])
    [result] = api.push(theft).get_json()["results"]
    assert result["status"] == "rejected" and "photo_ids" in result["errors"], result
    assert client.get(f"/sync/media/{foreign}").status_code == 403
    assert theft["record_id"] not in pulled(api, "officer2").get("quick_note", set())


def test_a_photo_the_pusher_can_see_or_not_yet_uploaded_may_be_attached(app, api, world):
    """A supervisor may show an officer's photo again; a record may reach the server before its photo."""
    api.login("supervisor")
    again = note_mutation(world["east"], "复查", photo_ids=[world["photos"]["east_note"]])
    pending = note_mutation(world["east"], "照片稍后上传", photo_ids=["5f1d1a5e-0000-4000-8000-0000000000aa"])
    assert api.statuses(again, pending) == ["applied", "applied"]

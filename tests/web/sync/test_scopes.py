"""The access matrix of the sync API, by role: what a phone pulls and which photos it may read
(webapp/scopes.py). Officers hold their own areas; a work team holds its own team's findings and
nothing else; the desk roles hold the estate. Emergencies (R-PAT-5): anyone reports one anywhere in
the estate; officers are called to their own areas' ones."""

from __future__ import annotations

import pytest

from tests.web.patrol.test_sync import mutation, round_fields
from tests.web.sync.test_api import JPEG, area_id, note_mutation, put_media

ROLES = ["officer", "officer2", "supervisor", "manager", "frontdesk", "team", "admin"]
DESK = {"supervisor", "manager", "frontdesk", "admin"}


def upload(api, client, who: str, body: bytes = JPEG) -> str:
    api.login(who)
    media_id, response = put_media(client, api.token, body + who.encode())
    assert response.status_code == 201
    return media_id


@pytest.fixture
def world(app, api, client, place):
    """东区: wangxm's note and round (one defect for engineering, one for cleaning, each with a photo);
    南区: lina's note with a photo, and an emergency she reports in 东区."""
    photos = {name: upload(api, client, who) for name, who in
              (("east_note", "officer"), ("engineering", "officer"), ("cleaning", "officer"), ("south_note", "officer2"))}
    eng_item = next(item_id for item_id, _code, team in place["items"] if team == "engineering")
    clean_item = next(item_id for item_id, _code, team in place["items"] if team == "cleaning")
    east_note = note_mutation(area_id(app, "东区"), "东区大堂", photo_ids=[photos["east_note"]])
    round_ = mutation("patrol_round", round_fields(place, {
        eng_item: {"note": "灯不亮", "photo_ids": [photos["engineering"]], "team": "engineering"},
        clean_item: {"note": "地面有垃圾", "photo_ids": [photos["cleaning"]], "team": "cleaning"}}))
    api.login("officer")
    assert api.statuses(east_note, round_) == ["applied", "applied"]
    south_note = note_mutation(area_id(app, "南区"), "南区车库", photo_ids=[photos["south_note"]])
    alarm = mutation("patrol_emergency", {"estate_id": place["estate"], "area_id": place["area"], "kind": "water",
                                          "description": "东区水管爆裂"})
    api.login("officer2")
    assert api.statuses(south_note, alarm) == ["applied", "applied"]
    return {"photos": photos, "east_note": east_note["record_id"], "south_note": south_note["record_id"],
            "round": round_["record_id"], "emergency": alarm["record_id"]}


def pulled(api, who: str) -> dict[str, set]:
    api.login(who)
    page = api.pull(0)
    assert not page["more"]
    found: dict[str, set] = {}
    for change in page["changes"]:
        if change["op"] == "upsert":
            found.setdefault(change["entity"], set()).add(change["id"])
    return found


def expected_pull(who: str, world: dict, findings: dict[str, str]) -> dict[str, set]:
    if who == "team":  # zhouqiang, engineering: its own finding, nothing else
        return {"patrol_finding": {findings["engineering"]}}
    if who == "officer2":
        return {"quick_note": {world["south_note"]}}
    east = {"quick_note": {world["east_note"]}, "patrol_round": {world["round"]},
            "patrol_finding": set(findings.values()), "patrol_emergency": {world["emergency"]}}
    if who == "officer":
        return east
    return {**east, "quick_note": {world["east_note"], world["south_note"]}}


@pytest.mark.parametrize("who", ROLES)
def test_a_phone_pulls_exactly_what_its_role_and_areas_hold(app, api, world, who):
    findings = derived_findings(app, world["round"])
    assert pulled(api, who) == expected_pull(who, world, findings)


@pytest.mark.parametrize("who", ROLES)
def test_photos_open_for_exactly_who_may_see_their_records(api, client, world, who):
    readable = {
        "officer": {"east_note", "engineering", "cleaning"},
        "officer2": {"south_note"},
        "team": {"engineering"},
    }.get(who, {"east_note", "engineering", "cleaning", "south_note"})
    api.login(who)
    for name, media_id in world["photos"].items():
        response = client.get(f"/sync/media/{media_id}")
        response.close()
        assert response.status_code == (200 if name in readable else 403), (who, name)


def test_an_administrator_of_no_estate_pulls_what_they_see_on_the_web(api, world, make_user):
    """One answer for pages and sync: an admin with no estate sees every area on the web, and pulls them."""
    admin = make_user("admin", estates=())
    assert pulled(api, admin.username) == pulled(api, "supervisor")


def test_a_push_naming_someone_elses_photo_it_cannot_see_is_rejected_and_stores_nothing(app, api, client, world):
    """Otherwise attaching another area's photo id to one's own note would make that photo readable."""
    foreign = world["photos"]["east_note"]
    api.login("officer2")
    theft = note_mutation(area_id(app, "南区"), "借用照片", photo_ids=[foreign])
    [result] = api.push(theft).get_json()["results"]
    assert result["status"] == "rejected" and "photo_ids" in result["errors"], result
    assert client.get(f"/sync/media/{foreign}").status_code == 403
    assert theft["record_id"] not in pulled(api, "officer2").get("quick_note", set())


def test_a_photo_the_pusher_can_see_or_not_yet_uploaded_may_be_attached(app, api, world):
    """A supervisor may show an officer's photo again; a record may reach the server before its photo."""
    api.login("supervisor")
    again = note_mutation(area_id(app, "东区"), "复查", photo_ids=[world["photos"]["east_note"]])
    pending = note_mutation(area_id(app, "东区"), "照片稍后上传", photo_ids=["5f1d1a5e-0000-4000-8000-0000000000aa"])
    assert api.statuses(again, pending) == ["applied", "applied"]


def derived_findings(app, round_id: str) -> dict[str, str]:
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.patrol.models import Finding

    with app.app_context():
        rows = db.session.execute(select(Finding.team, Finding.id).where(Finding.round_id == round_id)).all()
        db.session.remove()
    return dict(rows)

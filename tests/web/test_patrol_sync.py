"""Patrol records through the sync engine (R-PAT-1…5, R-SUP-1): rounds, derived findings and their
status changes, emergencies — pushed as a phone would, with bad input, scope and conflicts."""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from sync.models import Conflict
from tests.web.test_patrol_pages import another_estate
from webapp.areas.models import Area, KeyLocation
from webapp.extensions import db
from webapp.patrol import rules
from webapp.patrol.models import ChecklistTemplate, Emergency, Finding, PatrolRound

PNG_PHOTO = "5f1d1a5e-0000-4000-8000-00000000a001"


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def mutation(entity: str, fields: dict, op: str = "create", record_id: str | None = None, base_version=None) -> dict:
    return {"mutation_id": str(uuid.uuid4()), "entity": entity, "record_id": record_id or str(uuid.uuid4()),
            "op": op, "base_version": base_version, "fields": fields, "observed_at": now_iso()}


@pytest.fixture
def api(client, login_as):
    class Api:
        token = None

        def login(self, who):
            user = login_as(who)
            self.token = client.get("/sync/whoami").get_json()["csrf_token"]
            return user

        client = None

        def push(self, *mutations):
            response = client.post("/sync/push", data=json.dumps({"device_id": "phone-1", "mutations": list(mutations)}),
                                   content_type="application/json", headers={"X-CSRFToken": self.token})
            assert response.status_code == 200, response.get_data(as_text=True)
            return response.get_json()["results"]

    found = Api()
    found.client = client
    return found


@pytest.fixture
def place(app):
    """東区 (the demo officer's area), its first lobby and that lobby's checklist items."""
    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.name == "东区"))
        lobby = db.session.scalar(select(KeyLocation).where(KeyLocation.area_id == area.id, KeyLocation.kind == "lobby"))
        other = db.session.scalar(select(Area).where(Area.name == "南区"))
        other_loc = db.session.scalar(select(KeyLocation).where(KeyLocation.area_id == other.id))
        template = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.kind == "lobby",
                                                                     ChecklistTemplate.retired_at.is_(None)))
        items = [(i.id, i.code, i.team) for i in template.items]
        roof = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.kind == "roof"))
        return {"area": area.id, "location": lobby.id, "items": items, "other_area": other.id,
                "other_location": other_loc.id, "roof_item": roof.items[0].id, "estate": area.estate_id}


def round_fields(place, defects=None, **extra) -> dict:
    defects = defects or {}
    checks = []
    for item_id, _code, _team in place["items"]:
        if item_id in defects:
            checks.append({"item_id": item_id, "result": "defect", **defects[item_id]})
        else:
            checks.append({"item_id": item_id, "result": "ok"})
    return {"area_id": place["area"], "key_location_id": place["location"], "kind": "key", "start_method": "qr",
            "started_at": now_iso(), "latitude": 31.2, "longitude": 121.5, "accuracy_m": 12, "checks": checks, **extra}


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_round_with_a_defect_makes_one_routed_finding_even_when_replayed(api, place, ctx):
    api.login("officer")
    access = place["items"][2]  # access control → security (R-PAT-4)
    m = mutation("patrol_round", round_fields(place, {access[0]: {"note": "门禁读卡器失灵", "photo_ids": [PNG_PHOTO],
                                                                  "resident_impact": True}}))
    assert [r["status"] for r in api.push(m)] == ["applied"]
    assert [r["status"] for r in api.push(m)] == ["duplicate"]
    findings = db.session.scalars(select(Finding).where(Finding.round_id == m["record_id"])).all()
    assert len(findings) == 1
    finding = findings[0]
    assert finding.id == rules.finding_id(m["record_id"], access[0])
    assert (finding.team, finding.status, finding.resident_impact, finding.photo_ids) == ("security", "open", True, [PNG_PHOTO])
    assert finding.item["code"] == "access_control" and finding.version == 1
    stored = db.session.get(PatrolRound, m["record_id"])
    assert stored.start_method == "qr" and stored.latitude == 31.2 and stored.observed_at is not None


def test_the_team_chosen_on_the_phone_overrides_the_items_default(api, place, ctx):
    api.login("officer")
    lighting = place["items"][0]
    m = mutation("patrol_round", round_fields(place, {lighting[0]: {"note": "灯不亮", "team": "cleaning"}}))
    api.push(m)
    assert db.session.get(Finding, rules.finding_id(m["record_id"], lighting[0])).team == "cleaning"


@pytest.mark.parametrize("change, field, message", [
    (lambda f, p: f.update(checks=[]), "checks", "Tick at least one item"),
    (lambda f, p: f["checks"].__setitem__(0, {"item_id": p["items"][0][0], "result": "defect", "note": " "}), "checks",
     "A defect needs a note"),
    (lambda f, p: f["checks"].append({"item_id": 987654, "result": "ok"}), "checks", "Unknown checklist item"),
    (lambda f, p: f["checks"].append({"item_id": p["roof_item"], "result": "ok"}), "checks", "Unknown checklist item"),
    (lambda f, p: f.update(key_location_id=p["other_location"]), "key_location_id", "not in the round's area"),
    (lambda f, p: f.update(key_location_id=987654), "key_location_id", "Unknown key location"),
    (lambda f, p: f.update(longitude=None), "longitude", "both latitude and longitude"),
    (lambda f, p: f.update(latitude=None), "latitude", "both latitude and longitude"),
    (lambda f, p: f.update(accuracy_m=-5), "accuracy_m", "Not a valid position accuracy"),
    (lambda f, p: f.update(verdict="fine"), "verdict", "Unknown field"),
    (lambda f, p: f["checks"][0].update(result="maybe"), "checks", "Choose OK or defect"),
])
def test_bad_rounds_are_rejected_with_a_reason_and_nothing_is_stored(api, client, place, ctx, change, field, message):
    api.login("officer")
    with client.session_transaction() as session:
        session["locale"] = "en"
    fields = round_fields(place)
    change(fields, place)
    before = (count(PatrolRound), count(Finding))
    result = api.push(mutation("patrol_round", fields))[0]
    assert result["status"] == "rejected"
    assert field in result["errors"]
    assert message in json.dumps(result["errors"], ensure_ascii=False) or message in result.get("message", "")
    assert (count(PatrolRound), count(Finding)) == before


def test_a_round_in_another_officers_area_is_forbidden(api, place, ctx):
    api.login("officer")
    fields = round_fields(place, area_id=place["other_area"], key_location_id=place["other_location"])
    assert api.push(mutation("patrol_round", fields))[0]["status"] == "forbidden"


@pytest.mark.parametrize("who, status", [("officer", "forbidden"), ("supervisor", "applied"), ("team", "forbidden")])
def test_only_leads_record_spot_checks_and_teams_no_rounds(api, place, ctx, who, status):
    api.login(who)
    fields = round_fields(place, purpose="spot_check" if who != "team" else "patrol")
    assert api.push(mutation("patrol_round", fields))[0]["status"] == status


def test_rounds_are_append_only(api, place, ctx):
    api.login("officer")
    m = mutation("patrol_round", round_fields(place))
    api.push(m)
    update = mutation("patrol_round", {"note": "改一下"}, op="update", record_id=m["record_id"], base_version=1)
    assert api.push(update)[0]["status"] == "rejected"


def test_a_round_whose_derived_work_fails_stores_nothing_and_its_resend_derives_once(app, api, client, place, ctx):
    """The findings commit with their round (after_apply inside the push's transaction): when deriving
    fails, the push answers 503 (the phone sends it again later), nothing of it is stored, and the
    resend applies the round and its findings exactly once."""
    registry = app.extensions["sync_entities"]
    spec = registry.get("patrol_round")

    def derive_then_fail(session, actor, proposals, derive):
        spec.after_apply(session, actor, proposals, derive)
        raise RuntimeError("the server failed while deriving")

    lighting, second = place["items"][0], place["items"][1]
    m = mutation("patrol_round", round_fields(place, {lighting[0]: {"note": "灯不亮"}, second[0]: {"note": "门坏了"}}))
    api.login("officer")
    registry.unregister("patrol_round")
    registry.register(dataclasses.replace(spec, after_apply=derive_then_fail))
    try:
        response = client.post("/sync/push", data=json.dumps({"device_id": "phone-1", "mutations": [m]}),
                               content_type="application/json", headers={"X-CSRFToken": api.token})
    finally:
        registry.unregister("patrol_round")
        registry.register(spec)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert count(PatrolRound, PatrolRound.id == m["record_id"]) == 0
    assert count(Finding, Finding.round_id == m["record_id"]) == 0
    assert api.push(m)[0]["status"] == "applied"
    assert api.push(m)[0]["status"] == "duplicate"
    assert count(Finding, Finding.round_id == m["record_id"]) == 2


def _finding(api, place) -> Finding:
    api.login("officer")
    lighting = place["items"][0]  # → engineering, the demo team user zhouqiang
    m = mutation("patrol_round", round_fields(place, {lighting[0]: {"note": "灯不亮"}}))
    api.push(m)
    return db.session.get(Finding, rules.finding_id(m["record_id"], lighting[0]))


def test_the_team_marks_its_finding_fixed_with_a_photo_and_the_officer_verifies(api, place, ctx, users):
    finding = _finding(api, place)
    api.login("team")
    fixed = mutation("patrol_finding", {"status": "fixed", "fixed_by": users["team"].id, "fixed_at": now_iso(),
                                        "fixed_note": "已更换灯管", "fixed_photo_ids": [PNG_PHOTO]},
                     op="update", record_id=finding.id, base_version=1)
    assert api.push(fixed)[0]["status"] == "applied"
    api.login("officer")
    verify = mutation("patrol_finding", {"status": "verified", "verified_by": users["officer"].id, "verified_at": now_iso()},
                      op="update", record_id=finding.id, base_version=2)
    assert api.push(verify)[0]["status"] == "applied"
    db.session.expire_all()
    stored = db.session.get(Finding, finding.id)
    assert (stored.status, stored.fixed_by, stored.verified_by, stored.version) == ("verified", users["team"].id,
                                                                                    users["officer"].id, 3)


@pytest.mark.parametrize("fields, status", [
    ({"status": "fixed", "fixed_photo_ids": []}, "rejected"),  # R-PAT-4: a fix comes with a photo
    ({"status": "verified", "fixed_photo_ids": [PNG_PHOTO]}, "forbidden"),  # a team does not verify its own work
    ({"team": "security"}, "forbidden"),  # nor re-route it
])
def test_what_a_team_may_not_do(api, place, ctx, fields, status):
    finding = _finding(api, place)
    api.login("team")
    assert api.push(mutation("patrol_finding", fields, op="update", record_id=finding.id, base_version=1))[0]["status"] == status


def test_another_team_may_not_touch_the_finding(api, place, ctx, users):
    finding = _finding(api, place)
    api.login("wujun")  # security
    fields = {"status": "fixed", "fixed_photo_ids": [PNG_PHOTO]}
    assert api.push(mutation("patrol_finding", fields, op="update", record_id=finding.id, base_version=1))[0]["status"] == "forbidden"


@pytest.mark.parametrize("routing", [{"status": "assigned", "team": "security"}, {"team": "security"}])
def test_a_fix_made_offline_while_the_officer_re_routed_is_kept_as_a_conflict(api, place, ctx, users, routing):
    """R-PAT-4: the officer sends the finding to security while engineering, offline, fixes it. The fix
    is not applied over the routing, and not thrown away: the supervisor's inbox holds all of it."""
    finding = _finding(api, place)
    api.login("officer")  # routes it to security, from version 1 (with or without a status change)
    assert api.push(mutation("patrol_finding", routing, op="update",
                             record_id=finding.id, base_version=1))[0]["status"] == "applied"
    api.login("team")  # meanwhile, offline, engineering fixed it — also from version 1
    fix = {"status": "fixed", "fixed_by": users["team"].id, "fixed_at": now_iso(), "fixed_note": "已更换灯管",
           "fixed_photo_ids": [PNG_PHOTO]}
    result = api.push(mutation("patrol_finding", fix, op="update", record_id=finding.id, base_version=1))[0]
    assert result["status"] == "conflict"
    db.session.expire_all()
    stored = db.session.get(Finding, finding.id)
    assert (stored.team, stored.fixed_note) == ("security", None)  # the officer's routing stands
    kept = db.session.scalar(select(Conflict).where(Conflict.record_id == finding.id))
    assert kept.device_fields["fixed_note"] == "已更换灯管" and kept.device_fields["fixed_photo_ids"] == [PNG_PHOTO]
    assert kept.scope == f"area:{place['area']}:team:security" and kept.user_id == users["team"].id
    api.login("supervisor")  # who may keep the team's fix
    assert "已更换灯管" in api.client.get(f"/conflicts/{kept.id}").get_data(as_text=True)
    resolved = api.client.post(f"/conflicts/{kept.id}", data={"choice": "device", "csrf_token": api.token})
    assert resolved.status_code == 302, resolved.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Finding, finding.id)
    assert (stored.status, stored.fixed_note, stored.fixed_by) == ("fixed", "已更换灯管", users["team"].id)


def test_a_team_that_never_had_the_finding_may_not_send_a_fix_even_after_a_re_route(api, place, ctx, users):
    finding = _finding(api, place)
    api.login("officer")
    api.push(mutation("patrol_finding", {"team": "cleaning"}, op="update", record_id=finding.id, base_version=1))
    api.login("wujun")  # security: never had it
    fix = {"status": "fixed", "fixed_photo_ids": [PNG_PHOTO]}
    assert api.push(mutation("patrol_finding", fix, op="update", record_id=finding.id,
                             base_version=1))[0]["status"] == "forbidden"
    assert count(Conflict, Conflict.record_id == finding.id) == 0


def test_an_officer_verifies_only_in_their_own_name(api, place, ctx, users):
    finding = _finding(api, place)
    api.login("team")
    assert api.push(mutation("patrol_finding", {"status": "fixed", "fixed_photo_ids": [PNG_PHOTO],
                                                "fixed_by": users["team"].id}, op="update", record_id=finding.id,
                             base_version=1))[0]["status"] == "applied"
    api.login("officer")
    for fields in ({"status": "verified", "verified_by": users["supervisor"].id, "verified_at": now_iso()},
                   {"status": "verified", "verified_at": now_iso()}):
        assert api.push(mutation("patrol_finding", fields, op="update", record_id=finding.id,
                                 base_version=2))[0]["status"] == "forbidden"
    db.session.expire_all()
    assert db.session.get(Finding, finding.id).status == "fixed"


def test_an_officer_may_not_create_a_finding_that_is_already_fixed(api, place, ctx, users):
    api.login("officer")
    fields = {"area_id": place["area"], "round_id": str(uuid.uuid4()), "team": "engineering", "status": "fixed",
              "fixed_photo_ids": [PNG_PHOTO], "fixed_by": users["team"].id}
    assert api.push(mutation("patrol_finding", fields))[0]["status"] == "forbidden"


@pytest.mark.parametrize("field, value", [("assigned_to", 987654), ("fixed_by", 987654), ("verified_by", 987654)])
def test_a_finding_naming_someone_unknown_is_rejected_not_a_server_error(api, client, place, ctx, users, field,
                                                                        value):
    finding = _finding(api, place)
    api.login("supervisor")
    result = api.push(mutation("patrol_finding", {field: value}, op="update", record_id=finding.id,
                               base_version=1))[0]
    assert result["status"] == "rejected" and result["errors"][field] == ["此人不存在。"]
    db.session.expire_all()
    assert db.session.get(Finding, finding.id).version == 1


def test_a_verified_finding_cannot_be_reopened_offline_it_is_kept_as_a_conflict(api, place, ctx, users):
    finding = _finding(api, place)
    api.login("supervisor")
    for fields, version in (({"status": "fixed", "fixed_photo_ids": [PNG_PHOTO]}, 1), ({"status": "verified"}, 2)):
        assert api.push(mutation("patrol_finding", fields, op="update", record_id=finding.id,
                                 base_version=version))[0]["status"] == "applied"
    api.login("officer")
    result = api.push(mutation("patrol_finding", {"status": "assigned"}, op="update", record_id=finding.id,
                               base_version=3))[0]
    assert result["status"] == "conflict"
    assert count(Conflict, Conflict.record_id == finding.id) == 1


def test_a_later_round_verifies_fixed_findings_it_confirms(api, place, ctx, users):
    finding = _finding(api, place)
    api.login("team")
    api.push(mutation("patrol_finding", {"status": "fixed", "fixed_photo_ids": [PNG_PHOTO], "fixed_by": users["team"].id},
                      op="update", record_id=finding.id, base_version=1))
    api.login("officer")
    later = mutation("patrol_round", round_fields(place, verified_finding_ids=[finding.id]))
    assert api.push(later)[0]["status"] == "applied"
    db.session.expire_all()
    stored = db.session.get(Finding, finding.id)
    assert (stored.status, stored.verified_round_id, stored.verified_by) == ("verified", later["record_id"], users["officer"].id)


def test_an_emergency_in_any_area_reaches_the_supervisor_until_acknowledged(api, place, client, ctx, csrf):
    api.login("officer")
    fields = {"estate_id": place["estate"], "area_id": place["other_area"], "kind": "fire", "place": "5栋地下车库",
              "description": "车库冒烟"}
    m = mutation("patrol_emergency", fields)
    assert api.push(m)[0]["status"] == "applied"  # R-PAT-5: in any area, not only the officer's
    api.login("supervisor")
    overview = client.get("/overview").get_data(as_text=True)
    assert "车库冒烟" in overview and 'data-poll="/patrol/emergencies/active"' in overview
    fragment = client.get("/patrol/emergencies/active", headers={"HX-Request": "true"})
    assert "车库冒烟" in fragment.get_data(as_text=True) and "<html" not in fragment.get_data(as_text=True)
    response = client.post(f"/patrol/emergencies/{m['record_id']}/acknowledge", data={"csrf_token": csrf()})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Emergency, m["record_id"])
    assert stored.acknowledged_at is not None and stored.version == 2
    assert "车库冒烟" not in client.get("/overview").get_data(as_text=True)


def test_an_emergency_needs_what_happened(api, place, ctx):
    api.login("officer")
    before = count(Emergency)
    result = api.push(mutation("patrol_emergency", {"estate_id": place["estate"], "kind": "meteor", "description": ""}))[0]
    assert result["status"] == "rejected" and {"kind", "description"} <= set(result["errors"])
    assert count(Emergency) == before


def test_only_leads_acknowledge(api, place, ctx, users):
    api.login("officer")
    m = mutation("patrol_emergency", {"estate_id": place["estate"], "kind": "water", "description": "漏水"})
    api.push(m)
    ack = mutation("patrol_emergency", {"acknowledged_at": now_iso(), "acknowledged_by": users["officer"].id},
                   op="update", record_id=m["record_id"], base_version=1)
    assert api.push(ack)[0]["status"] == "forbidden"


def emergency(place, **extra) -> dict:
    return {"estate_id": place["estate"], "kind": "water", "description": "漏水", **extra}


@pytest.mark.parametrize("extra, field", [
    ({"key_location_id": 987654}, "key_location_id"),
    ({"key_location_id": "other_estate_location"}, "key_location_id"),
    ({"area_id": "area", "key_location_id": "other_location"}, "key_location_id"),
    ({"latitude": 31.2}, "longitude"),
    ({"longitude": 121.5}, "latitude"),
])
def test_an_emergency_naming_an_unknown_place_is_rejected_with_the_field(api, place, ctx, extra, field):
    area, location = another_estate()
    known = {"other_estate_area": area.id, "other_estate_location": location.id, **place}
    api.login("officer")
    before = count(Emergency)
    fields = emergency(place, **{k: known.get(v, v) for k, v in extra.items()})
    result = api.push(mutation("patrol_emergency", fields))[0]
    assert result["status"] == "rejected" and field in result["errors"], result
    assert count(Emergency) == before


@pytest.mark.parametrize("area", [987654, "other_estate_area"])
def test_an_emergency_in_an_area_outside_the_estates_is_forbidden(api, place, ctx, area):
    """An emergency is filed under its area (R-PAT-5): an area that is not one of the reporter's estates'
    — another estate's, or none at all — is not theirs to write to, and which of the two it is stays unsaid."""
    other_area, _ = another_estate()
    api.login("officer")
    before = count(Emergency)
    fields = emergency(place, area_id=other_area.id if area == "other_estate_area" else area)
    assert api.push(mutation("patrol_emergency", fields))[0]["status"] == "forbidden"
    assert count(Emergency) == before


def test_an_emergency_in_another_estate_is_forbidden(api, place, ctx):
    api.login("officer")
    result = api.push(mutation("patrol_emergency", emergency(place, estate_id=place["estate"] + 1000)))[0]
    assert result["status"] == "forbidden"


def test_nobody_reports_an_emergency_that_is_already_acknowledged(api, place, ctx, users):
    api.login("officer")
    fields = emergency(place, acknowledged_at=now_iso(), acknowledged_by=users["officer"].id)
    assert api.push(mutation("patrol_emergency", fields))[0]["status"] == "forbidden"


def test_a_half_position_never_reaches_the_pages(api, place, client, ctx):
    """Both or neither (R-PAT-1 observed position): what was stored shows; a half never gets stored."""
    api.login("officer")
    m = mutation("patrol_round", round_fields(place, latitude=31.2, longitude=None))
    assert api.push(m)[0]["status"] == "rejected"
    ok = mutation("patrol_round", round_fields(place, latitude=None, longitude=None, accuracy_m=None))
    assert api.push(ok)[0]["status"] == "applied"
    assert client.get(f"/patrol/rounds/{ok['record_id']}").status_code == 200

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
from webapp.extensions import db
from webapp.patrol import rules
from webapp.patrol.models import Emergency, Finding, PatrolRound

PNG_PHOTO = "5f1d1a5e-0000-4000-8000-00000000a001"


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def mutation(entity: str, fields: dict, op: str = "create", record_id: str | None = None, base_version=None) -> dict:
    return {"mutation_id": str(uuid.uuid4()), "entity": entity, "record_id": record_id or str(uuid.uuid4()),
            "op": op, "base_version": base_version, "fields": fields, "observed_at": now_iso()}


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


def test_a_round_with_a_defect_makes_one_routed_finding_even_when_replayed(phone, place, ctx):
    phone.login("officer")
    access = place["items"][2]  # access control → security (R-PAT-4)
    m = mutation("patrol_round", round_fields(place, {access[0]: {"note": "门禁读卡器失灵", "photo_ids": [PNG_PHOTO],
                                                                  "resident_impact": True}}))
    assert [r["status"] for r in phone.push(m)] == ["applied"]
    assert [r["status"] for r in phone.push(m)] == ["duplicate"]
    findings = db.session.scalars(select(Finding).where(Finding.round_id == m["record_id"])).all()
    assert len(findings) == 1
    finding = findings[0]
    assert finding.id == rules.finding_id(m["record_id"], access[0])
    assert (finding.team, finding.status, finding.resident_impact, finding.photo_ids) == ("security", "open", True, [PNG_PHOTO])
    assert finding.item["code"] == "access_control" and finding.version == 1
    stored = db.session.get(PatrolRound, m["record_id"])
    assert stored.start_method == "qr" and stored.latitude == 31.2 and stored.observed_at is not None


def test_the_team_chosen_on_the_phone_overrides_the_items_default(phone, place, ctx):
    phone.login("officer")
    lighting = place["items"][0]
    m = mutation("patrol_round", round_fields(place, {lighting[0]: {"note": "灯不亮", "team": "cleaning"}}))
    phone.push(m)
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
def test_bad_rounds_are_rejected_with_a_reason_and_nothing_is_stored(phone, client, place, ctx, change, field, message):
    phone.login("officer")
    with client.session_transaction() as session:
        session["locale"] = "en"
    fields = round_fields(place)
    change(fields, place)
    before = (count(PatrolRound), count(Finding))
    result = phone.push(mutation("patrol_round", fields))[0]
    assert result["status"] == "rejected"
    assert field in result["errors"]
    assert message in json.dumps(result["errors"], ensure_ascii=False) or message in result.get("message", "")
    assert (count(PatrolRound), count(Finding)) == before


def test_a_round_in_another_officers_area_is_forbidden(phone, place, ctx):
    phone.login("officer")
    fields = round_fields(place, area_id=place["other_area"], key_location_id=place["other_location"])
    assert phone.push(mutation("patrol_round", fields))[0]["status"] == "forbidden"


@pytest.mark.parametrize("who, status", [("officer", "forbidden"), ("supervisor", "applied"), ("team", "forbidden")])
def test_only_leads_record_spot_checks_and_teams_no_rounds(phone, place, ctx, who, status):
    phone.login(who)
    fields = round_fields(place, purpose="spot_check" if who != "team" else "patrol")
    assert phone.push(mutation("patrol_round", fields))[0]["status"] == status


def test_rounds_are_append_only(phone, place, ctx):
    phone.login("officer")
    m = mutation("patrol_round", round_fields(place))
    phone.push(m)
    update = mutation("patrol_round", {"note": "改一下"}, op="update", record_id=m["record_id"], base_version=1)
    assert phone.push(update)[0]["status"] == "rejected"


def test_a_round_whose_derived_work_fails_stores_nothing_and_its_resend_derives_once(app, phone, client, place, ctx):
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
    phone.login("officer")
    registry.unregister("patrol_round")
    registry.register(dataclasses.replace(spec, after_apply=derive_then_fail))
    try:
        response = client.post("/sync/push", data=json.dumps({"device_id": "phone-1", "mutations": [m]}),
                               content_type="application/json", headers={"X-CSRFToken": phone.token})
    finally:
        registry.unregister("patrol_round")
        registry.register(spec)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert count(PatrolRound, PatrolRound.id == m["record_id"]) == 0
    assert count(Finding, Finding.round_id == m["record_id"]) == 0
    assert phone.push(m)[0]["status"] == "applied"
    assert phone.push(m)[0]["status"] == "duplicate"
    assert count(Finding, Finding.round_id == m["record_id"]) == 2


def _finding(phone, place) -> Finding:
    phone.login("officer")
    lighting = place["items"][0]  # → engineering, the demo team user zhouqiang
    m = mutation("patrol_round", round_fields(place, {lighting[0]: {"note": "灯不亮"}}))
    phone.push(m)
    return db.session.get(Finding, rules.finding_id(m["record_id"], lighting[0]))


def test_the_team_marks_its_finding_fixed_with_a_photo_and_the_officer_verifies(phone, place, ctx, users):
    finding = _finding(phone, place)
    phone.login("team")
    fixed = mutation("patrol_finding", {"status": "fixed", "fixed_by": users["team"].id, "fixed_at": now_iso(),
                                        "fixed_note": "已更换灯管", "fixed_photo_ids": [PNG_PHOTO]},
                     op="update", record_id=finding.id, base_version=1)
    assert phone.push(fixed)[0]["status"] == "applied"
    phone.login("officer")
    verify = mutation("patrol_finding", {"status": "verified", "verified_by": users["officer"].id, "verified_at": now_iso()},
                      op="update", record_id=finding.id, base_version=2)
    assert phone.push(verify)[0]["status"] == "applied"
    db.session.expire_all()
    stored = db.session.get(Finding, finding.id)
    assert (stored.status, stored.fixed_by, stored.verified_by, stored.version) == ("verified", users["team"].id,
                                                                                    users["officer"].id, 3)


@pytest.mark.parametrize("fields, status", [
    ({"status": "fixed", "fixed_photo_ids": []}, "rejected"),  # R-PAT-4: a fix comes with a photo
    ({"status": "verified", "fixed_photo_ids": [PNG_PHOTO]}, "forbidden"),  # a team does not verify its own work
    ({"team": "security"}, "forbidden"),  # nor re-route it
])
def test_what_a_team_may_not_do(phone, place, ctx, fields, status):
    finding = _finding(phone, place)
    phone.login("team")
    assert phone.push(mutation("patrol_finding", fields, op="update", record_id=finding.id, base_version=1))[0]["status"] == status


def test_another_team_may_not_touch_the_finding(phone, place, ctx, users):
    finding = _finding(phone, place)
    phone.login("wujun")  # security
    fields = {"status": "fixed", "fixed_photo_ids": [PNG_PHOTO]}
    assert phone.push(mutation("patrol_finding", fields, op="update", record_id=finding.id, base_version=1))[0]["status"] == "forbidden"


@pytest.mark.parametrize("routing", [{"status": "assigned", "team": "security"}, {"team": "security"}])
def test_a_fix_made_offline_while_the_officer_re_routed_is_kept_as_a_conflict(phone, place, ctx, users, routing):
    """R-PAT-4: the officer sends the finding to security while engineering, offline, fixes it. The fix
    is not applied over the routing, and not thrown away: the supervisor's inbox holds all of it."""
    finding = _finding(phone, place)
    phone.login("officer")  # routes it to security, from version 1 (with or without a status change)
    assert phone.push(mutation("patrol_finding", routing, op="update",
                             record_id=finding.id, base_version=1))[0]["status"] == "applied"
    phone.login("team")  # meanwhile, offline, engineering fixed it — also from version 1
    fix = {"status": "fixed", "fixed_by": users["team"].id, "fixed_at": now_iso(), "fixed_note": "已更换灯管",
           "fixed_photo_ids": [PNG_PHOTO]}
    result = phone.push(mutation("patrol_finding", fix, op="update", record_id=finding.id, base_version=1))[0]
    assert result["status"] == "conflict"
    db.session.expire_all()
    stored = db.session.get(Finding, finding.id)
    assert (stored.team, stored.fixed_note) == ("security", None)  # the officer's routing stands
    kept = db.session.scalar(select(Conflict).where(Conflict.record_id == finding.id))
    assert kept.device_fields["fixed_note"] == "已更换灯管" and kept.device_fields["fixed_photo_ids"] == [PNG_PHOTO]
    assert kept.scope == f"area:{place['area']}:team:security" and kept.user_id == users["team"].id
    phone.login("supervisor")  # who may keep the team's fix
    assert "已更换灯管" in phone.client.get(f"/conflicts/{kept.id}").get_data(as_text=True)
    resolved = phone.client.post(f"/conflicts/{kept.id}", data={"choice": "device", "csrf_token": phone.token})
    assert resolved.status_code == 302, resolved.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Finding, finding.id)
    assert (stored.status, stored.fixed_note, stored.fixed_by) == ("fixed", "已更换灯管", users["team"].id)


def test_a_team_that_never_had_the_finding_may_not_send_a_fix_even_after_a_re_route(phone, place, ctx, users):
    finding = _finding(phone, place)
    phone.login("officer")
    phone.push(mutation("patrol_finding", {"team": "cleaning"}, op="update", record_id=finding.id, base_version=1))
    phone.login("wujun")  # security: never had it
    fix = {"status": "fixed", "fixed_photo_ids": [PNG_PHOTO]}
    assert phone.push(mutation("patrol_finding", fix, op="update", record_id=finding.id,
                             base_version=1))[0]["status"] == "forbidden"
    assert count(Conflict, Conflict.record_id == finding.id) == 0


def test_an_officer_verifies_only_in_their_own_name(phone, place, ctx, users):
    finding = _finding(phone, place)
    phone.login("team")
    assert phone.push(mutation("patrol_finding", {"status": "fixed", "fixed_photo_ids": [PNG_PHOTO],
                                                "fixed_by": users["team"].id}, op="update", record_id=finding.id,
                             base_version=1))[0]["status"] == "applied"
    phone.login("officer")
    for fields in ({"status": "verified", "verified_by": users["supervisor"].id, "verified_at": now_iso()},
                   {"status": "verified", "verified_at": now_iso()}):
        assert phone.push(mutation("patrol_finding", fields, op="update", record_id=finding.id,
                                 base_version=2))[0]["status"] == "forbidden"
    db.session.expire_all()
    assert db.session.get(Finding, finding.id).status == "fixed"


def test_an_officer_may_not_create_a_finding_that_is_already_fixed(phone, place, ctx, users):
    phone.login("officer")
    fields = {"area_id": place["area"], "round_id": str(uuid.uuid4()), "team": "engineering", "status": "fixed",
              "fixed_photo_ids": [PNG_PHOTO], "fixed_by": users["team"].id}
    assert phone.push(mutation("patrol_finding", fields))[0]["status"] == "forbidden"


@pytest.mark.parametrize("field, value", [("assigned_to", 987654), ("fixed_by", 987654), ("verified_by", 987654)])
def test_a_finding_naming_someone_unknown_is_rejected_not_a_server_error(phone, client, place, ctx, users, field,
                                                                        value):
    finding = _finding(phone, place)
    phone.login("supervisor")
    result = phone.push(mutation("patrol_finding", {field: value}, op="update", record_id=finding.id,
                               base_version=1))[0]
    assert result["status"] == "rejected" and result["errors"][field] == ["此人不存在。"]
    db.session.expire_all()
    assert db.session.get(Finding, finding.id).version == 1


def test_a_verified_finding_cannot_be_reopened_offline_it_is_kept_as_a_conflict(phone, place, ctx, users):
    finding = _finding(phone, place)
    phone.login("supervisor")
    for fields, version in (({"status": "fixed", "fixed_photo_ids": [PNG_PHOTO]}, 1), ({"status": "verified"}, 2)):
        assert phone.push(mutation("patrol_finding", fields, op="update", record_id=finding.id,
                                 base_version=version))[0]["status"] == "applied"
    phone.login("officer")
    result = phone.push(mutation("patrol_finding", {"status": "assigned"}, op="update", record_id=finding.id,
                               base_version=3))[0]
    assert result["status"] == "conflict"
    assert count(Conflict, Conflict.record_id == finding.id) == 1


def test_a_later_round_verifies_fixed_findings_it_confirms(phone, place, ctx, users):
    finding = _finding(phone, place)
    phone.login("team")
    phone.push(mutation("patrol_finding", {"status": "fixed", "fixed_photo_ids": [PNG_PHOTO], "fixed_by": users["team"].id},
                      op="update", record_id=finding.id, base_version=1))
    phone.login("officer")
    later = mutation("patrol_round", round_fields(place, verified_finding_ids=[finding.id]))
    assert phone.push(later)[0]["status"] == "applied"
    db.session.expire_all()
    stored = db.session.get(Finding, finding.id)
    assert (stored.status, stored.verified_round_id, stored.verified_by) == ("verified", later["record_id"], users["officer"].id)


def test_an_emergency_in_any_area_reaches_the_supervisor_until_acknowledged(phone, place, client, ctx, csrf):
    phone.login("officer")
    fields = {"estate_id": place["estate"], "area_id": place["other_area"], "kind": "fire", "place": "5栋地下车库",
              "description": "车库冒烟"}
    m = mutation("patrol_emergency", fields)
    assert phone.push(m)[0]["status"] == "applied"  # R-PAT-5: in any area, not only the officer's
    phone.login("supervisor")
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


def test_an_emergency_needs_what_happened(phone, place, ctx):
    phone.login("officer")
    before = count(Emergency)
    result = phone.push(mutation("patrol_emergency", {"estate_id": place["estate"], "kind": "meteor", "description": ""}))[0]
    assert result["status"] == "rejected" and {"kind", "description"} <= set(result["errors"])
    assert count(Emergency) == before


def test_only_leads_acknowledge(phone, place, ctx, users):
    phone.login("officer")
    m = mutation("patrol_emergency", {"estate_id": place["estate"], "kind": "water", "description": "漏水"})
    phone.push(m)
    ack = mutation("patrol_emergency", {"acknowledged_at": now_iso(), "acknowledged_by": users["officer"].id},
                   op="update", record_id=m["record_id"], base_version=1)
    assert phone.push(ack)[0]["status"] == "forbidden"


def emergency(place, **extra) -> dict:
    return {"estate_id": place["estate"], "kind": "water", "description": "漏水", **extra}


@pytest.mark.parametrize("extra, field", [
    ({"key_location_id": 987654}, "key_location_id"),
    ({"key_location_id": "other_estate_location"}, "key_location_id"),
    ({"area_id": "area", "key_location_id": "other_location"}, "key_location_id"),
    ({"latitude": 31.2}, "longitude"),
    ({"longitude": 121.5}, "latitude"),
])
def test_an_emergency_naming_an_unknown_place_is_rejected_with_the_field(phone, place, ctx, make_estate, make_area,
                                                                        extra, field):
    elsewhere = make_area(make_estate())
    known = {"other_estate_area": elsewhere.id, "other_estate_location": elsewhere.lobby, **place}
    phone.login("officer")
    before = count(Emergency)
    fields = emergency(place, **{k: known.get(v, v) for k, v in extra.items()})
    result = phone.push(mutation("patrol_emergency", fields))[0]
    assert result["status"] == "rejected" and field in result["errors"], result
    assert count(Emergency) == before


@pytest.mark.parametrize("area", [987654, "other_estate_area"])
def test_an_emergency_in_an_area_outside_the_estates_is_forbidden(phone, place, ctx, make_estate, make_area, area):
    """An emergency is filed under its area (R-PAT-5): an area that is not one of the reporter's estates'
    — another estate's, or none at all — is not theirs to write to, and which of the two it is stays unsaid."""
    elsewhere = make_area(make_estate())
    phone.login("officer")
    before = count(Emergency)
    fields = emergency(place, area_id=elsewhere.id if area == "other_estate_area" else area)
    assert phone.push(mutation("patrol_emergency", fields))[0]["status"] == "forbidden"
    assert count(Emergency) == before


def test_an_emergency_in_another_estate_is_forbidden(phone, place, ctx):
    phone.login("officer")
    result = phone.push(mutation("patrol_emergency", emergency(place, estate_id=place["estate"] + 1000)))[0]
    assert result["status"] == "forbidden"


def test_nobody_reports_an_emergency_that_is_already_acknowledged(phone, place, ctx, users):
    phone.login("officer")
    fields = emergency(place, acknowledged_at=now_iso(), acknowledged_by=users["officer"].id)
    assert phone.push(mutation("patrol_emergency", fields))[0]["status"] == "forbidden"


def test_a_half_position_never_reaches_the_pages(phone, place, client, ctx):
    """Both or neither (R-PAT-1 observed position): what was stored shows; a half never gets stored."""
    phone.login("officer")
    m = mutation("patrol_round", round_fields(place, latitude=31.2, longitude=None))
    assert phone.push(m)[0]["status"] == "rejected"
    ok = mutation("patrol_round", round_fields(place, latitude=None, longitude=None, accuracy_m=None))
    assert phone.push(ok)[0]["status"] == "applied"
    assert client.get(f"/patrol/rounds/{ok['record_id']}").status_code == 200

"""The sync endpoint over HTTP: every result kind, bad input, scope, CSRF, sessions (issue 3)."""

from __future__ import annotations

import gzip
import hashlib
import json
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from sync.models import AppliedMutation, Conflict
from webapp.areas.models import Area, KeyLocation
from webapp.extensions import db
from webapp.notes.models import QuickNote

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200 + b"\xff\xd9"


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def area_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Area.id).where(Area.name == name))


def note_mutation(area: int, text: str = "1栋大堂灯不亮", op: str = "create", record_id: str | None = None,
                  base_version: int | None = None, **fields) -> dict:
    body = {"area_id": area, "text": text, **fields} if op == "create" else {"text": text, **fields}
    if op == "update" and text is None:
        body.pop("text")
    return {"mutation_id": str(uuid.uuid4()), "entity": "quick_note", "record_id": record_id or str(uuid.uuid4()),
            "op": op, "base_version": base_version, "fields": body, "observed_at": now_iso()}


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_whoami_needs_a_session(client):
    response = client.get("/sync/whoami")
    assert response.status_code == 401
    assert response.get_json()["error"]["status"] == 401


def test_whoami_gives_user_and_csrf_token(api):
    api.login("officer")
    assert api.token


def test_applied_then_duplicate_on_replay(app, api, ctx):
    api.login("officer")
    m = note_mutation(area_id(app, "东区"))
    assert api.statuses(m) == ["applied"]
    assert api.statuses(m) == ["duplicate"]  # the response was lost and the phone retried
    assert count(QuickNote) == 1 and count(AppliedMutation) == 1


def test_disjoint_changes_merge(app, api, ctx):
    api.login("officer")
    east = area_id(app, "东区")
    loc = db.session.scalar(select(KeyLocation.id).where(KeyLocation.area_id == east))
    create = note_mutation(east, "初稿")
    api.statuses(create)
    rid = create["record_id"]
    assert api.statuses(note_mutation(east, None, "update", rid, 1, key_location_id=loc), device="phone-b") == ["applied"]
    assert api.statuses(note_mutation(east, "改好的文字", "update", rid, 1), device="phone-a") == ["merged"]
    note = db.session.get(QuickNote, rid)
    assert (note.text, note.key_location_id, note.version) == ("改好的文字", loc, 3)


def test_same_field_changed_on_both_sides_is_a_conflict_kept_for_the_supervisor(app, api, ctx):
    api.login("officer")
    east = area_id(app, "东区")
    create = note_mutation(east, "原文")
    api.statuses(create)
    rid = create["record_id"]
    assert api.statuses(note_mutation(east, "主管改的", "update", rid, 1), device="desk") == ["applied"]
    assert api.statuses(note_mutation(east, "主任离线改的", "update", rid, 1), device="phone") == ["conflict"]
    assert db.session.get(QuickNote, rid).text == "主管改的"  # the server value stands
    conflict = db.session.scalar(select(Conflict).where(Conflict.record_id == rid))
    assert conflict.device_fields["text"] == "主任离线改的" and conflict.status == "open"


def test_rejected_mutation_does_not_sink_its_siblings(app, api, ctx):
    api.login("officer")
    east = area_id(app, "东区")
    good, bad = note_mutation(east, "好的"), note_mutation(east, "")
    response = api.push(good, bad)
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["applied", "rejected"]
    assert "text" in results[1]["errors"]
    assert count(QuickNote) == 1


def test_unknown_fields_are_rejected_by_name(app, api, ctx):
    api.login("officer")
    results = api.push(note_mutation(area_id(app, "东区"), "x", colour="red")).get_json()["results"]
    assert results[0]["status"] == "rejected" and "colour" in results[0]["errors"]
    assert count(QuickNote) == 0


def test_pushing_into_another_officers_area_is_forbidden(app, api, ctx):
    api.login("officer")  # 东区 only
    assert api.statuses(note_mutation(area_id(app, "南区"), "越界")) == ["forbidden"]
    assert count(QuickNote) == 0


def test_key_location_must_be_in_the_notes_area(app, api, ctx):
    api.login("officer")
    south_loc = db.session.scalar(select(KeyLocation.id).where(KeyLocation.area_id == area_id(app, "南区")))
    results = api.push(note_mutation(area_id(app, "东区"), "x", key_location_id=south_loc)).get_json()["results"]
    assert results[0]["status"] == "rejected" and "key_location_id" in results[0]["errors"]


@pytest.mark.parametrize("raw,status", [
    ("{not json", 400),
    (json.dumps([1, 2]), 400),
    (json.dumps({"device_id": "d"}), 422),
    (json.dumps({"device_id": "d", "mutations": "nope"}), 422),
    (json.dumps({"device_id": "d", "mutations": [], "extra": 1}), 422),
])
def test_malformed_batches_are_refused_with_a_reason(api, raw, status, ctx):
    api.login("officer")
    response = api.push(raw=raw)
    assert response.status_code == status
    assert response.get_json()["error"]["message"]
    assert count(AppliedMutation) == 0


def test_unknown_entity_and_wrong_types_name_the_problem(app, api, ctx):
    api.login("officer")
    m = note_mutation(area_id(app, "东区"))
    bad_entity = {**m, "entity": "spaceship"}
    bad_type = {**note_mutation(area_id(app, "东区")), "base_version": "three"}
    for mutation in (bad_entity, bad_type):
        response = api.push(mutation)
        assert response.status_code == 422, response.get_data(as_text=True)
        assert json.dumps(response.get_json()["error"], ensure_ascii=False)
    assert count(QuickNote) == 0


def test_batch_over_the_limit_is_refused(app, api, ctx):
    api.login("officer")
    east = area_id(app, "东区")
    response = api.push(*[note_mutation(east, f"n{i}") for i in range(app.config["SYNC_MAX_BATCH"] + 1)])
    assert response.status_code in (413, 422)
    assert count(QuickNote) == 0


def test_push_without_csrf_is_refused(app, api, client, ctx):
    api.login("officer")
    api.token = None
    response = api.push(note_mutation(area_id(app, "东区")))
    assert response.status_code in (400, 403)
    assert count(QuickNote) == 0


def test_expired_session_gets_401_json_and_nothing_is_stored(app, api, client, ctx):
    api.login("officer")
    with client.session_transaction() as session:
        session.clear()
    response = api.push(note_mutation(area_id(app, "东区")))
    assert response.status_code in (400, 401)  # CSRF is tied to the session, so either names the problem
    assert count(QuickNote) == 0


def test_pull_is_scoped_paged_and_shows_tombstones(app, api, client, login_as, ctx):
    api.login("officer")
    east = area_id(app, "东区")
    created = [note_mutation(east, f"第{i}条") for i in range(5)]
    api.statuses(*created)
    rid = created[0]["record_id"]
    assert api.statuses({**note_mutation(east, None, "delete", rid, 1), "fields": {}}) == ["applied"]
    first = api.pull(0, limit=3)
    assert first["more"] is True and len(first["changes"]) <= 3
    rest = api.pull(first["cursor"])
    changes = first["changes"] + rest["changes"]
    latest = {c["id"]: c for c in changes}
    assert latest[rid]["op"] == "delete"
    assert {c["id"] for c in changes} == {m["record_id"] for m in created}
    api.login("officer2")  # 南区: sees none of them
    assert api.pull(0)["changes"] == []


@pytest.mark.parametrize("query, field", [("cursor=-1", "cursor"), ("cursor=abc", "cursor"), ("limit=0", "limit"),
                                          ("limit=5000", "limit"), ("since=3", "since")])
def test_a_bad_pull_query_is_a_400_naming_the_parameter(api, client, query, field):
    api.login("officer")
    response = client.get(f"/sync/pull?{query}")
    assert response.status_code == 400
    assert field in response.get_json()["error"]["errors"]


def test_pull_is_gzipped_when_asked(app, api, client, ctx):
    api.login("officer")
    east = area_id(app, "东区")
    api.statuses(*[note_mutation(east, "很长的备注" * 20) for _ in range(10)])
    response = client.get("/sync/pull?cursor=0", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(response.data))["changes"]) == 10


def put_media(client, token, data, content_type="image/jpeg", sha=None, media_id=None):
    media_id = media_id or str(uuid.uuid4())
    return media_id, client.put(f"/sync/media/{media_id}", data=data, content_type=content_type,
                                headers={"X-CSRFToken": token, "X-Content-SHA256": sha or hashlib.sha256(data).hexdigest()})


def test_media_upload_is_idempotent_and_served(app, api, client, ctx):
    api.login("officer")
    media_id, first = put_media(client, api.token, JPEG)
    assert first.status_code == 201
    _, again = put_media(client, api.token, JPEG, media_id=media_id)
    assert again.status_code == 200
    served = client.get(f"/sync/media/{media_id}")
    assert served.status_code == 200 and served.data == JPEG and served.mimetype == "image/jpeg"
    served.close()


@pytest.mark.parametrize("data,content_type,sha,status", [
    (b"%PDF-1.4 not an image but a pdf" + b"0" * 10, "image/jpeg", None, 415),
    (b"MZ\x90\x00 an executable", "image/jpeg", None, 415),
    (JPEG, "image/jpeg", "0" * 64, 422),
])
def test_bad_uploads_are_refused(app, api, client, data, content_type, sha, status, ctx):
    api.login("officer")
    media_id, response = put_media(client, api.token, data, content_type, sha)
    assert response.status_code in (status, 400, 415, 422)
    assert response.get_json()["error"]["message"]
    assert client.get(f"/sync/media/{media_id}").status_code == 404


def test_oversize_upload_is_refused(app, api, client, ctx):
    api.login("officer")
    big = JPEG[:-2] + b"\x00" * (app.config["MEDIA_MAX_BYTES"] + 1) + b"\xff\xd9"
    _, response = put_media(client, api.token, big)
    assert response.status_code == 413


def test_form_fallback_without_javascript_saves_through_the_engine(app, client, login_as, csrf, ctx):
    login_as("officer")
    east = area_id(app, "东区")
    response = client.post("/sync/form/quick_note", data={
        "csrf_token": csrf(), "area_id": str(east), "text": "无脚本也能保存", "op": "create",
        "record_id": str(uuid.uuid4()), "return_url": "/notes/"})
    assert response.status_code == 302 and response.headers["Location"] == "/notes/"
    assert db.session.scalar(select(QuickNote.text)) == "无脚本也能保存"
    bad = client.post("/sync/form/quick_note", data={"csrf_token": csrf(), "area_id": str(east), "text": ""})
    assert bad.status_code == 422


def test_openapi_document_describes_the_endpoints(client):
    spec = client.get("/sync/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/sync/push", "/sync/pull", "/sync/media/{media_id}"} <= set(spec["paths"])
    assert {"PushRequest", "PushResponse", "PullResponse", "ErrorBody"} <= set(spec["components"]["schemas"])
    mutation = spec["components"]["schemas"]["Mutation"]
    assert {"mutation_id", "entity", "record_id", "op", "observed_at"} <= set(mutation["required"])

"""One test per cause the seam fuzz found (issue 9): each answered 500 before. Bad input is a 4xx
with a message in the user's language, or a `rejected` mutation whose siblings apply; nothing of
it is stored."""

from __future__ import annotations

import json
import uuid

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from sync import guard, messages, wirejson
from sync.models import AppliedMutation
from sync.store import utcnow
from tests.web.sync.test_api import area_id, count, note_mutation
from tests.web.sync.test_guard import push_between_siblings
from webapp.extensions import db
from webapp.notes.models import QuickNote
from webapp.patrol.models import ChecklistTemplate
from webapp.patrol.schemas import FindingSchema

SURROGATE = "\ud83d"  # half of 😀: what a phone's JavaScript leaves when it cuts a string there
BROKEN = "含有残缺的字符（被手机截断的半个表情符号）：请重新输入这段文字后再提交。"
TOO_DEEP = "数据嵌套层级过深（最多 32 层）。"
INVALID = "部分字段无效。"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def body_with_photo_ids(mutation: dict, photo_ids: str) -> str:
    """A push body whose mutation's photo_ids is the raw JSON text given (no encoder nests that deep)."""
    mutation["fields"]["photo_ids"] = "PHOTO_IDS"
    return json.dumps({"device_id": "phone-1", "mutations": [mutation]}).replace('"PHOTO_IDS"', photo_ids)


def mutations_logged() -> int:
    return db.session.scalar(select(func.count()).select_from(AppliedMutation))


# --- half an emoji ------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["text", "key", "list"])
def test_half_an_emoji_rejects_its_mutation_alone_in_chinese(app, api, ctx, where):
    api.login("officer")
    bad = note_mutation(area_id(app, "东区"), "大堂")
    if where == "text":
        bad["fields"]["text"] = f"灯不亮{SURROGATE}"
        expected = {"text": [BROKEN]}
    elif where == "key":
        bad["fields"][f"备注{SURROGATE}"] = "x"
        expected = {"备注\\ud83d": [BROKEN]}
    else:
        bad["fields"]["photo_ids"] = [SURROGATE]
        expected = {"photo_ids": {"0": [BROKEN]}}
    result = push_between_siblings(app, api, bad)  # json.dumps writes the surrogate as "\ud83d"
    assert result["status"] == "rejected" and result["message"] == INVALID
    assert {k: v for k, v in result["errors"].items() if k in expected} == expected
    assert count(QuickNote, QuickNote.id == bad["record_id"]) == 0


def test_half_an_emoji_in_the_device_id_refuses_the_envelope_with_a_reason(app, api, ctx):
    api.login("officer")
    before = mutations_logged()
    response = api.push(note_mutation(area_id(app, "东区")), device=f"phone{SURROGATE}")
    assert response.status_code == 422
    assert response.get_json()["error"]["errors"] == {"device_id": [BROKEN]}
    assert mutations_logged() == before


def test_half_an_emoji_as_an_unknown_envelope_key_is_named_printably(app, api, ctx):
    api.login("officer")
    body = {"device_id": "phone-1", "mutations": [note_mutation(area_id(app, "东区"))], SURROGATE: 1}
    response = api.push(raw=json.dumps(body))
    assert response.status_code == 422
    assert list(response.get_json()["error"]["errors"]) == ["\\ud83d"]


# --- nesting ----------------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_a_push_body_nested_too_deeply_is_a_400_before_parsing(app, api, ctx, depth):
    api.login("officer")
    before = mutations_logged()
    response = api.push(raw=body_with_photo_ids(note_mutation(area_id(app, "东区")), nested(depth)))
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == TOO_DEEP
    assert mutations_logged() == before


def test_a_push_body_nested_as_deep_as_allowed_is_read(app, api, ctx):
    api.login("officer")
    # envelope { mutations [ mutation { fields { photo_ids: 28 levels
    response = api.push(raw=body_with_photo_ids(note_mutation(area_id(app, "东区")), nested(32 - 4)))
    assert response.status_code == 200
    assert response.get_json()["results"][0]["status"] == "rejected"


def test_the_walkers_refuse_deep_values_instead_of_recursing():
    """The engine is also called with values no JSON parser bounded (forms, conflict resolutions)."""
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    assert guard.problems(FindingSchema(), {"item": {"x": deep}}, utcnow()) == {"item": [messages.NESTED_TOO_DEEPLY]}
    with pytest.raises(ValidationError) as refused:
        FindingSchema().load({"area_id": 1, "round_id": str(uuid.uuid4()), "team": "engineering",
                              "item": {"x": deep}})
    assert messages.NESTED_TOO_DEEPLY in json.dumps(refused.value.messages)


def test_nesting_is_measured_outside_strings():
    assert wirejson.nesting(b'{"a": "[[[[{{{{", "b": [[1]], "c": "\\"[[", "d": "\\\\"}') == 3
    assert wirejson.nesting(nested(5000)) == wirejson.MAX_DEPTH + 1  # counted only as far as it matters
    assert wirejson.too_deep("[" * 5000)  # not even closed: the parser would still recurse
    with pytest.raises(wirejson.TooDeep):
        wirejson.loads(nested(33))
    assert wirejson.loads(nested(32)) == json.loads(nested(32))


def test_json_nested_too_deeply_in_an_offline_form_field_is_a_400_page(app, client, login_as, csrf, ctx):
    login_as("officer")
    response = client.post("/sync/form/quick_note", data={
        "csrf_token": csrf(), "area_id": str(area_id(app, "东区")), "text": "无脚本",
        "photo_ids": nested(1000)})
    assert response.status_code == 400
    assert TOO_DEEP in response.get_data(as_text=True)
    assert count(QuickNote, QuickNote.text == "无脚本") == 0


# --- digits that are not ASCII, numbers no column holds ----------------------------------------

@pytest.mark.parametrize("base_version", ["²", "１", "٣", "99999999999999999999999"])
def test_an_odd_base_version_in_an_offline_form_is_a_clear_4xx(app, client, login_as, csrf, ctx, base_version):
    login_as("officer")
    response = client.post("/sync/form/quick_note", data={
        "csrf_token": csrf(), "op": "update", "record_id": str(uuid.uuid4()), "text": "改",
        "base_version": base_version})
    assert response.status_code == 422
    assert "记录不存在。" in response.get_data(as_text=True) or "需要" in response.get_data(as_text=True)


def test_a_base_version_no_column_holds_rejects_its_mutation_alone(app, api, ctx):
    api.login("officer")
    east = area_id(app, "东区")
    create = note_mutation(east, "原文")
    assert api.statuses(create) == ["applied"]
    update = note_mutation(east, "改了", op="update", record_id=create["record_id"], base_version=2**63)
    result = push_between_siblings(app, api, update)
    assert result["status"] == "rejected" and result["message"] == INVALID
    assert result["errors"] == {"base_version": ["必须是 1 到 2147483647 之间的整数。"]}
    assert db.session.get(QuickNote, create["record_id"]).text == "原文"


@pytest.mark.parametrize("building", ["①", "²", "99999999999999999999"])
def test_odd_digits_among_an_areas_buildings_are_a_422_page(app, client, login_as, csrf, building):
    login_as("supervisor")
    response = client.post("/areas/new", data={"csrf_token": csrf(), "code": "A9", "name": "新区",
                                              "building_ids": building})
    assert response.status_code == 422


@pytest.mark.parametrize("rows", ["²", "٣", "9" * 40])
def test_odd_digits_as_a_checklists_row_count_are_no_rows(app, client, login_as, csrf, ctx, rows):
    template = db.session.scalar(select(ChecklistTemplate).order_by(ChecklistTemplate.id).limit(1))
    login_as("supervisor")
    response = client.post(f"/patrol/templates/{template.id}/edit", data={
        "csrf_token": csrf(), "name_zh": template.name_zh, "name_en": template.name_en, "count": rows})
    assert response.status_code == 422
    assert "清单至少需要一个项目" in response.get_data(as_text=True) or "至少" in response.get_data(as_text=True)


HUGE = "9" * 25


@pytest.mark.parametrize("role,url", [
    ("officer", f"/patrol/round/full?area_id={HUGE}"),
    ("officer", f"/patrol/round/new?location_id={HUGE}"),
    ("officer", f"/patrol/findings?area_id={HUGE}"),
    ("officer", "/patrol/round/full?area_id=²"),
    ("supervisor", f"/patrol/coverage?area_id={HUGE}"),
])
def test_a_query_number_no_column_holds_is_no_number_not_a_500(client, login_as, role, url):
    login_as(role)
    assert client.get(url).status_code in (200, 302, 403, 404)


def test_a_round_posted_for_an_area_no_column_holds_is_not_found(client, login_as, csrf):
    login_as("officer")
    response = client.post("/patrol/round", data={"csrf_token": csrf(), "area_id": HUGE, "key_location_id": HUGE})
    assert response.status_code == 404


def test_json_nested_too_deeply_in_a_conflict_edit_is_refused_with_a_message(app, api, client, login_as, csrf, ctx):
    """The supervisor's edit of a list field is read as JSON: 5,000 levels are the text they are."""
    from sync.models import Conflict

    east = area_id(app, "东区")
    api.login("officer")
    create = note_mutation(east, "大堂灯不亮")
    assert api.statuses(create) == ["applied"]
    api.login("supervisor")
    assert api.statuses(note_mutation(east, "已报修", op="update", record_id=create["record_id"],
                                      base_version=1)) == ["applied"]
    api.login("officer")
    [result] = api.push(note_mutation(east, "已修好", op="update", record_id=create["record_id"], base_version=1,
                                      photo_ids=[])).get_json()["results"]
    assert result["status"] == "conflict"
    login_as("supervisor")
    response = client.post(f"/conflicts/{result['conflict_id']}", data={
        "csrf_token": csrf(), "choice": "edit", "field_text": "改好了", "field_photo_ids": nested(5000)})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Conflict, result["conflict_id"]).status == "open"

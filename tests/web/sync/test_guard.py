"""Never a 500 from /sync (audit, issue 3): values a database cannot store are a field error of their own
mutation, in the user's language, for every registered entity; a transient database error is a 503 the
client retries; a bad pull cursor is a 400 naming it. Runs on SQLite and PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import time
import uuid

import pytest
from marshmallow import fields as mf
from sqlalchemy.exc import OperationalError

from sync import engine
from tests.conftest import app_entities
from tests.web.sync.test_api import area_id, count, note_mutation
from webapp.notes.models import QuickNote

NUL = "含有无法保存的字符（NUL）。"
INT_RANGE = "必须是 -2147483648 到 2147483647 之间的整数。"
NOT_INT = "不是有效的整数。"
TIME_RANGE = "此时间与服务器时间相差超过一年：请检查手机的日期和时间，改正此时间后重新提交。"


def push_between_siblings(app, api, bad: dict) -> dict:
    """Push `bad` between two good notes: answered 200, the good ones applied; bad's result."""
    east = area_id(app, "东区")
    response = api.push(note_mutation(east, "前一条"), bad, note_mutation(east, "后一条"))
    assert response.status_code == 200, response.get_data(as_text=True)
    results = response.get_json()["results"]
    assert [results[0]["status"], results[2]["status"]] == ["applied", "applied"]
    assert count(QuickNote, QuickNote.text.in_(["前一条", "后一条"])) == 2
    return results[1]


@pytest.mark.parametrize("change,field,message", [
    ({"text": "3栋\x00楼道"}, "text", NUL),
    ({"key_location_id": 10**30}, "key_location_id", INT_RANGE),
    ({"key_location_id": 2**31}, "key_location_id", INT_RANGE),
    ({"area_id": 1.5}, "area_id", NOT_INT),
    ({"area_id": True}, "area_id", NOT_INT),
    ({"photo_ids": ["\x00"]}, "photo_ids", {"0": [NUL]}),
])
def test_audit_cases_are_a_field_error_in_chinese_and_siblings_apply(app, api, ctx, change, field, message):
    api.login("officer")
    bad = note_mutation(area_id(app, "东区"), "备注")
    bad["fields"].update(change)
    result = push_between_siblings(app, api, bad)
    assert result["status"] == "rejected" and result["message"] == "部分字段无效。"
    assert result["errors"][field] == ([message] if isinstance(message, str) else message)
    assert count(QuickNote) == 2


@pytest.mark.parametrize("observed_at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
                                         "9999-01-01T00:00:00+08:00"])
def test_an_absurd_observed_at_is_rejected_alone(app, api, ctx, observed_at):
    api.login("officer")
    bad = note_mutation(area_id(app, "东区"), "时间错了")
    bad["observed_at"] = observed_at
    result = push_between_siblings(app, api, bad)
    assert result["status"] == "rejected" and result["errors"] == {"observed_at": [TIME_RANGE]}


def test_a_nul_in_the_device_id_refuses_the_envelope_with_a_reason(app, api, ctx):
    api.login("officer")
    response = api.push(note_mutation(area_id(app, "东区")), device="phone\x00")
    assert response.status_code == 422
    assert response.get_json()["error"]["errors"] == {"device_id": [NUL]}


def bad_values(field: mf.Field):
    """(value, expected message) a database cannot store, for a field of this kind."""
    if isinstance(field, mf.Integer):
        return [(10**30, INT_RANGE), (1.5, NOT_INT)]
    if isinstance(field, mf.String):
        return [("a\x00b", NUL)]
    if isinstance(field, mf.AwareDateTime):
        return [("0001-01-01T00:00:00+14:00", TIME_RANGE)]
    return []


def every_guarded_field():
    from webapp.dbsetup import import_models

    import_models()
    for spec in app_entities():
        for key, field in spec.loader.load_fields.items():
            for value, message in bad_values(field):
                yield pytest.param(spec.name, field.data_key or key, value, message, id=f"{spec.name}.{key}={value!r:.12}")


@pytest.mark.parametrize("entity,field,value,message", list(every_guarded_field()))
def test_every_entity_gets_the_guard_without_repeating_it(app, api, ctx, entity, field, value, message):
    """Whatever a domain's schema says, an unstorable value in any of its fields is a field error."""
    api.login("officer")
    bad = {"mutation_id": str(uuid.uuid4()), "entity": entity, "record_id": str(uuid.uuid4()), "op": "create",
           "base_version": None, "fields": {field: value}, "observed_at": note_mutation(1)["observed_at"]}
    result = push_between_siblings(app, api, bad)
    assert result["status"] == "rejected" and message in result["errors"][field], result


def test_a_nested_value_is_guarded_too(app, api, ctx):
    api.login("officer")
    bad = {"mutation_id": str(uuid.uuid4()), "entity": "patrol_round", "record_id": str(uuid.uuid4()),
           "op": "create", "base_version": None, "observed_at": note_mutation(1)["observed_at"],
           "fields": {"area_id": area_id(app, "东区"), "kind": "full",
                      "checks": [{"item_id": 1, "result": "ok"}, {"item_id": 10**30, "result": "defect", "note": "\x00"}]}}
    result = push_between_siblings(app, api, bad)
    assert result["status"] == "rejected"
    assert result["errors"]["checks"]["1"] == {"item_id": [INT_RANGE], "note": [NUL]}


@pytest.mark.parametrize("query", [f"cursor={10**30}", f"cursor={2**63}", "cursor=1.5", "limit=99999999999999999999"])
def test_a_huge_or_odd_pull_query_is_a_400_naming_the_parameter(api, client, query):
    api.login("officer")
    response = client.get(f"/sync/pull?{query}")
    assert response.status_code == 400
    assert set(response.get_json()["error"]["errors"]) == {query.split("=")[0]}


def test_the_largest_cursor_is_an_empty_page(api, client):
    api.login("officer")
    page = client.get(f"/sync/pull?cursor={2**63 - 1}").get_json()
    assert page["changes"] == [] and page["more"] is False


def test_a_transient_database_error_is_a_503_to_retry(app, api, ctx, monkeypatch):
    api.login("officer")

    def deadlock(*args, **kwargs):
        raise OperationalError("SELECT pg_advisory_xact_lock(…)", {}, Exception("deadlock detected"))

    monkeypatch.setattr(engine.batch, "apply", deadlock)
    response = api.push(note_mutation(area_id(app, "东区")))
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "服务器繁忙" in response.get_json()["error"]["message"]
    assert count(QuickNote) == 0


def test_a_transient_database_error_on_a_form_without_javascript_is_a_503_page(app, client, login_as, csrf,
                                                                               ctx, monkeypatch):
    login_as("officer")

    def deadlock(*args, **kwargs):
        raise OperationalError("SELECT pg_advisory_xact_lock(…)", {}, Exception("deadlock detected"))

    monkeypatch.setattr(engine.batch, "apply", deadlock)
    response = client.post("/sync/form/quick_note", data={
        "csrf_token": csrf(), "area_id": str(area_id(app, "东区")), "text": "无脚本", "op": "create",
        "record_id": str(uuid.uuid4())})
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert response.mimetype == "text/html" and "返回键回到表单再保存一次" in response.get_data(as_text=True)
    assert count(QuickNote) == 0


def test_fault_injection_is_off_unless_explicitly_enabled(app, api, ctx):
    """The crash tests' pause (X-Sync-Fault) needs TESTING *and* SYNC_FAULT_INJECTION; else it is ignored."""
    from webapp.syncapi import FAULT_HEADER

    api.login("officer")
    assert not app.config.get("SYNC_FAULT_INJECTION")
    started = time.monotonic()
    response = api.push(note_mutation(area_id(app, "东区")), headers={FAULT_HEADER: "pause-before-commit"})
    assert response.status_code == 200 and time.monotonic() - started < 10

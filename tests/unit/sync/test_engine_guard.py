"""Values a database cannot store are a field error of their own mutation, never a failed batch
(sync/guard.py); a mutation the database refuses anyway is `rejected` alone (sync/batch.py); a
transient database error fails the batch, which the client retries. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import post_load
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from sync import batch, messages
from sync.models import AppliedMutation, Change
from sync.registry import EntitySpec
from tests.unit.sync.synckit import ENTITIES, Gauge, Note, NoteSchema, area_scope, count, mutation

INT32_MAX = 2**31 - 1
RANGE = messages.INTEGER_OUT_OF_RANGE.format(min=-(2**31), max=INT32_MAX)


def wire(value):
    return json.loads(json.dumps(value))


def gauge(**fields) -> dict:
    return mutation("create", fields={"area": "A1", **fields}, entity="gauge")


def ok_note() -> dict:
    return mutation("create", fields={"area": "A1", "text": "the sibling"})


def push_with_sibling(phone, bad: dict) -> dict:
    """Push a bad mutation between two good ones: the good ones apply, the bad one's result."""
    first, last = ok_note(), ok_note()
    results = phone.push(first, bad, last)
    assert [results[0]["status"], results[2]["status"]] == ["applied", "applied"], results
    return results[1]


@pytest.mark.parametrize("fields,errors", [
    ({"label": "a\x00b"}, {"label": [messages.NUL_CHARACTER]}),
    ({"extra": {"note": "x\x00"}}, {"extra": {"note": [messages.NUL_CHARACTER]}}),
    ({"extra": {"k\x00": 1}}, {"extra": {"k\\0": [messages.NUL_CHARACTER]}}),
    ({"unknown\x00": 1}, {"unknown\\0": [messages.NUL_CHARACTER]}),
    ({"parts": [{"n": 1, "label": "\x00"}]}, {"parts": {0: {"label": [messages.NUL_CHARACTER]}}}),
    ({"count": 10**30}, {"count": [RANGE]}),
    ({"count": INT32_MAX + 1}, {"count": [RANGE]}),
    ({"count": 1.5}, {"count": [messages.NOT_AN_INTEGER]}),
    ({"count": True}, {"count": ["Not a valid integer."]}),
    ({"parts": [{"n": 2}, {"n": 10**12}]}, {"parts": {1: {"n": [RANGE]}}}),
    ({"extra": {"n": 10**30}}, {"extra": {"n": [messages.NUMBER_TOO_LARGE]}}),
    ({"reading": 10**400}, {"reading": [messages.NUMBER_TOO_LARGE]}),
    ({"reading": float("nan")}, {"reading": [messages.NOT_A_NUMBER]}),
    ({"extra": {"x": float("inf")}}, {"extra": {"x": [messages.NOT_A_NUMBER]}}),
    ({"label": "x" * 17}, {"label": [messages.TOO_LONG.format(max=16)]}),
    ({"taken_at": "0001-01-01T00:00:00+14:00"}, {"taken_at": [messages.DATETIME_OUT_OF_RANGE]}),
    ({"taken_at": "9999-12-31T23:59:59-14:00"}, {"taken_at": [messages.DATETIME_OUT_OF_RANGE]}),
    ({"taken_at": "9999-01-01T00:00:00+00:00"}, {"taken_at": [messages.DATETIME_OUT_OF_RANGE]}),
])
def test_an_unstorable_value_is_a_field_error_and_its_siblings_apply(session, phone, fields, errors):
    bad = gauge(**fields)
    result = push_with_sibling(phone, bad)
    assert result["status"] == "rejected" and result["message"] == messages.FIELDS_INVALID
    assert {k: result["errors"][k] for k in errors} == errors
    assert count(session, Gauge) == 0 and count(session, Note) == 2
    assert wire(phone.push(bad)[0]) == wire(result), "a replay gets the same refusal"


@pytest.mark.parametrize("fields,stored", [
    ({"count": "12"}, {"count": 12}),  # what an HTML form sends: a whole number as text
    ({"count": -(2**31)}, {"count": -(2**31)}),
    ({"label": "x" * 16, "reading": 1e300}, {"label": "x" * 16, "reading": 1e300}),
    ({"taken_at": (datetime.now(UTC) - timedelta(days=300)).isoformat()}, {}),
    ({"extra": {"n": 2**53, "text": "多行\n文本"}}, {"extra": {"n": 2**53, "text": "多行\n文本"}}),
])
def test_storable_values_at_the_edges_apply(session, phone, fields, stored):
    m = gauge(**fields)
    assert phone.statuses(m) == ["applied"]
    record = session.get(Gauge, m["record_id"])
    assert {k: getattr(record, k) for k in stored} == stored


@pytest.mark.parametrize("observed_at", ["0001-01-01T00:00:00+14:00", "9999-12-31T00:00:00+00:00",
                                         "2000-01-01T00:00:00+08:00"])
def test_an_implausible_observed_at_is_rejected_alone(session, phone, observed_at):
    bad = mutation("create", fields={"area": "A1", "text": "clock"}, observed_at=observed_at)
    result = push_with_sibling(phone, bad)
    assert result["status"] == "rejected" and result["errors"] == {"observed_at": [messages.DATETIME_OUT_OF_RANGE]}
    assert session.get(Note, bad["record_id"]) is None


def test_a_clock_days_off_is_accepted_with_a_warning(session, phone):
    behind = (datetime.now(UTC) - timedelta(days=20)).isoformat()
    ahead = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    answer = phone.push_raw({"device_id": "phone-1", "sent_at": ahead, "mutations": [
        mutation("create", observed_at=behind), mutation("create", observed_at=ahead)]})
    assert [r["status"] for r in answer["results"]] == ["applied", "applied"]
    assert answer["clock_warning"] is True and answer["clock_skew_seconds"] < -3 * 86400 + 60


def test_a_wildly_wrong_sent_at_warns_instead_of_failing(session, phone):
    answer = phone.push_raw({"device_id": "phone-1", "sent_at": "0001-01-01T00:00:00+14:00",
                             "mutations": [mutation("create")]})
    assert answer["results"][0]["status"] == "applied"
    assert answer["clock_warning"] is True and answer["clock_skew_seconds"] == INT32_MAX


def test_the_database_refusing_one_mutation_rejects_it_alone(session, phone, caplog):
    """A unique column the schema knows nothing about: the second create of the same tag fails in
    the database. It is answered `rejected` (logged with the traceback); everything else applies."""
    first, clash, after = gauge(tag="T-1"), gauge(tag="T-1"), gauge(tag="T-2")
    update = mutation("update", first["record_id"], {"count": 3}, base=1, entity="gauge")
    with caplog.at_level("ERROR", logger="sync.batch"):
        results = phone.push(first, clash, after, update)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied", "applied"]
    assert results[1]["message"] == messages.INTERNAL_ERROR and results[1]["errors"] == {"_schema": [messages.INTERNAL_ERROR]}
    assert clash["mutation_id"] in caplog.text and caplog.records[0].exc_info is not None
    session.expire_all()
    assert sorted(g.tag for g in session.scalars(select(Gauge))) == ["T-1", "T-2"]
    assert session.get(Gauge, first["record_id"]).count == 3
    assert count(session, Change) == 3 and count(session, AppliedMutation) == 4
    assert phone.push(clash)[0] == results[1], "the refusal is remembered: a replay answers it again"
    again = phone.push(first, clash, after, update)
    assert [r["status"] for r in again] == ["duplicate", "rejected", "duplicate", "duplicate"]


def test_a_transient_database_error_fails_the_whole_batch(session, phone, monkeypatch):
    def locked(*args, **kwargs):
        raise OperationalError("INSERT …", {}, Exception("deadlock detected"))

    monkeypatch.setattr(batch, "write_records", locked)
    with pytest.raises(OperationalError):
        phone.push(ok_note(), ok_note())
    monkeypatch.undo()
    assert count(session, Note) == 0 and count(session, AppliedMutation) == 0


class TouchySchema(NoteSchema):
    @post_load
    def trips(self, data, **kwargs):
        if data["text"] == "boom":
            raise TypeError("a domain hook tripped over this value")
        return data


def test_a_schema_hook_that_crashes_rejects_only_its_own_mutation(session, device, caplog):
    phone = device("A1")
    touchy = EntitySpec(name="touchy", model=Note, schema=TouchySchema, scope_of=area_scope)
    with ENTITIES.registered(touchy), caplog.at_level("ERROR", logger="sync.loading"):
        statuses = phone.push(*(mutation("create", fields={"area": "A1", "text": t}, entity="touchy")
                                for t in ("fine", "boom", "also fine")))
    assert [r["status"] for r in statuses] == ["applied", "rejected", "applied"]
    assert statuses[1]["errors"] == {"_schema": [messages.INTERNAL_ERROR]} and "touchy" in caplog.text

"""Resolving a conflict from the inbox: keep device, keep server, edit — audited, once, in scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from sync import engine, messages
from sync.errors import ProtocolError, ResolveError
from sync.models import Change, Conflict
from tests.unit.sync.synckit import ENTITIES, count, make_actor, mutation, note

SUPERVISOR = make_actor("A1", user_id=9, role="supervisor")


@pytest.fixture
def conflict_id(session, phone, device):
    """Officer and supervisor both changed the text of one note: an open conflict."""
    create = mutation("create", fields={"area": "A1", "text": "lobby light out", "priority": 1})
    phone.push(create)
    rid = create["record_id"]
    desk = device("A1", user_id=9, role="supervisor", device_id="desk")
    desk.push(mutation("update", rid, {"text": "supervisor's words"}, base=1))
    [result] = phone.push(mutation("update", rid, {"text": "officer's words", "priority": 3}, base=1))
    assert result["status"] == "conflict"
    return result["conflict_id"]


def resolve(session, conflict_id, choice, fields=None, actor=SUPERVISOR):
    return engine.resolve_conflict(session, actor, ENTITIES, conflict_id, choice, fields)


def stored(session, conflict_id) -> Conflict:
    session.expire_all()
    return session.get(Conflict, conflict_id)


def last_change(session) -> Change:
    return session.scalars(select(Change).order_by(Change.seq.desc())).first()


def assert_audited(conflict: Conflict, choice: str, fields) -> None:
    assert (conflict.status, conflict.resolution, conflict.resolved_fields) == ("resolved", choice, fields)
    assert conflict.resolved_by == SUPERVISOR.user_id
    assert datetime.now(UTC) - conflict.resolved_at < timedelta(minutes=1)


def test_keep_device_applies_the_whole_device_change_as_a_new_version(session, conflict_id):
    answer = resolve(session, conflict_id, "device")
    assert answer == {"conflict_id": conflict_id, "status": "resolved", "resolution": "device", "version": 3}
    conflict = stored(session, conflict_id)
    saved = note(session, conflict.record_id)
    assert (saved.text, saved.priority, saved.version) == ("officer's words", 3, 3)
    assert_audited(conflict, "device", {"text": "officer's words", "priority": 3})
    change = last_change(session)  # devices pull the resolution like any change
    assert (change.version, change.device_id, change.user_id) == (3, engine.SERVER_DEVICE, 9)
    assert sorted(change.changed_fields) == ["priority", "text"]


def test_keep_server_changes_nothing_but_the_conflict(session, conflict_id):
    changes = count(session, Change)
    answer = resolve(session, conflict_id, "server")
    assert (answer["resolution"], answer["version"]) == ("server", None)
    conflict = stored(session, conflict_id)
    assert_audited(conflict, "server", None)
    assert note(session, conflict.record_id).text == "supervisor's words"
    assert count(session, Change) == changes


def test_edit_applies_what_the_supervisor_wrote(session, conflict_id):
    answer = resolve(session, conflict_id, "edit", {"text": "both: light and switch"})
    assert answer["version"] == 3
    conflict = stored(session, conflict_id)
    assert_audited(conflict, "edit", {"text": "both: light and switch"})
    saved = note(session, conflict.record_id)
    assert (saved.text, saved.priority) == ("both: light and switch", 1)


def test_a_conflict_is_resolved_once(session, conflict_id):
    resolve(session, conflict_id, "server")
    with pytest.raises(ResolveError) as refused:
        resolve(session, conflict_id, "device")
    assert (refused.value.code, refused.value.message) == ("already_resolved", messages.ALREADY_RESOLVED)
    conflict = stored(session, conflict_id)
    assert conflict.resolution == "server"
    assert note(session, conflict.record_id).text == "supervisor's words"


def test_someone_without_the_scope_may_not_resolve(session, conflict_id):
    for outsider in (make_actor("A2", user_id=5, role="supervisor"), make_actor("A1", "A2", user_id=5, write=["A2"])):
        with pytest.raises(ResolveError) as refused:
            resolve(session, conflict_id, "device", actor=outsider)
        assert refused.value.code == "forbidden"
    assert stored(session, conflict_id).status == "open"


def test_refused_resolutions_leave_the_conflict_open_and_the_record_alone(session, conflict_id):
    with pytest.raises(ResolveError) as refused:
        resolve(session, conflict_id, "edit", {"priority": 42})
    assert refused.value.code == "invalid" and "priority" in refused.value.errors
    with pytest.raises(ResolveError) as refused:
        resolve(session, conflict_id, "edit", {"area": "A2"})  # moving it out of the supervisor's scope
    assert refused.value.code == "forbidden"
    with pytest.raises(ResolveError) as refused:
        resolve(session, "no-such-conflict", "server")
    assert refused.value.code == "not_found"
    for choice, fields in (("keep", None), ("edit", None), ("edit", ["text"])):
        with pytest.raises(ProtocolError):
            resolve(session, conflict_id, choice, fields)
    conflict = stored(session, conflict_id)
    assert (conflict.status, note(session, conflict.record_id).version) == ("open", 2)


def test_keep_device_of_an_update_to_a_deleted_record_brings_it_back(session, phone, device):
    create = mutation("create")
    phone.push(create)
    rid = create["record_id"]
    device("A1", user_id=9, device_id="desk").push(mutation("delete", rid, base=1))
    [result] = phone.push(mutation("update", rid, {"text": "not fixed yet"}, base=1))
    resolve(session, result["conflict_id"], "device")
    saved = note(session, rid)
    assert (saved.deleted_at, saved.text, saved.version) == (None, "not fixed yet", 3)


def test_keep_device_of_a_vetoed_change_is_checked_again(session, phone):
    first = mutation("create", entity="loan", fields={"area": "A1", "key_code": "K1"})
    twice = mutation("create", entity="loan", fields={"area": "A1", "key_code": "K1"})
    results = phone.push(first, twice)
    with pytest.raises(ResolveError) as refused:
        resolve(session, results[1]["conflict_id"], "device")
    assert refused.value.code == "still_conflicts"
    phone.push(mutation("update", first["record_id"], {"returned": True}, base=1, entity="loan"))
    assert resolve(session, results[1]["conflict_id"], "device")["version"] == 1

"""Three-way merge, conflicts (same field, deleted record, domain invariants) and tombstones."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sync import engine, messages
from sync.models import AppliedMutation, Change, Conflict
from tests.unit.sync.synckit import ENTITIES, KEY_LENT, Loan, count, mutation, note


@pytest.fixture
def desk(device):
    """A supervisor's browser: another origin writing the same records."""
    return device("A1", user_id=9, role="supervisor", device_id="desk")


def created(phone, **fields) -> str:
    create = mutation("create", fields={"area": "A1", "text": "lobby light out", **fields})
    assert phone.statuses(create) == ["applied"]
    return create["record_id"]


def conflicts(session) -> list[Conflict]:
    session.expire_all()
    return list(session.scalars(select(Conflict).order_by(Conflict.created_at)))


def test_disjoint_changes_merge_field_by_field(session, phone, desk):
    rid = created(phone)
    assert desk.statuses(mutation("update", rid, {"text": "bulb replaced"}, base=1)) == ["applied"]
    [result] = phone.push(mutation("update", rid, {"priority": 4}, base=1))
    assert (result["status"], result["version"]) == ("merged", 3)
    saved = note(session, rid)
    assert (saved.text, saved.priority, saved.version) == ("bulb replaced", 4, 3)
    last = session.scalars(select(Change).order_by(Change.seq.desc())).first()
    assert (last.version, last.changed_fields, last.device_id) == (3, ["priority"], "phone-1")
    assert count(session, Conflict) == 0


def test_same_value_on_both_sides_is_no_conflict(session, phone, desk):
    rid = created(phone)
    desk.push(mutation("update", rid, {"text": "fixed"}, base=1))
    [result] = phone.push(mutation("update", rid, {"text": "fixed"}, base=1))
    assert (result["status"], result["version"], result["message"]) == ("merged", 2, messages.NOTHING_CHANGED)
    assert count(session, Conflict) == 0


def test_own_earlier_edits_never_conflict(session, phone):
    """A phone editing its own record twice from an old page is one side, not two."""
    rid = created(phone)
    phone.push(mutation("update", rid, {"text": "first"}, base=1))
    assert phone.statuses(mutation("update", rid, {"text": "second"}, base=1)) == ["applied"]
    assert note(session, rid).text == "second"


def test_same_field_changed_on_both_sides_keeps_the_server_value_and_the_whole_device_change(session, phone, desk):
    rid = created(phone)
    desk.push(mutation("update", rid, {"text": "supervisor's words"}, base=1))
    device_change = mutation("update", rid, {"text": "officer's words", "priority": 7}, base=1)
    [result] = phone.push(device_change)
    assert (result["status"], result["version"], result["message"]) == ("conflict", 2, messages.CONFLICT_SAME_FIELDS)
    saved = note(session, rid)
    assert (saved.text, saved.priority, saved.version) == ("supervisor's words", 0, 2)  # nothing merged
    [conflict] = conflicts(session)
    assert conflict.id == result["conflict_id"]
    assert conflict.device_fields == {"text": "officer's words", "priority": 7}
    assert conflict.server_fields == {"area": "A1", "text": "supervisor's words", "priority": 0}
    assert (conflict.fields_in_conflict, conflict.base_version, conflict.server_version) == (["text"], 1, 2)
    assert (conflict.mutation_id, conflict.device_id, conflict.user_id) == (device_change["mutation_id"], "phone-1", 1)
    assert (conflict.scope, conflict.status, conflict.op) == ("area:A1", "open", "update")
    # final: a replay answers the conflict again and files nothing more
    assert phone.push(device_change)[0] == {**result, "status": "duplicate", "first_status": "conflict"}
    assert len(conflicts(session)) == 1
    assert count(session, Change) == 2


def test_two_web_editors_are_two_sides(session, device):
    """Device "server" is shared by every browser: the user tells the origins apart."""
    phone = device("A1")
    rid = created(phone)
    one = device("A1", user_id=8, role="supervisor")
    other = device("A1", user_id=9, role="supervisor")
    result = engine.apply_server_change(session, one.actor, ENTITIES, "note", rid, "update", {"text": "one"}, 1)
    assert result["status"] == "applied"
    result = engine.apply_server_change(session, other.actor, ENTITIES, "note", rid, "update", {"text": "other"}, 1)
    assert result["status"] == "conflict" and note(session, rid).text == "one"
    result = engine.apply_server_change(session, other.actor, ENTITIES, "note", rid, "update", {"priority": 2}, 1)
    assert (result["status"], result["version"]) == ("merged", 3)


def test_online_edit_is_versioned_and_logged_like_a_push(session, phone, desk):
    result = engine.apply_server_change(session, desk.actor, ENTITIES, "note", None, "create", {"area": "A1", "text": "desk"}, None)
    assert (result["status"], result["version"]) == ("applied", 1)
    change = session.scalars(select(Change)).one()
    assert (change.record_id, change.device_id, change.user_id) == (result["record_id"], engine.SERVER_DEVICE, 9)
    with pytest.raises(ValueError):
        engine.apply_server_change(session, desk.actor, ENTITIES, "note", None, "upsert", {}, None)


def test_stale_delete_after_someone_else_changed_the_record_is_a_conflict(session, phone, desk):
    rid = created(phone)
    desk.push(mutation("update", rid, {"priority": 2}, base=1))
    [result] = phone.push(mutation("delete", rid, base=1))
    assert (result["status"], result["message"]) == ("conflict", messages.CONFLICT_CHANGED)
    assert note(session, rid).deleted_at is None
    [conflict] = conflicts(session)
    assert (conflict.op, conflict.fields_in_conflict, conflict.device_fields) == ("delete", ["priority"], {})


def test_base_version_ahead_of_the_server_is_a_conflict(session, phone):
    rid = created(phone)
    [result] = phone.push(mutation("update", rid, {"text": "from the future"}, base=5))
    assert (result["status"], result["message"]) == ("conflict", messages.CONFLICT_BASE_AHEAD)
    assert note(session, rid).text == "lobby light out"


# --- tombstones ---------------------------------------------------------------------------------

def test_delete_leaves_a_tombstone_that_pull_shows(session, phone, device):
    rid = created(phone)
    phone.push(mutation("delete", rid, base=1))
    saved = note(session, rid)
    assert (saved.version, saved.text) == (2, "lobby light out") and saved.deleted_at is not None
    other = device("A1", user_id=2, device_id="phone-2")
    [change] = other.pull()["changes"]
    assert change == {"entity": "note", "id": rid, "op": "delete", "version": 2, "seq": change["seq"]}


def test_update_of_a_deleted_record_is_kept_as_a_conflict(session, phone, desk):
    rid = created(phone)
    desk.push(mutation("delete", rid, base=1))
    [result] = phone.push(mutation("update", rid, {"text": "still broken"}, base=1))
    assert (result["status"], result["version"], result["message"]) == ("conflict", 2, messages.CONFLICT_DELETED)
    assert note(session, rid).deleted_at is not None and note(session, rid).text == "lobby light out"
    [conflict] = conflicts(session)
    assert conflict.device_fields == {"text": "still broken"} and conflict.server_version == 2


def test_deleting_twice_is_done_not_a_conflict(session, phone, desk):
    rid = created(phone)
    desk.push(mutation("delete", rid, base=1))
    [result] = phone.push(mutation("delete", rid, base=1))
    assert (result["status"], result["version"], result["message"]) == ("applied", 2, messages.ALREADY_DELETED)
    assert count(session, Change) == 2 and count(session, Conflict) == 0


def test_create_over_a_tombstone_is_a_conflict(session, phone):
    create = mutation("create")
    phone.push(create)
    phone.push(mutation("delete", create["record_id"], base=1))
    again = {**create, "mutation_id": mutation()["mutation_id"]}
    [result] = phone.push(again)
    assert (result["status"], result["message"]) == ("conflict", messages.CONFLICT_EXISTS)
    assert note(session, create["record_id"]).deleted_at is not None


# --- domain invariants (the entity's check hook) ------------------------------------------------

def loan(key: str, **fields) -> dict:
    return mutation("create", entity="loan", fields={"area": "A1", "key_code": key, **fields})


def test_a_domain_invariant_turns_a_mutation_into_a_conflict(session, phone, device):
    first, twice, other_key, unknown = loan("K7"), loan("K7"), loan("K8"), loan("NOPE")
    results = phone.push(first, twice, other_key, unknown)
    assert [r["status"] for r in results] == ["applied", "conflict", "applied", "rejected"]
    assert results[1]["message"] == KEY_LENT
    assert results[3]["errors"] == {"key_code": ["No such key."]}
    [conflict] = conflicts(session)
    assert (conflict.reason, conflict.scope, conflict.server_version) == (KEY_LENT, "area:A1", None)
    assert conflict.device_fields == {"area": "A1", "key_code": "K7"}
    session.expire_all()
    assert sorted(session.scalars(select(Loan.key_code))) == ["K7", "K8"]
    # the same key lent on another phone, offline, in a later batch
    second_phone = device("A1", user_id=2, device_id="phone-2")
    assert second_phone.statuses(loan("K8")) == ["conflict"]
    # once returned, it may be lent again
    phone.push(mutation("update", other_key["record_id"], {"returned": True}, base=1, entity="loan"))
    assert second_phone.statuses(loan("K8")) == ["applied"]


def test_a_vetoed_mutation_never_sinks_its_siblings_or_leaves_a_trace(session, phone):
    results = phone.push(loan("K1"), loan("K1"), mutation("create"))
    assert [r["status"] for r in results] == ["applied", "conflict", "applied"]
    assert count(session, Change) == 2
    assert count(session, AppliedMutation) == 3

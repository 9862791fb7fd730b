"""Push: apply create/update/delete, idempotency, per-mutation rejection and refusal."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from sync import messages
from sync.models import AppliedMutation, Change, Conflict, Device
from sync.registry import EntitySpec
from tests.unit.sync.synckit import ENTITIES, NOTE, OBSERVED_AT, Entry, Note, count, envelope, mutation, note


def store(session) -> dict:
    """Records with versions, and the mutation log: what "the same store" means."""
    session.expire_all()
    records = {n.id: (n.version, n.text, n.priority, n.deleted_at is not None) for n in session.scalars(select(Note))}
    log = {m.mutation_id: m.status for m in session.scalars(select(AppliedMutation))}
    return {"records": records, "log": log, "changes": count(session, Change)}


def test_create_update_delete(session, phone):
    create = mutation("create", fields={"area": "A1", "text": "lobby light out"})
    rid = create["record_id"]
    assert phone.push(create) == [{"mutation_id": create["mutation_id"], "status": "applied", "version": 1}]
    saved = note(session, rid)
    assert (saved.text, saved.priority, saved.version, saved.created_by) == ("lobby light out", 0, 1, 1)
    assert saved.observed_at == OBSERVED_AT

    [updated] = phone.push(mutation("update", rid, {"text": "fixed"}, base=1))
    assert (updated["status"], updated["version"]) == ("applied", 2)
    assert (note(session, rid).text, note(session, rid).version) == ("fixed", 2)

    [deleted] = phone.push(mutation("delete", rid, base=2))
    assert (deleted["status"], deleted["version"]) == ("applied", 3)
    assert note(session, rid).deleted_at is not None
    ops = session.execute(select(Change.op, Change.version, Change.changed_fields).order_by(Change.seq)).all()
    assert ops == [("create", 1, ["area", "priority", "text"]), ("update", 2, ["text"]), ("delete", 3, [])]


def test_create_then_update_in_one_batch(session, phone):
    create = mutation("create")
    rid = create["record_id"]
    results = phone.push(create, mutation("update", rid, {"priority": 3}, base=1),
                         mutation("update", rid, {"text": "again"}, base=2))
    assert [(r["status"], r["version"]) for r in results] == [("applied", 1), ("applied", 2), ("applied", 3)]
    saved = note(session, rid)
    assert (saved.version, saved.priority, saved.text) == (3, 3, "again")
    assert count(session, Change) == 3


def test_replay_returns_the_first_result_and_changes_nothing(session, phone):
    batch = [mutation("create"), mutation("create", fields={"area": "A1", "text": "x" * 201})]
    first = phone.push(*batch)
    before = store(session)
    again = phone.push(*batch)
    assert again[0] == {**first[0], "status": "duplicate", "first_status": "applied"}
    assert again[1] == first[1]  # the same refusal, word for word (not "duplicate": it still needs a fix)
    assert store(session) == before


def test_replay_across_batches_and_with_changed_content(session, phone):
    create = mutation("create")
    update = mutation("update", create["record_id"], {"text": "one"}, base=1)
    phone.push(create)
    phone.push(update, mutation("create"))
    before = store(session)
    changed = {**update, "fields": {"text": "something else"}, "base_version": 2}
    results = phone.push(mutation("create"), changed, create)
    assert [r["status"] for r in results] == ["applied", "duplicate", "duplicate"]
    assert results[1]["version"] == 2 and results[1]["first_status"] == "applied"
    assert note(session, create["record_id"]).text == "one"
    assert store(session)["records"][create["record_id"]] == before["records"][create["record_id"]]


def test_same_mutation_twice_in_one_batch(session, phone):
    create = mutation("create")
    assert phone.statuses(create, create) == ["applied", "duplicate"]
    assert count(session, AppliedMutation) == 1


def test_rejected_next_to_applied_siblings(session, phone):
    good = mutation("create")
    bad = mutation("create", fields={"area": "A1", "text": "x" * 201, "colour": "red"})
    also_good = mutation("create")
    results = phone.push(good, bad, also_good)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["errors"] == {"text": ["Longer than maximum length 200."], "colour": ["Unknown field."]}
    assert results[1]["message"] == messages.FIELDS_INVALID
    assert note(session, bad["record_id"]) is None and count(session, Note) == 2
    log = {m.mutation_id: (m.status, m.fingerprint is not None) for m in session.scalars(select(AppliedMutation))}
    assert log == {good["mutation_id"]: ("applied", False), bad["mutation_id"]: ("rejected", True),
                   also_good["mutation_id"]: ("applied", False)}


def test_a_refusal_is_answered_again_until_a_corrected_resend_under_the_same_id(session, phone):
    """The outbox resends a fix under a new id; a web form may reuse its id (patrol's do)."""
    bad = mutation("create", fields={"area": "A1"})
    refusal = phone.push(bad)[0]
    assert refusal["errors"] == {"text": ["Missing data for required field."]}
    later = mutation("update", bad["record_id"], {"text": "then edited"}, base=1)
    no_record, again = phone.push(later, bad)
    assert again == refusal and no_record["errors"] == {"record_id": [messages.NO_RECORD]}  # never came
    fixed = {**bad, "fields": {"area": "A1", "text": "now complete"}}
    assert phone.push(fixed, bad) == [
        {"mutation_id": bad["mutation_id"], "status": "applied", "version": 1},
        {"mutation_id": bad["mutation_id"], "status": "duplicate", "first_status": "applied", "version": 1}]
    assert note(session, bad["record_id"]).text == "now complete"
    assert session.get(AppliedMutation, bad["mutation_id"]).fingerprint is None
    assert phone.push(later)[0]["errors"] == {"record_id": [messages.NO_RECORD]}  # its first answer stands


def test_update_rules(session, phone):
    create = mutation("create")
    rid = create["record_id"]
    phone.push(create)
    results = phone.push(
        mutation("update", rid, {"text": "no base"}),
        mutation("update", rid, {"id": "x", "version": 9}, base=1),
        mutation("update", str(uuid.uuid4()), {"text": "?"}, base=1),
        mutation("update", rid, {"text": "lobby light out"}, base=1),
        mutation("delete", rid, {"text": "no"}, base=1),
    )
    assert [r["status"] for r in results] == ["rejected", "rejected", "rejected", "applied", "rejected"]
    assert results[0]["errors"] == {"base_version": [messages.BASE_VERSION_REQUIRED]}
    assert results[1]["errors"] == {"id": ["Unknown field."], "version": ["Unknown field."]}
    assert results[2]["errors"] == {"record_id": [messages.NO_RECORD]}
    assert (results[3]["version"], results[3]["message"]) == (1, messages.NOTHING_CHANGED)
    assert results[4]["errors"] == {"fields": [messages.DELETE_HAS_FIELDS]}
    assert note(session, rid).version == 1


def test_partial_update_leaves_other_fields_and_defaults_alone(session, phone):
    create = mutation("create", fields={"area": "A1", "text": "t", "priority": 5})
    phone.push(create)
    phone.push(mutation("update", create["record_id"], {"text": "u"}, base=1))
    assert note(session, create["record_id"]).priority == 5


def test_forbidden_outside_write_scopes_stores_nothing(session, device):
    reader = device("A1", "A2", write=["A1"])
    foreign = mutation("create", fields={"area": "A2", "text": "not mine"})
    [result] = reader.push(foreign)
    assert (result["status"], result["message"]) == ("forbidden", messages.FORBIDDEN)
    assert note(session, foreign["record_id"]) is None
    assert count(session, Change) == 0
    assert session.scalars(select(AppliedMutation.status)).all() == ["forbidden"]  # the answer, for a retry

    mine = mutation("create")
    reader.push(mine)
    # moving my note into an area I may only read is forbidden too
    assert reader.statuses(mutation("update", mine["record_id"], {"area": "A2"}, base=1)) == ["forbidden"]
    other = device("A2", user_id=2, device_id="phone-2")
    assert other.statuses(mutation("update", mine["record_id"], {"text": "mine now"}, base=1)) == ["forbidden"]
    assert note(session, mine["record_id"]).version == 1


def test_can_write_hook_adds_a_role_rule(session, device):
    strict = EntitySpec(name="note", model=NOTE.model, schema=NOTE.schema, scope_of=NOTE.scope_of,
                        can_write=lambda actor, op, old, new: op != "delete" or actor.role == "supervisor")
    ENTITIES.unregister("note")
    try:
        with ENTITIES.registered(strict):
            officer, lead = device("A1"), device("A1", user_id=9, role="supervisor", device_id="desk")
            create = mutation("create")
            officer.push(create)
            assert officer.statuses(mutation("delete", create["record_id"], base=1)) == ["forbidden"]
            assert lead.statuses(mutation("delete", create["record_id"], base=1)) == ["applied"]
    finally:
        ENTITIES.register(NOTE)


def test_append_only_rejects_update_and_delete(session, phone):
    create = mutation("create", entity="entry", fields={"area": "A1", "text": "handover done"})
    phone.push(create)
    results = phone.push(mutation("update", create["record_id"], {"text": "edited"}, base=1, entity="entry"),
                         mutation("delete", create["record_id"], base=1, entity="entry"))
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert results[0]["errors"] == {"op": [messages.APPEND_ONLY]}
    assert "correction is a new record" in results[0]["message"]
    session.expire_all()
    assert session.get(Entry, create["record_id"]).text == "handover done"


def test_create_of_an_existing_id(session, phone):
    create = mutation("create")
    phone.push(create)
    same = {**create, "mutation_id": mutation()["mutation_id"]}
    different = {**create, "mutation_id": mutation()["mutation_id"], "fields": {"area": "A1", "text": "other"}}
    results = phone.push(same, different)
    assert [r["status"] for r in results] == ["duplicate", "conflict"]
    assert results[0]["message"] == messages.ALREADY_EXISTS_SAME
    conflict = session.get(Conflict, results[1]["conflict_id"])
    assert (conflict.reason, conflict.fields_in_conflict) == (messages.CONFLICT_EXISTS, ["text"])
    assert conflict.device_fields == {"area": "A1", "text": "other"}
    assert note(session, create["record_id"]).text == "lobby light out"


def test_device_is_recorded_with_clock_skew(session, phone):
    sent = datetime.now(UTC) - timedelta(minutes=10)
    response = phone.push_raw(envelope(mutation("create"), sent_at=sent.isoformat()))
    assert 595 <= response["clock_skew_seconds"] <= 605 and response["clock_warning"] is True
    device = session.get(Device, "phone-1")
    assert (device.user_id, device.last_clock_skew_seconds) == (1, response["clock_skew_seconds"])

    ahead = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    response = phone.push_raw(envelope(mutation("create", observed_at=ahead)))
    assert -3605 <= response["clock_skew_seconds"] <= -3595
    response = phone.push_raw(envelope(mutation("create")))  # an old observation tells nothing
    assert (response["clock_skew_seconds"], response["clock_warning"]) == (None, False)
    session.expire_all()
    assert session.get(Device, "phone-1").last_clock_skew_seconds < -3500


def test_empty_batch_is_fine(session, phone):
    response = phone.push_raw(envelope())
    assert response["results"] == [] and "server_time" in response


def test_forbidden_and_rejected_mutations_never_sink_their_valid_siblings(session, device):
    officer = device("A1", "A2", write=["A1"])
    first = mutation("create")
    results = officer.push(
        first,
        mutation("create", fields={"area": "A2", "text": "not mine"}),
        mutation("update", first["record_id"], {"priority": 99}, base=1),
        mutation("update", first["record_id"], {"area": "A2"}, base=1),
        mutation("update", first["record_id"], {"text": "second thoughts"}, base=1),
        mutation("create", entity="entry", fields={"area": "A1", "text": "handover"}),
    )
    assert [r["status"] for r in results] == ["applied", "forbidden", "rejected", "forbidden", "applied", "applied"]
    saved = note(session, first["record_id"])
    assert (saved.text, saved.area, saved.priority, saved.version) == ("second thoughts", "A1", 0, 2)
    assert count(session, Note) == 1 and count(session, Entry) == 1
    assert session.scalars(select(Change.version).where(Change.entity == "note").order_by(Change.seq)).all() == [1, 2]

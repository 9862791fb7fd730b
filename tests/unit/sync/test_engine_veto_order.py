"""A batch answers exactly as its parts would, applied one after the other — also when a check hook
vetoes a mutation that a later mutation of the same batch builds on (the record it created or the
values it set are then not there for the later one)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.orm import Session

from sync.models import Conflict
from tests.unit.sync.synckit import Client, make_actor, mutation, wipe

RECORD = "11111111-1111-4111-8111-111111111111"


def loan(key: str, record_id: str | None = None, area: str = "A1") -> dict:
    return mutation("create", record_id, {"area": area, "key_code": key}, entity="loan")


def loan_update(fields: dict, base: int = 1, record_id: str = RECORD) -> dict:
    return mutation("update", record_id, fields, base=base, entity="loan")


def answers(bind, *pushes: list[dict]) -> list[tuple]:
    """(status, message, errors) of every mutation, the pushes sent in turn to an empty store."""
    wipe(bind)
    with Session(bind) as session:
        phone = Client(session, make_actor("A1"), "phone-1")
        results = [r for chunk in pushes for r in phone.push(*chunk)]
        conflicts = sorted((c.mutation_id, c.scope, c.reason) for c in session.query(Conflict))
    return [(r["status"], r.get("message"), r.get("errors")) for r in results], conflicts


def one_by_one(*batch: dict) -> list[list[dict]]:
    return [[m] for m in batch]


SHAPES = {
    # a create vetoed as a conflict, then an update of that record vetoed too (with the created
    # values): the update alone finds no record. This raised KeyError in the conflict's scope.
    "update of a vetoed create, itself vetoed": lambda: [
        loan("K1"), loan("K3"), loan("K1", RECORD), loan_update({"key_code": "K3"})],
    # a create rejected by the check hook, then an update of it: "No such record.", not the hook's
    # verdict on values that were never stored ("No such key.").
    "update of a rejected create": lambda: [loan("NOPE", RECORD), loan_update({"returned": True})],
    "second create of a rejected create": lambda: [loan("NOPE", RECORD), loan("K2", RECORD)],
    "delete of a vetoed create": lambda: [loan("K1"), loan("K1", RECORD),
                                          mutation("delete", RECORD, {}, base=1, entity="loan")],
    # a vetoed update, then another update building on it
    "update after a vetoed update": lambda: [loan("K1"), loan("K2", RECORD), loan_update({"key_code": "K1"}),
                                             loan_update({"returned": True}, base=2)],
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_batch_answers_as_its_mutations_sent_one_by_one(db_engine, shape):
    batch = SHAPES[shape]()
    assert answers(db_engine, batch) == answers(db_engine, *one_by_one(*batch))


def test_an_update_of_a_vetoed_create_finds_no_record(db_engine):
    [(created, _, errors), (updated, message, _)], _ = answers(
        db_engine, [loan("NOPE", RECORD), loan_update({"returned": True})])
    assert (created, errors) == ("rejected", {"key_code": ["No such key."]})
    assert (updated, message) == ("rejected", "No such record.")


def test_a_vetoed_update_of_a_vetoed_create_is_answered_not_raised(db_engine):
    results, conflicts = answers(db_engine, [loan("K1"), loan("K3"), loan("K1", RECORD),
                                             loan_update({"key_code": "K3"})])
    assert [status for status, _, _ in results] == ["applied", "applied", "conflict", "rejected"]
    assert [scope for _, scope, _ in conflicts] == ["area:A1"]


def test_a_veto_stays_while_the_mutation_proposes_the_same(db_engine):
    """Many vetoes in one batch settle in few rounds (each holds while its proposal does)."""
    batch = [loan("K1"), *[loan("K1", str(uuid.uuid4())) for _ in range(20)], loan("NOPE")]
    results, conflicts = answers(db_engine, batch)
    assert [status for status, _, _ in results] == ["applied", *["conflict"] * 20, "rejected"]
    assert len(conflicts) == 20

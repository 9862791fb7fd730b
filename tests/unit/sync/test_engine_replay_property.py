"""Property: any batch, replayed any number of times and split at any points, leaves the same store
(records, versions, mutation log, change log, conflicts) as applying it once.

Batches mix creates, updates and deletes of a few records of three kinds (a plain note, an
append-only entry, a loan with a domain invariant), valid and not: bad fields, unknown fields, a
base version ahead or behind, an area the officer may only read, a record not there yet, the same
mutation twice. Each example starts from an empty store on the test's database.

CI runs the same 40 examples every time (derandomized: a red CI is never chance); a long run draws fresh
ones, say how many: PATROLBOOK_PROPERTY_EXAMPLES=2000 python -m pytest tests/unit/sync/test_engine_replay_property.py
"""

from __future__ import annotations

import os
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.models import AppliedMutation, Change, Conflict
from tests.unit.sync.synckit import OBSERVED, SPECS, Client, make_actor, wipe

NS = uuid.UUID("6f1c3a52-0b7e-4c1e-9a55-3d0c4f3c2b10")
RECORDS = {"note": 3, "entry": 2, "loan": 3}
FIELDS = {
    "note": {"area": ["A1", "A2", ""], "text": ["a", "b", "x" * 201], "priority": [0, 3, 12], "colour": ["red"]},
    "entry": {"area": ["A1", "A2"], "text": ["a", "b"]},
    "loan": {"area": ["A1", "A2"], "key_code": ["K1", "K2", "NOPE"], "returned": [False, True]},
}
REQUIRED = {"note": ("area", "text"), "entry": ("area", "text"), "loan": ("area", "key_code")}
REFUSED = ("rejected", "forbidden")


def record_id(entity: str, n: int) -> str:
    return str(uuid.uuid5(NS, f"{entity}-{n}"))


@st.composite
def mutations(draw) -> dict:
    entity = draw(st.sampled_from(sorted(RECORDS)))
    op = draw(st.sampled_from(["create", "create", "update", "delete"]))
    names = draw(st.sets(st.sampled_from(sorted(FIELDS[entity])), max_size=3))
    if op == "create" and draw(st.booleans()):  # mostly complete creates
        names |= set(REQUIRED[entity])
    fields = {name: draw(st.sampled_from(FIELDS[entity][name])) for name in sorted(names)}
    if op == "delete" and draw(st.integers(0, 4)) > 0:  # mostly well-formed deletes
        fields = {}
    base = None if op == "create" and draw(st.booleans()) else draw(st.integers(1, 4))
    return {"mutation_id": None, "entity": entity, "record_id": record_id(entity, draw(st.integers(0, RECORDS[entity] - 1))),
            "op": op, "base_version": base, "fields": fields, "observed_at": OBSERVED}


@st.composite
def schedules(draw) -> tuple[list[dict], list[list[dict]]]:
    """(the batch, the pushes that deliver it: split into chunks, each sent one or more times,
    then some chunks replayed again in any order)."""
    batch = draw(st.lists(mutations(), min_size=1, max_size=10))
    for i, m in enumerate(batch):
        m["mutation_id"] = str(uuid.uuid5(NS, f"mutation-{i}"))
    for i in sorted(draw(st.sets(st.integers(0, len(batch) - 1), max_size=2)), reverse=True):
        batch.insert(draw(st.integers(i, len(batch))), dict(batch[i]))  # the same mutation again
    cuts = sorted(draw(st.sets(st.integers(1, len(batch) - 1), max_size=3)) if len(batch) > 1 else [])
    chunks = [batch[a:b] for a, b in zip([0, *cuts], [*cuts, len(batch)], strict=True)]
    pushes = [chunk for chunk in chunks for _ in range(draw(st.integers(1, 2)))]
    pushes += draw(st.lists(st.sampled_from([*chunks, batch]), max_size=2))
    return batch, pushes


def snapshot(session: Session) -> dict:
    """The store, minus what a clock or a random id makes differ between two runs."""
    session.expire_all()
    records = {}
    for spec in SPECS:
        for row in session.execute(select(spec.table)).mappings():
            fields = {name: row[name] for name in spec.field_names}
            records[(spec.name, row["id"])] = (row["version"], row["deleted_at"] is not None, fields)
    log = {m.mutation_id: (m.device_id, m.entity, m.record_id, m.op, m.status, _without_ids(m.result))
           for m in session.scalars(select(AppliedMutation))}
    changes = [(c.entity, c.record_id, c.version, c.op, c.scope, c.changed_fields, c.device_id, c.user_id)
               for c in session.scalars(select(Change).order_by(Change.seq))]
    conflicts = sorted(
        (c.mutation_id, c.entity, c.record_id, c.op, c.base_version, c.server_version, repr(c.device_fields),
         repr(c.server_fields), tuple(c.fields_in_conflict), c.reason, c.scope, c.status)
        for c in session.scalars(select(Conflict)))
    return {"records": records, "log": log, "changes": changes, "conflicts": conflicts}


def _without_ids(result: dict) -> dict:
    return {k: v for k, v in result.items() if k != "conflict_id"}


def run(bind, pushes: list[list[dict]]) -> tuple[dict, list[list[dict]]]:
    wipe(bind)
    with Session(bind) as session:
        officer = Client(session, make_actor("A1", "A2", write=["A1"]), "phone-1")
        answers = [officer.push(*chunk) for chunk in pushes]
        return snapshot(session), answers


DEFAULT_EXAMPLES = 40
EXAMPLES = int(os.environ.get("PATROLBOOK_PROPERTY_EXAMPLES", DEFAULT_EXAMPLES))


@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=EXAMPLES == DEFAULT_EXAMPLES,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(schedule=schedules())
def test_any_batch_replayed_and_split_leaves_the_store_as_applying_it_once(db_engine, schedule):
    batch, pushes = schedule
    once, [first_answers] = run(db_engine, [batch])
    assert set(once["log"]) == {m["mutation_id"] for m in batch}  # every answer is remembered
    assert len(first_answers) == len(batch)
    delivered, answers = run(db_engine, pushes)
    assert delivered == once
    # and every answer after the first for a mutation says the same thing again
    first: dict[str, dict] = {}
    for chunk, results in zip(pushes, answers, strict=True):
        for m, result in zip(chunk, results, strict=True):
            if m["mutation_id"] not in first:
                first[m["mutation_id"]] = result
                continue
            earlier = first[m["mutation_id"]]
            if earlier["status"] in REFUSED:
                assert result == earlier
            else:
                assert result == {**earlier, "status": "duplicate", "first_status": earlier["status"]}

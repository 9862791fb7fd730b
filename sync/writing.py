"""Bulk writes for a planned batch: grouped by column set, in batch order (bulk.py: COPY on
PostgreSQL, executemany elsewhere).

Each record is written once, in its final state for the batch (created and then updated in the
same batch → one INSERT of the final row). Change rows are inserted in mutation order, so their
`seq` follows it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime

from sqlalchemy import bindparam, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .bulk import insert_rows
from .models import AppliedMutation, Change, Conflict, Device
from .planner import Key, Origin, Outcome, RecordState
from .protocol import Mutation
from .registry import EntitySpec


def write_records(session: Session, specs: Mapping[str, EntitySpec], states: Mapping[Key, RecordState]) -> None:
    inserts: dict[tuple[str, tuple[str, ...]], list[dict]] = defaultdict(list)
    updates: dict[tuple[str, tuple[str, ...]], list[dict]] = defaultdict(list)
    for (entity, _), state in states.items():
        if not state.in_db:
            inserts[(entity, tuple(state.values))].append(state.values)
        elif state.dirty:
            keys = tuple(sorted(state.dirty))
            updates[(entity, keys)].append({k: state.values[k] for k in (*keys, "id")})
    for (entity, keys), rows in inserts.items():
        spec = specs[entity]
        insert_rows(session, spec.table, _columns(spec, keys, rows))
    for (entity, keys), rows in updates.items():
        spec = specs[entity]
        id_column = spec.table.c[spec.columns["id"]]
        for row in rows:
            row["_pk"] = row.pop("id")
        statement = update(spec.table).where(id_column == bindparam("_pk"))
        session.execute(statement, _columns(spec, (*keys, "_pk"), rows))


def _columns(spec: EntitySpec, keys: Iterable[str], rows: list[dict]) -> list[dict]:
    """Rows keyed by column key (usually the attribute name already)."""
    names = {k: spec.columns.get(k, k) for k in keys}
    if all(k == c for k, c in names.items()):
        return rows
    return [{names[k]: v for k, v in row.items()} for row in rows]


def write_log(session: Session, mutations: list[Mutation], outcomes: list[Outcome], origin: Origin,
              now: datetime, logged: Collection[str] = ()) -> None:
    """The mutation log (one row per mutation id: the last answer judged in this batch; a row
    already `logged` — a refusal judged again — is replaced), Change rows and Conflicts."""
    answers, changes, conflicts = {}, [], []
    for m, outcome in zip(mutations, outcomes, strict=True):
        if outcome.record:
            answers[m.mutation_id] = {
                "mutation_id": m.mutation_id, "device_id": origin.device_id, "user_id": origin.user_id,
                "entity": m.entity, "record_id": m.record_id, "op": m.op, "status": outcome.result["status"],
                "result": outcome.result, "fingerprint": outcome.fingerprint, "received_at": now,
            }
        changes.extend(outcome.changes)
        if outcome.conflict is not None:
            conflicts.append(outcome.conflict)
    again = [answers.pop(mutation_id) for mutation_id in logged if mutation_id in answers]
    for model, rows in ((AppliedMutation, list(answers.values())), (Change, changes), (Conflict, conflicts)):
        insert_rows(session, model.__table__, rows)
    if again:
        table = AppliedMutation.__table__
        for row in again:
            row["_id"] = row.pop("mutation_id")
        statement = update(table).where(table.c.mutation_id == bindparam("_id"))
        session.execute(statement, again)


def touch_device(session: Session, device_id: str, user_id: int, now: datetime, skew: int | None) -> None:
    """Record when a device last pushed (and its clock skew, when measured): one upsert."""
    values = {"user_id": user_id, "last_seen": now}
    if skew is not None:
        values["last_clock_skew_seconds"] = skew
    upsert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = upsert(Device.__table__).values(id=device_id, first_seen=now, **values)
    session.execute(statement.on_conflict_do_update(index_elements=["id"], set_=values))

"""Apply one batch of mutations in one transaction: lock, read in bulk, plan in memory, write in
bulk. The caller commits (engine.py).

The batch runs inside a savepoint. If the database refuses it for a deterministic reason (a
constraint, a value it cannot store: IntegrityError, DataError, a value a driver cannot bind), the
savepoint is rolled back and the mutations are applied again one at a time, each in its own
savepoint: the one the database refuses is answered `rejected` (INTERNAL_ERROR, logged with the
traceback) and its siblings apply. Transient errors (OperationalError: a lock, a deadlock, a lost
connection) are not a mutation's fault: they propagate, and the client retries the batch.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, StatementError
from sqlalchemy.orm import Session

from . import attachments, loading, messages
from .actor import Actor
from .errors import BatchError, DerivedWorkError
from .locking import lock_writers
from .messages import UNKNOWN_ENTITY
from .planner import SERVER_DEVICE, Inputs, Origin, Outcome, Planner, Veto
from .protocol import Mutation, fingerprint
from .registry import EntitySpec, Registry
from .store import new_uuid, utcnow
from .writing import write_log, write_records

log = logging.getLogger(__name__)


@dataclass
class Applied:
    outcomes: list[Outcome]
    now: datetime


def specs_for(entities: Registry, mutations: Sequence[Mutation]) -> dict[str, EntitySpec]:
    """The entity specs a batch needs; an unknown entity refuses the whole batch."""
    specs, unknown = {}, {}
    for i, m in enumerate(mutations):
        if m.entity not in specs:
            spec = entities.find(m.entity)
            if spec is None:
                unknown[f"mutations.{i}.entity"] = [UNKNOWN_ENTITY]
                continue
            specs[m.entity] = spec
    if unknown:
        raise BatchError(unknown)
    return specs


def apply(session: Session, actor: Actor, origin: Origin, mutations: list[Mutation],
          entities: Registry, *, revive: bool = False) -> Applied:
    """Apply a batch, and the work its entities derive from it, in the caller's transaction."""
    lock_writers(session)  # before the first savepoint: SQLite's BEGIN IMMEDIATE opens the transaction
    now = utcnow()
    specs = specs_for(entities, mutations)
    try:
        with session.begin_nested():
            return _apply(session, actor, origin, mutations, entities, specs, now, revive)
    except (StatementError, ArithmeticError, ValueError) as error:
        if transient(error):
            raise
        if len(mutations) == 1:
            return Applied([_refused_by_database(session, origin, mutations[0], now, error)], now)
    outcomes = []
    for m in mutations:
        try:
            with session.begin_nested():
                outcomes.append(_apply(session, actor, origin, [m], entities, specs, now, revive).outcomes[0])
        except (StatementError, ArithmeticError, ValueError) as error:
            if transient(error):
                raise
            outcomes.append(_refused_by_database(session, origin, m, now, error))
    return Applied(outcomes, now)


def transient(error: BaseException) -> bool:
    """A lock, a deadlock, a lost connection: try the batch again later (the client does)."""
    return isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated)


def _apply(session: Session, actor: Actor, origin: Origin, mutations: list[Mutation], entities: Registry,
           specs: dict[str, EntitySpec], now: datetime, revive: bool, depth: int = 0) -> Applied:
    inputs = _inputs(session, mutations, specs, now)
    if origin.device_id != SERVER_DEVICE:  # online edits and derived work attach what the server holds
        inputs.validated = {**inputs.validated, **attachments.refuse_foreign(
            session, entities, actor, mutations, specs, inputs.validated)}
    planner = _plan(session, actor, origin, now, inputs, mutations, revive)
    write_records(session, specs, planner.states)
    write_log(session, mutations, planner.outcomes, origin, now, logged=inputs.known.keys())
    _derive(session, actor, entities, specs, planner, now, depth)
    return Applied(planner.outcomes, now)


MAX_DERIVE_DEPTH = 4  # a round derives findings; nothing derives deeper than a few steps


class Derived:
    """The server-side mutations after-apply hooks ask for, applied together after the hooks ran."""

    def __init__(self) -> None:
        self.mutations: list[Mutation] = []

    def create(self, entity: str, record_id: str, fields: Mapping[str, Any]) -> None:
        self._add(entity, record_id, "create", fields, None)

    def update(self, entity: str, record_id: str, fields: Mapping[str, Any], base_version: int) -> None:
        self._add(entity, record_id, "update", fields, base_version)

    def _add(self, entity: str, record_id: str, op: str, fields: Mapping[str, Any], base: int | None) -> None:
        self.mutations.append(Mutation(new_uuid(), entity, str(record_id), op, base, dict(fields), utcnow()))


def _derive(session: Session, actor: Actor, entities: Registry, specs: dict[str, EntitySpec], planner: Planner,
            now: datetime, depth: int) -> None:
    """Run the after-apply hooks of what this batch applied, then apply what they derived, all in
    this transaction. A hook that fails is not the device's fault: DerivedWorkError, nothing is
    stored, and the device sends the batch again later."""
    derived = Derived()
    for entity, proposed in planner.proposals.items():
        hook = specs[entity].after_apply
        if hook is None or not proposed:
            continue
        try:
            hook(session, actor, [p for _, p in proposed], derived)
            session.flush()
        except (StatementError, OperationalError):
            raise
        except Exception as error:
            raise DerivedWorkError(entity) from error
    if not derived.mutations:
        return
    if depth >= MAX_DERIVE_DEPTH:
        raise DerivedWorkError("derivation too deep")
    origin = Origin(SERVER_DEVICE, actor.user_id)
    derived_specs = specs_for(entities, derived.mutations)
    outcomes = _apply(session, actor, origin, derived.mutations, entities, derived_specs, now, False, depth + 1).outcomes
    for m, outcome in zip(derived.mutations, outcomes, strict=True):
        if outcome.result["status"] not in ("applied", "merged", "duplicate"):
            log.warning("sync: derived %s %s %s answered %s: %s", m.entity, m.op, m.record_id,
                        outcome.result["status"], outcome.result.get("message"))


def _refused_by_database(session: Session, origin: Origin, m: Mutation, now: datetime, error: BaseException) -> Outcome:
    """The database refused this mutation alone: `rejected`, remembered like any refusal (a replay
    answers it again; a corrected resend under a new id is judged afresh), logged for the admins."""
    log.error("sync: the database refused mutation %s (%s %s %s); answered rejected",
              m.mutation_id, m.entity, m.op, m.record_id, exc_info=error)
    result = {"mutation_id": m.mutation_id, "status": "rejected", "errors": {"_schema": [messages.INTERNAL_ERROR]},
              "message": messages.INTERNAL_ERROR}
    outcome = Outcome(result, record=True, fingerprint=fingerprint(m))
    try:
        with session.begin_nested():
            known, _ = loading.known_results(session, [m.mutation_id])
            write_log(session, [m], [outcome], origin, now, logged=known.keys())
    except (StatementError, ArithmeticError, ValueError) as again:
        if transient(again):
            raise
        log.error("sync: could not log the refusal of mutation %s", m.mutation_id, exc_info=again)
    return outcome


def _inputs(session: Session, mutations: list[Mutation], specs: dict[str, EntitySpec], now: datetime) -> Inputs:
    known, prints = loading.known_results(session, (m.mutation_id for m in mutations))
    # a refusal may be judged again (a corrected resend under the same id): read it like a new one
    fresh = [i for i, m in enumerate(mutations) if m.mutation_id not in known or m.mutation_id in prints]
    validated = loading.validate(specs, mutations, fresh, now)
    ids: dict[str, set[str]] = defaultdict(set)
    for i in fresh:
        ids[mutations[i].entity].add(mutations[i].record_id)
    records = {}
    for entity, record_ids in ids.items():
        records.update(loading.load_records(session, specs[entity], record_ids))
    history = {}
    for entity, since in _stale_bases(mutations, fresh, records).items():
        history.update(loading.load_history(session, entity, since))
    return Inputs(specs, known, prints, validated, records, history)


def _stale_bases(mutations: list[Mutation], fresh: list[int], records: dict) -> dict[str, dict[str, int]]:
    """entity → {record_id: lowest base_version} for updates/deletes based on an older version."""
    stale: dict[str, dict[str, int]] = defaultdict(dict)
    for i in fresh:
        m = mutations[i]
        stored = records.get((m.entity, m.record_id))
        if m.op != "create" and m.base_version is not None and stored and stored["version"] > m.base_version:
            bases = stale[m.entity]
            bases[m.record_id] = min(m.base_version, bases.get(m.record_id, m.base_version))
    return stale


def _plan(session: Session, actor: Actor, origin: Origin, now: datetime, inputs: Inputs,
          mutations: list[Mutation], revive: bool) -> Planner:
    """Plan, then ask each entity's `check` hook about what would be applied; a vetoed mutation
    becomes a conflict (or rejected) and the batch is planned again without it. A hook judges in
    batch order, so each round settles at least one more mutation: at most len(mutations) + 1 rounds."""
    vetoes: dict[int, Veto] = {}
    for _ in range(len(mutations) + 2):
        planner = Planner(actor, origin, now, inputs, vetoes, revive)
        planner.plan(mutations)
        fresh_vetoes = _check(session, actor, inputs.specs, planner)
        if not fresh_vetoes:
            return planner
        vetoes = {**vetoes, **fresh_vetoes}
    raise RuntimeError("the entities' check hooks do not settle: a verdict must not depend on later proposals")


def _check(session: Session, actor: Actor, specs: dict[str, EntitySpec], planner: Planner) -> dict[int, Veto]:
    """Verdicts on this round's proposals (a vetoed mutation proposes nothing again unless what it
    proposes changed: then its new proposal is judged afresh)."""
    found = {}
    for entity, proposed in planner.proposals.items():
        check = specs[entity].check
        if check is None:
            continue
        verdicts = check(session, actor, [p for _, p in proposed]) or {}
        for n, verdict in verdicts.items():
            index, proposal = proposed[n]
            found[index] = Veto(*_verdict(verdict), proposal)
    return found


def _verdict(verdict: Any) -> tuple[str, Any]:
    kind, detail = verdict
    if kind not in ("conflict", "rejected"):
        raise ValueError(f"a check hook answered {kind!r}; expected 'conflict' or 'rejected'")
    return kind, detail

"""The engine's public face: push, pull, online edits and conflict resolution.

Every function here owns its transaction: it commits at the end and rolls back on any error, so
the web app calls it and answers. Push retries a batch once after an IntegrityError (a concurrent
replay of the same mutations): the retry then reads the first push's results as duplicates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import batch, conflicts, planner, reader
from .actor import Actor
from .planner import Origin
from .protocol import CLOCK_SKEW_WARN_SECONDS, MAX_BATCH, OPS, Mutation, PushBatch, parse_push
from .registry import Registry
from .store import new_uuid, utcnow
from .writing import touch_device

SERVER_DEVICE = planner.SERVER_DEVICE
MAX_SKEW_SECONDS = 2**31 - 1
T = TypeVar("T")


def push(session: Session, actor: Actor, entities: Registry, payload: Any, *, max_batch: int = MAX_BATCH,
         before_commit: Callable[[], None] | None = None) -> dict[str, Any]:
    """Apply a push envelope; per-mutation results in order. BatchError (nothing stored) when the
    envelope is malformed, too long, or names an unknown entity. The work the entities derive from
    it (after_apply) commits with it. `before_commit` runs once the batch and its derived work are
    written, inside the transaction (fault-injection tests kill the server there)."""
    parsed = parse_push(payload, max_batch)
    batch.specs_for(entities, parsed.mutations)  # an unknown entity refuses the batch before any lock
    origin = Origin(parsed.device_id, actor.user_id)

    def work() -> dict[str, Any]:
        applied = batch.apply(session, actor, origin, parsed.mutations, entities)
        skew = clock_skew(applied.now, parsed)
        touch_device(session, parsed.device_id, actor.user_id, applied.now, skew)
        if before_commit is not None:
            before_commit()
        return {
            "results": [o.result for o in applied.outcomes],
            "server_time": applied.now.isoformat(),
            "clock_skew_seconds": skew,
            "clock_warning": skew is not None and abs(skew) > CLOCK_SKEW_WARN_SECONDS,
        }

    return _in_transaction(session, work, retries=1)


def pull(session: Session, actor: Actor, entities: Registry, cursor: int, limit: int = 500) -> dict[str, Any]:
    """Changes in the actor's read scopes after `cursor`: {"changes", "cursor", "more", "server_time"}."""
    return reader.pull(session, actor, entities, cursor, limit)


def apply_server_change(session: Session, actor: Actor, entities: Registry, entity: str, record_id: str | None,
                        op: str, fields: dict[str, Any] | None, base_version: int | None, *,
                        observed_at: datetime | None = None) -> dict[str, Any]:
    """An online edit (a web form): the same rules and change log as a push, as device "server".
    `fields` are wire values (what the schema loads). Returns the mutation's result; a create
    without record_id gets a new id (in the result as `record_id`)."""
    if op not in OPS:
        raise ValueError(f"op must be one of {OPS}, not {op!r}")
    record_id = record_id or new_uuid()
    mutation = Mutation(new_uuid(), entity, str(record_id), op, base_version, dict(fields or {}),
                        observed_at or utcnow())
    batch.specs_for(entities, [mutation])
    origin = Origin(SERVER_DEVICE, actor.user_id)

    def work() -> dict[str, Any]:
        outcome = batch.apply(session, actor, origin, [mutation], entities).outcomes[0]
        return {**outcome.result, "record_id": mutation.record_id}

    return _in_transaction(session, work, retries=1)


def resolve_conflict(session: Session, actor: Actor, entities: Registry, conflict_id: str, choice: str,
                     fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """Resolve an open conflict: "device" applies the device's change as a new version, "server"
    keeps the record as it is, "edit" applies `fields`. Raises ResolveError when refused."""
    return _in_transaction(session, lambda: conflicts.resolve(session, actor, entities, conflict_id, choice, fields))


def clock_skew(now: datetime, parsed: PushBatch) -> int | None:
    """Server minus device clock, in seconds, when the push lets us tell. Without `sent_at` only a
    device clock running ahead shows (an observation "from the future"); one running behind looks
    the same as work done offline a while ago."""
    if parsed.sent_at is not None:
        return _bounded(round((now - parsed.sent_at).total_seconds()))
    newest = max((m.observed_at for m in parsed.mutations), default=None)
    if newest is not None and newest > now:
        return _bounded(round((now - newest).total_seconds()))
    return None


def _bounded(seconds: int) -> int:
    """A clock years off still gets its warning, in a number the devices table can store."""
    return max(-MAX_SKEW_SECONDS, min(MAX_SKEW_SECONDS, seconds))


def _in_transaction(session: Session, work: Callable[[], T], retries: int = 0) -> T:
    for attempt in range(retries + 1):
        try:
            result = work()
            session.commit()
            return result
        except IntegrityError:
            session.rollback()
            if attempt == retries:
                raise
        except BaseException:
            session.rollback()
            raise
    raise AssertionError("unreachable")


__all__ = ["push", "pull", "apply_server_change", "resolve_conflict", "SERVER_DEVICE"]

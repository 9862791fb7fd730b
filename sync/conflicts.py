"""Resolving a conflict from the inbox: keep the device's change, keep the server's, or an edit.

A kept change goes through the same path as a push (batch.apply, device "server"), so it gets a
new version, a Change row that devices pull, and the entity's rules and checks.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import batch, loading, messages
from .actor import Actor
from .errors import ProtocolError, ResolveError
from .locking import lock_writers
from .models import Conflict
from .planner import SERVER_DEVICE, Origin, Outcome
from .protocol import CHOICES, Mutation
from .registry import Registry
from .store import new_uuid, utcnow

_REFUSALS = {
    "rejected": ("invalid", messages.RESOLUTION_INVALID),
    "forbidden": ("forbidden", messages.CONFLICT_FORBIDDEN),
}


def resolve(session: Session, actor: Actor, entities: Registry, conflict_id: str, choice: str,
            fields: dict[str, Any] | None = None) -> dict[str, Any]:
    if choice not in CHOICES:
        raise ProtocolError({"choice": [messages.BAD_CHOICE]})
    if choice == "edit" and not isinstance(fields, dict):
        raise ProtocolError({"fields": [messages.FIELDS_REQUIRED]})
    lock_writers(session)
    conflict = _open_conflict(session, actor, conflict_id)
    kept = None if choice == "server" else (conflict.device_fields if choice == "device" else fields)
    version = None
    if kept is not None:
        delete = choice == "device" and conflict.op == "delete"
        version = _apply(session, actor, entities, conflict, kept, delete).result["version"]
    now = utcnow()
    claimed = session.execute(
        update(Conflict)
        .where(Conflict.id == conflict.id, Conflict.status == "open")
        .values(status="resolved", resolution=choice, resolved_fields=kept, resolved_by=actor.user_id, resolved_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise ResolveError("already_resolved", messages.ALREADY_RESOLVED)
    return {"conflict_id": conflict.id, "status": "resolved", "resolution": choice, "version": version}


def _open_conflict(session: Session, actor: Actor, conflict_id: str) -> Conflict:
    conflict = session.scalars(
        select(Conflict).where(Conflict.id == str(conflict_id)).execution_options(populate_existing=True)
    ).one_or_none()
    if conflict is None:
        raise ResolveError("not_found", messages.CONFLICT_NOT_FOUND)
    if conflict.scope not in actor.write_scopes:
        raise ResolveError("forbidden", messages.CONFLICT_FORBIDDEN)
    if conflict.status != "open":
        raise ResolveError("already_resolved", messages.ALREADY_RESOLVED)
    return conflict


def _apply(session: Session, actor: Actor, entities: Registry, conflict: Conflict, fields: dict,
           delete: bool) -> Outcome:
    """Apply the kept fields on top of the record as it is now (base = its current version)."""
    spec = entities.get(conflict.entity)
    stored = loading.load_records(session, spec, [conflict.record_id]).get((spec.name, conflict.record_id))
    op = "delete" if delete else ("update" if stored else "create")
    base = stored["version"] if stored else None
    mutation = Mutation(new_uuid(), spec.name, conflict.record_id, op, base, {} if delete else dict(fields), utcnow())
    origin = Origin(SERVER_DEVICE, actor.user_id)
    outcome = batch.apply(session, actor, origin, [mutation], entities, revive=True).outcomes[0]
    status = outcome.result["status"]
    if status in ("applied", "merged"):
        return outcome
    code, message = _REFUSALS.get(status, ("still_conflicts", messages.STILL_CONFLICTS))
    raise ResolveError(code, message, outcome.result.get("errors"))

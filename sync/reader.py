"""Pull: the changes a reader may see since their cursor, as the records are now."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import messages
from .actor import Actor
from .bulk import one_of
from .errors import ProtocolError
from .locking import plan_per_query
from .models import Change
from .protocol import MAX_CURSOR, MAX_PULL
from .registry import EntitySpec, Registry
from .store import utcnow


def pull(session: Session, actor: Actor, entities: Registry, cursor: int, limit: int = 500) -> dict[str, Any]:
    _check_args(cursor, limit)
    limit = min(limit, MAX_PULL)
    plan_per_query(session)
    rows = _page(session, actor, cursor, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    latest: dict[tuple[str, str], int] = {}
    for seq, entity, record_id in rows:
        latest.pop((entity, record_id), None)  # keep only the record's newest entry, at its place
        latest[(entity, record_id)] = seq
    return {
        "changes": _changes(session, actor, entities, latest),
        "cursor": rows[-1][0] if rows else cursor,
        "more": more,
        "server_time": utcnow().isoformat(),
    }


def _check_args(cursor: Any, limit: Any) -> None:
    errors = {}
    if type(cursor) is not int or not 0 <= cursor <= MAX_CURSOR:
        errors["cursor"] = [messages.BAD_CURSOR]
    if type(limit) is not int or limit < 1:
        errors["limit"] = [messages.BAD_LIMIT]
    if errors:
        raise ProtocolError(errors)


def _page(session: Session, actor: Actor, cursor: int, limit: int) -> list[tuple[int, str, str]]:
    if not actor.read_scopes:
        return []
    c = Change.__table__.c
    query = (
        select(c.seq, c.entity, c.record_id)
        .where(c.seq > cursor, c.scope.in_(sorted(actor.read_scopes)))
        .order_by(c.seq)
        .limit(limit)
    )
    return [tuple(row) for row in session.execute(query)]


def _changes(session: Session, actor: Actor, entities: Registry, latest: dict[tuple[str, str], int]) -> list[dict[str, Any]]:
    by_entity: dict[str, list[str]] = defaultdict(list)
    for entity, record_id in latest:
        by_entity[entity].append(record_id)
    shown: dict[tuple[str, str], dict[str, Any]] = {}
    for entity, ids in by_entity.items():
        spec = entities.find(entity)
        if spec is not None:  # an entity no longer registered has nothing to show
            shown.update(_current(session, actor, spec, ids))
    return [dict(shown[key], seq=seq) for key, seq in latest.items() if key in shown]


def _current(session: Session, actor: Actor, spec: EntitySpec, ids: list[str]) -> dict:
    """Each record as it is now: an upsert if the reader may see it, else a delete (a tombstone, or
    a record that moved to a scope the reader does not have)."""
    model = spec.model
    records = session.scalars(select(model).where(one_of(session, model.id, ids))).all()
    visible = [r for r in records if r.deleted_at is None and spec.scope_of(_values(spec, r)) in actor.read_scopes]
    if spec.serialize is not None:
        dumped = [spec.serialize(r) for r in visible]
    else:
        dumped = spec.default_serialize(visible)
    out = {}
    for record in records:
        out[(spec.name, record.id)] = {"entity": spec.name, "id": record.id, "op": "delete", "version": record.version}
    for record, fields in zip(visible, dumped, strict=True):
        out[(spec.name, record.id)].update(op="upsert", fields=fields)
    return out


def _values(spec: EntitySpec, record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in spec.columns}

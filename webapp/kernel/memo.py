"""Answers several parts of one page ask for — the assignment table in force, an estate's policies, who
holds each area — read once per database session (one request) instead of once per section.

An answer lives in the session's `info` and is forgotten as soon as the session writes anything (a
flush, an INSERT/UPDATE/DELETE statement) or ends its transaction, so a request never reads its own
stale answer. A dict answer is handed out as a copy: a caller may change it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import event, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from ..extensions import db

KEY = "patrolbook_memo"
T = TypeVar("T")


def per_session(fn: Callable[..., T]) -> Callable[..., T]:
    """Remember fn(*args) for the rest of the session's unchanged state (arguments: hashable values, or
    collections of ids, taken as sets)."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def remembered(*args):
        memo = db.session.info.setdefault(KEY, {})
        key = (name, tuple(_hashable(a) for a in args))
        if key not in memo:
            memo[key] = fn(*args)
        found = memo[key]
        return dict(found) if isinstance(found, dict) else found

    return remembered


def by_id(model, ids) -> dict:
    """{id: record} of a model for these ids (None ids are left out): those the session holds already,
    the others in one query."""
    found, missing = {}, []
    for i in set(ids) - {None}:
        held = db.session.identity_map.get(identity_key(model, i))
        if held is None:
            missing.append(i)
        else:
            found[i] = held
    if missing:
        found.update({r.id: r for r in db.session.scalars(select(model).where(model.id.in_(missing)))})
    return found


def _hashable(value):
    """Ids given as a list or a set are the same question whatever their order."""
    return frozenset(value) if isinstance(value, list | set | tuple) else value


def _forget(session, *args) -> None:
    session.info.pop(KEY, None)


def _forget_on_write(state) -> None:
    if not state.is_select:
        _forget(state.session)


for _name in ("after_flush", "after_commit", "after_rollback", "after_soft_rollback", "after_transaction_end"):
    event.listen(Session, _name, _forget)
event.listen(Session, "do_orm_execute", _forget_on_write)

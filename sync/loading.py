"""Bulk reads and validation for a push: one query for the mutation log, one per entity for the
records, one per entity for the history a merge needs — never a query per mutation."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import guard, messages
from .bulk import one_of
from .models import AppliedMutation, Change
from .planner import History, Invalid, Key, Origin
from .protocol import Mutation
from .registry import EntitySpec
from .store import utcnow

log = logging.getLogger(__name__)


def known_results(session: Session, mutation_ids: Iterable[str]) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The mutation log's answers to these ids, and the fingerprints of the refused ones."""
    ids = list(set(mutation_ids))
    if not ids:
        return {}, {}
    c = AppliedMutation.__table__.c
    results, prints = {}, {}
    for mutation_id, result, fingerprint in session.execute(
            select(c.mutation_id, c.result, c.fingerprint).where(one_of(session, c.mutation_id, ids))):
        results[mutation_id] = result
        if fingerprint is not None:
            prints[mutation_id] = fingerprint
    return results, prints


def validate(specs: Mapping[str, EntitySpec], mutations: Sequence[Mutation], indexes: Iterable[int],
             now: datetime | None = None) -> dict[int, dict[str, Any] | Invalid]:
    """Load every mutation's fields with its entity schema, many at a time: creates complete,
    updates partial; a delete carries no fields. Values the database could not store (guard.py) and
    an implausible `observed_at` are field errors of that mutation alone."""
    now = now or utcnow()
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    out: dict[int, dict[str, Any] | Invalid] = {}
    unstorable: dict[int, dict[str, Any]] = {}
    for i in indexes:
        m = mutations[i]
        found = guard.problems(specs[m.entity].loader, m.fields, now, specs[m.entity].column_of)
        if (problem := guard.datetime_problem(m.observed_at, now)) is not None:
            found["observed_at"] = [problem]
        if found:
            unstorable[i] = found
        if m.op == "delete":
            out[i] = Invalid({"fields": [messages.DELETE_HAS_FIELDS]}, messages.DELETE_HAS_FIELDS) if m.fields else {}
        else:
            groups[(m.entity, m.op)].append(i)
    for (entity, op), group in groups.items():
        out.update(_load_many(specs[entity], [mutations[i].fields for i in group], group, partial=op == "update"))
    for i, found in unstorable.items():  # with the schema's own errors, so the person sees them all
        schema_errors = out[i].errors if isinstance(out[i], Invalid) else {}
        out[i] = Invalid({**schema_errors, **found})
    return out


def _load_many(spec: EntitySpec, data: list[dict], indexes: list[int], partial: bool):
    try:
        loaded, errors = spec.loader.load(data, many=True, partial=partial), {}
    except ValidationError as error:
        loaded, errors = error.valid_data, error.messages
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError):
        # A schema hook that trips over an odd value: judge each alone, so one mutation pays for it.
        return {i: _load_one(spec, item, partial) for item, i in zip(data, indexes, strict=True)}
    return {
        i: Invalid(errors[n]) if n in errors else loaded[n]
        for n, i in enumerate(indexes)
    }


def _load_one(spec: EntitySpec, item: dict, partial: bool) -> dict[str, Any] | Invalid:
    try:
        return spec.loader.load(item, partial=partial)
    except ValidationError as error:
        return Invalid(error.messages)
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError):
        log.exception("sync: the %s schema failed on a mutation's fields; answered rejected", spec.name)
        return Invalid({"_schema": [messages.INTERNAL_ERROR]}, messages.INTERNAL_ERROR)


def load_records(session: Session, spec: EntitySpec, ids: Iterable[str]) -> dict[Key, dict[str, Any]]:
    ids = list(set(ids))
    if not ids:
        return {}
    table, columns = spec.table, spec.columns
    id_column = table.c[columns["id"]]
    rows = session.execute(select(table).where(one_of(session, id_column, ids))).mappings()
    return {(spec.name, row[columns["id"]]): {a: row[c] for a, c in columns.items()} for row in rows}


def load_history(session: Session, entity: str, since: Mapping[str, int]) -> dict[Key, list[History]]:
    """Committed changes of these records after the given versions (record_id → base_version)."""
    if not since:
        return {}
    c = Change.__table__.c
    query = (
        select(c.record_id, c.version, c.changed_fields, c.device_id, c.user_id)
        .where(c.entity == entity, one_of(session, c.record_id, list(since)), c.version > min(since.values()))
    )
    history: dict[Key, list[History]] = defaultdict(list)
    for record_id, version, fields, device_id, user_id in session.execute(query):
        if version > since[record_id]:
            history[(entity, record_id)].append(History(version, tuple(fields or ()), Origin(device_id, user_id)))
    return history

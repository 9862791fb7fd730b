"""A device may attach only uploads it may see: its own, or those of records in its read scopes.

Without this check, naming another area's photo id in a pushed record would put that photo in the
pusher's scope, and `GET /sync/media/<id>` would then serve it to them. An id not uploaded yet is
allowed: a record may reach the server before its photo (the photo then shows as pending).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import messages
from .actor import Actor
from .media import referencing_scopes
from .models import Media
from .planner import Invalid
from .protocol import Mutation
from .registry import EntitySpec, Registry

ID_LENGTH = 36  # media ids are canonical UUIDs


def refuse_foreign(session: Session, entities: Registry, actor: Actor, mutations: Sequence[Mutation],
                   specs: Mapping[str, EntitySpec], validated: Mapping[int, Any]) -> dict[int, Invalid]:
    """index → Invalid for each mutation that names an upload someone else made and the actor cannot see."""
    named = {i: dict(_named(specs[mutations[i].entity], values)) for i, values in validated.items()
             if not isinstance(values, Invalid)}
    candidates = {media_id for found in named.values() for media_id in found}
    if not candidates:
        return {}
    foreign = set(session.scalars(select(Media.id).where(
        Media.id.in_(sorted(candidates)), Media.uploaded_by.is_distinct_from(actor.user_id))))
    hidden = {m for m in foreign if not referencing_scopes(session, entities, m) & actor.read_scopes}
    refused = {}
    for index, found in named.items():
        fields = sorted({field for media_id, field in found.items() if media_id in hidden})
        if fields:
            refused[index] = Invalid({field: [messages.MEDIA_NOT_YOURS] for field in fields})
    return refused


def _named(spec: EntitySpec, values: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(string, field) for every id-shaped string held in the record's JSON fields."""
    for attr in spec.json_fields:
        if attr in values:
            for text in _strings(values[attr]):
                if len(text) == ID_LENGTH:
                    yield text, attr


def _strings(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)

"""The web app's handle on the sync engine, for domains and the HTTP shell alike: the app's entity
registry, engine messages in the user's language, the one no-JS write path, and online desk edits.

Domains import this module, never `webapp.syncapi` (the HTTP shell).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from sync import engine, messages
from sync.registry import EntitySpec, Registry

from ..extensions import db
from .scopes import actor_for

FORM_DEVICE = "web-form"
# What an upload refusal answers over HTTP (sync.media's codes).
MEDIA_STATUS = {"too_large": 413, "unsupported_type": 415, "type_mismatch": 415, "hash_mismatch": 422,
                "id_taken": 409, "bad_id": 400, "empty": 400}


def entities() -> Registry:
    return current_app.extensions["sync_entities"]


def register_entity(app, spec: EntitySpec) -> None:
    app.extensions["sync_entities"].register(spec)


def init_app(app) -> None:
    app.extensions["sync_entities"] = Registry()


def translated(value):
    """Engine messages are fixed English sentences; show them in the user's language. marshmallow's
    formatted messages ("Length must be between 1 and 64.") are translated by their template."""
    if isinstance(value, str):
        return translate_message(value)
    if isinstance(value, dict):
        return {k: translated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [translated(v) for v in value]
    return value


def translate_message(text: str) -> str:
    out = _(text)
    if out != text:
        return out
    found = messages.template_of(text)
    if found is None:
        return out
    template, values = found
    pattern = _(template)
    return pattern.format(**values) if pattern != template else out


def translated_outcome(outcome: dict) -> dict:
    for key in ("message", "errors"):
        if key in outcome:
            outcome[key] = translated(outcome[key])
    return outcome


def form_mutation_id(user_id: int, entity: str, record_id: str, op: str, base_version: int | None) -> str:
    """A form sent twice (a double tap, a resend after a lost answer) is the same mutation, so the
    engine answers the second `duplicate`; a corrected resend of a refused form is judged afresh."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{FORM_DEVICE}:{user_id}:{entity}:{record_id}:{op}:{base_version}"))


def push_form(entity: str, record_id: str, fields: dict[str, Any], op: str = "create",
              base_version: int | None = None) -> dict:
    """The no-JS path of every offline form: the very mutation the phone would have sent, pushed as the
    current user (a web form is a device too), with its derived work. Raises what engine.push raises."""
    mutation = {"mutation_id": form_mutation_id(current_user.id, entity, record_id, op, base_version),
                "entity": entity, "record_id": record_id, "op": op, "base_version": base_version,
                "fields": fields, "observed_at": datetime.now(UTC).isoformat()}
    actor = actor_for(current_user, FORM_DEVICE, frozenset({entity}))
    result = engine.push(db.session, actor, entities(), {"device_id": FORM_DEVICE, "mutations": [mutation]})
    return translated_outcome(result["results"][0])


def server_change(entity: str, record, fields: dict) -> dict:
    """An online desk edit (acknowledge, assign): versioned and logged so devices see it; committed."""
    return engine.apply_server_change(db.session, actor_for(current_user), entities(), entity, record.id, "update",
                                      fields, record.version)


def resolve_conflict(conflict_id: str, choice: str, fields: dict | None = None) -> dict:
    return engine.resolve_conflict(db.session, actor_for(current_user), entities(), conflict_id, choice, fields)

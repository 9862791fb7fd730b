"""The OpenAPI document of /sync, generated from the wire schemas in sync/protocol.py (apispec)."""

from __future__ import annotations

from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from sync import protocol

ERROR = {"application/json": {"schema": "ErrorBody"}}
JSON_ERRORS = {
    "400": {"description": "Malformed request or missing CSRF token.", "content": ERROR},
    "401": {"description": "Not logged in: log in, then retry.", "content": ERROR},
    "403": {"description": "Not allowed.", "content": ERROR},
}
CSRF = [{"session": [], "csrf": []}]


def _json(schema: str) -> dict:
    return {"application/json": {"schema": schema}}


PATHS: dict[str, dict] = {
    "/sync/whoami": {"get": {
        "summary": "Who is logged in, with a fresh CSRF token for the push.",
        "responses": {"200": {"description": "The user."}, **JSON_ERRORS},
    }},
    "/sync/push": {"post": {
        "summary": "Apply a batch of mutations; one result per mutation, in order. Idempotent by mutation_id.",
        "security": CSRF,
        "requestBody": {"required": True, "content": _json("PushRequest")},
        "responses": {
            "200": {"description": "Per-mutation results.", "content": _json("PushResponse")},
            "413": {"description": "More mutations than the batch limit; nothing stored.", "content": ERROR},
            "422": {"description": "Malformed envelope or unknown entity; nothing stored.", "content": ERROR},
            "503": {"description": "A transient database error (lock, deadlock, lost connection); nothing stored. "
                                   "Retry the same batch after Retry-After.", "content": ERROR},
            **JSON_ERRORS,
        },
    }},
    "/sync/pull": {"get": {
        "summary": "Changes in the user's scopes after a cursor, oldest first, with tombstones.",
        "parameters": [{"in": "query", "schema": protocol.PullQuerySchema}],
        "responses": {"200": {"description": "A page of changes; gzip when asked.",
                              "content": _json("PullResponse")}, **JSON_ERRORS},
    }},
    "/sync/media/{media_id}": {
        "parameters": [{"in": "path", "name": "media_id", "required": True,
                        "schema": {"type": "string", "format": "uuid"}}],
        "put": {
            "summary": "Upload a photo or PDF by its device-made UUID; idempotent; X-Content-SHA256 checked.",
            "security": CSRF,
            "requestBody": {"required": True, "content": {
                "image/jpeg": {}, "image/png": {}, "image/webp": {}, "application/pdf": {}}},
            "responses": {
                "201": {"description": "Stored.", "content": _json("MediaResult")},
                "200": {"description": "Already stored (same bytes).", "content": _json("MediaResult")},
                "409": {"description": "That id holds other bytes.", "content": ERROR},
                "413": {"description": "Too large.", "content": ERROR},
                "415": {"description": "Not an allowed type, or bytes not of the declared type.",
                        "content": ERROR},
                "422": {"description": "SHA-256 does not match.", "content": ERROR},
                **JSON_ERRORS,
            },
        },
        "get": {
            "summary": "The stored bytes: for the uploader, whoever may read a record that names them, the "
                       "desk roles of the uploader's estate, admins.",
            "responses": {"200": {"description": "The file."}, "404": {"description": "Not (yet) uploaded."},
                          **JSON_ERRORS},
        },
    },
}

SCHEMAS = {
    "PushRequest": protocol.PushRequestSchema, "PushResponse": protocol.PushResponseSchema,
    "PullResponse": protocol.PullResponseSchema,
    "MediaResult": protocol.MediaResultSchema, "ErrorBody": protocol.ErrorBodySchema,
    "Conflict": protocol.ConflictSchema, "ResolveConflict": protocol.ResolveConflictSchema,
}


@cache
def sync_openapi() -> dict:
    spec = APISpec(title="Patrolbook sync", version="1", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "Offline outbox push, change pull and media upload (sync/PROTOCOL.md)."})
    spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session"})
    spec.components.security_scheme("csrf", {"type": "apiKey", "in": "header", "name": "X-CSRFToken"})
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, schema=schema)
    for path, operations in PATHS.items():
        operations = dict(operations)
        spec.path(path=path, parameters=operations.pop("parameters", None), operations=operations)
    return spec.to_dict()

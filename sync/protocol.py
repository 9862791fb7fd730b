"""The wire format of /sync (PROTOCOL.md), as marshmallow schemas — they also feed the OpenAPI
document — and the push envelope parser the engine uses.

Parsing a push is on the hot path: a replayed batch must cost far less than applying it. So
`parse_push` first tries a plain-Python reader that accepts a subset of what the schema accepts
(the common, well-formed case; a test checks it never accepts more). Anything it does not take
goes through `PushRequestSchema`, whose messages are the ones the client sees.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from . import messages
from .errors import BatchError
from .models import DEVICE_ID_LEN, ENTITY_LEN
from .wirejson import lone_surrogate, printable

MAX_BATCH = 500
MAX_PULL = 1000
MAX_CURSOR = 2**63 - 1  # sync_changes.seq is a BIGINT
OPS = ("create", "update", "delete")
STATUSES = ("applied", "duplicate", "merged", "conflict", "rejected", "forbidden")
REFUSED = frozenset({"rejected", "forbidden"})  # answers that store no record (a fix may follow)
CHOICES = ("device", "server", "edit")
CLOCK_SKEW_WARN_SECONDS = 300


class _Strict(Schema):
    class Meta:
        unknown = RAISE


# --- requests -------------------------------------------------------------------------------

class MutationSchema(_Strict):
    mutation_id = fields.UUID(required=True, metadata={"description": "Device-made idempotency key."})
    entity = fields.String(required=True, validate=validate.Length(min=1, max=ENTITY_LEN))
    record_id = fields.UUID(required=True, metadata={"description": "Device-made record id."})
    op = fields.String(required=True, validate=validate.OneOf(OPS))
    base_version = fields.Integer(
        strict=True, allow_none=True, load_default=None, validate=validate.Range(min=1),
        metadata={"description": "The version the device's change is based on; null for a create."},
    )
    fields_ = fields.Dict(
        data_key="fields", attribute="fields", load_default=dict,
        metadata={"description": "Create: every field. Update: only the fields the user changed. Delete: {}."},
    )
    observed_at = fields.AwareDateTime(required=True, metadata={"description": "Device clock, with offset."})


def no_nul(value: str) -> None:
    """Text a database can store and an answer can encode: no NUL, no half of a surrogate pair."""
    if "\x00" in value:
        raise ValidationError(messages.NUL_CHARACTER)
    if lone_surrogate(value):
        raise ValidationError(messages.LONE_SURROGATE)


class PushRequestSchema(_Strict):
    device_id = fields.String(required=True, validate=[validate.Length(min=1, max=DEVICE_ID_LEN), no_nul])
    sent_at = fields.AwareDateTime(
        allow_none=True, load_default=None,
        metadata={"description": "Device clock when sending; lets the server measure clock skew."},
    )
    mutations = fields.List(fields.Nested(MutationSchema), required=True)


class PullQuerySchema(_Strict):
    cursor = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_CURSOR, error=messages.BAD_CURSOR),
                            error_messages={"invalid": messages.BAD_CURSOR})
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=MAX_PULL),
                           error_messages={"invalid": messages.BAD_LIMIT})


class ResolveConflictSchema(_Strict):
    choice = fields.String(required=True, validate=validate.OneOf(CHOICES))
    fields_ = fields.Dict(data_key="fields", attribute="fields", allow_none=True, load_default=None)


# --- responses ------------------------------------------------------------------------------

class ResultSchema(_Strict):
    mutation_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    first_status = fields.String(metadata={"description": "On a duplicate: the status of the first answer."})
    version = fields.Integer(metadata={"description": "The record's version after this mutation."})
    conflict_id = fields.String()
    errors = fields.Dict(metadata={"description": "{field: [message, ...]} on rejected."})
    message = fields.String()


class PushResponseSchema(_Strict):
    results = fields.List(fields.Nested(ResultSchema), required=True)
    server_time = fields.AwareDateTime(required=True)
    clock_skew_seconds = fields.Integer(allow_none=True, metadata={"description": "Server minus device clock."})
    clock_warning = fields.Boolean()


class ChangeSchema(_Strict):
    seq = fields.Integer(required=True)
    entity = fields.String(required=True)
    id = fields.String(required=True)
    op = fields.String(required=True, validate=validate.OneOf(("upsert", "delete")))
    version = fields.Integer(required=True)
    fields_ = fields.Dict(data_key="fields", attribute="fields", metadata={"description": "Absent on delete."})


class PullResponseSchema(_Strict):
    changes = fields.List(fields.Nested(ChangeSchema), required=True)
    cursor = fields.Integer(required=True)
    more = fields.Boolean(required=True)
    server_time = fields.AwareDateTime(required=True)


class ResolveResultSchema(_Strict):
    conflict_id = fields.String(required=True)
    status = fields.String(required=True)
    resolution = fields.String(required=True, validate=validate.OneOf(CHOICES))
    version = fields.Integer(allow_none=True)


class ConflictSchema(Schema):
    """A conflict as the inbox shows it (dump only)."""

    id = fields.String()
    entity = fields.String()
    record_id = fields.String()
    op = fields.String()
    mutation_id = fields.String()
    user_id = fields.Integer()
    device_id = fields.String()
    base_version = fields.Integer(allow_none=True)
    server_version = fields.Integer(allow_none=True)
    device_fields = fields.Dict()
    server_fields = fields.Dict(allow_none=True)
    fields_in_conflict = fields.List(fields.String())
    reason = fields.String()
    scope = fields.String()
    status = fields.String()
    resolution = fields.String(allow_none=True)
    resolved_fields = fields.Dict(allow_none=True)
    resolved_by = fields.Integer(allow_none=True)
    resolved_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()


class MediaResultSchema(_Strict):
    id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("created", "duplicate")))


class ErrorSchema(_Strict):
    status = fields.Integer(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(metadata={"description": "{field: [message, ...]}; dotted paths for the envelope."})


class ErrorBodySchema(_Strict):
    error = fields.Nested(ErrorSchema, required=True)


# --- the push envelope ----------------------------------------------------------------------

@dataclass(slots=True)
class Mutation:
    mutation_id: str
    entity: str
    record_id: str
    op: str
    base_version: int | None
    fields: dict[str, Any]
    observed_at: datetime


def fingerprint(m: Mutation) -> str:
    """What a mutation asks for, as a hash: tells a replay from a corrected resend of a refusal."""
    content = [m.entity, m.record_id, m.op, m.base_version, m.fields]
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()  # a refusal may hold half an emoji


@dataclass(slots=True)
class PushBatch:
    device_id: str
    mutations: list[Mutation]
    sent_at: datetime | None = None


_PUSH_SCHEMA = PushRequestSchema()
_PUSH_KEYS = frozenset({"device_id", "sent_at", "mutations"})
_PUSH_REQUIRED = frozenset({"device_id", "mutations"})
_MUTATION_KEYS = frozenset({"mutation_id", "entity", "record_id", "op", "base_version", "fields", "observed_at"})
_MUTATION_REQUIRED = frozenset({"mutation_id", "entity", "record_id", "op", "observed_at"})
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def parse_push(payload: Any, max_batch: int = MAX_BATCH) -> PushBatch:
    """The push envelope, or BatchError with `{dotted.field: [message]}`."""
    raw = payload.get("mutations") if isinstance(payload, dict) else None
    if isinstance(raw, list) and len(raw) > max_batch:
        raise BatchError({"mutations": [messages.TOO_MANY]})
    batch = _read_plain(payload)
    if batch is not None:
        return batch
    try:
        data = _PUSH_SCHEMA.load(payload)
    except ValidationError as error:
        raise BatchError(flatten_errors(error.messages)) from None
    mutations = [
        Mutation(str(m["mutation_id"]), m["entity"], str(m["record_id"]), m["op"], m["base_version"],
                 dict(m["fields"]), m["observed_at"])
        for m in data["mutations"]
    ]
    return PushBatch(data["device_id"], mutations, data["sent_at"])


def flatten_errors(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as one flat {dotted.path: [message]} (an unknown key that
    cannot be encoded, such as half an emoji, in a printable form)."""
    if not isinstance(errors, dict):
        return {prefix or "_schema": list(errors) if isinstance(errors, list | tuple) else [str(errors)]}
    flat: dict[str, list[str]] = {}
    for key, value in errors.items():
        flat.update(flatten_errors(value, f"{prefix}.{printable(str(key))}" if prefix else printable(str(key))))
    return flat


def _read_plain(payload: Any) -> PushBatch | None:
    """The well-formed envelope without marshmallow; None means "ask the schema"."""
    if type(payload) is not dict or not _PUSH_REQUIRED <= payload.keys() <= _PUSH_KEYS:
        return None
    device_id, raw, sent_at = payload["device_id"], payload["mutations"], payload.get("sent_at")
    if (type(device_id) is not str or not 0 < len(device_id) <= DEVICE_ID_LEN or "\x00" in device_id
            or lone_surrogate(device_id) or type(raw) is not list):
        return None
    if sent_at is not None and (sent_at := _aware(sent_at)) is None:
        return None
    mutations = []
    for m in raw:
        mutation = _read_mutation(m)
        if mutation is None:
            return None
        mutations.append(mutation)
    return PushBatch(device_id, mutations, sent_at)


def _read_mutation(m: Any) -> Mutation | None:
    if type(m) is not dict or not _MUTATION_REQUIRED <= m.keys() <= _MUTATION_KEYS:
        return None
    entity, op, base, values = m["entity"], m["op"], m.get("base_version"), m.get("fields", {})
    if type(entity) is not str or not 0 < len(entity) <= ENTITY_LEN or type(op) is not str or op not in OPS:
        return None
    if (base is not None and (type(base) is not int or base < 1)) or type(values) is not dict:
        return None
    mutation_id, record_id, observed_at = _uuid(m["mutation_id"]), _uuid(m["record_id"]), _aware(m["observed_at"])
    if mutation_id is None or record_id is None or observed_at is None:
        return None
    return Mutation(mutation_id, entity, record_id, op, base, values, observed_at)


def _uuid(value: Any) -> str | None:
    if type(value) is not str:
        return None
    if _CANONICAL_UUID.fullmatch(value):
        return value  # what every client sends: already as str(uuid.UUID(value)) would write it
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _aware(value: Any) -> datetime | None:
    if type(value) is not str:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None and parsed.utcoffset() is not None else None

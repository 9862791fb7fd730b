"""Helpers shared by HTML forms: the form loader, safe redirects, and offline-form posts turned into mutations.

`load_form()` picks a schema's own fields out of a submitted form (so the CSRF token and the other
rows' fields are not "unknown"), turns blank inputs into None (webapp.kernel.fields.FormSchema), and
returns (valid data, errors) with the errors keyed by the form's field names, ready to show next to the fields.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import url_for
from marshmallow import Schema, ValidationError
from marshmallow import fields as mf


def load_form(schema: Schema, form: Mapping, prefix: str = "") -> tuple[dict, dict[str, list[str]]]:
    data = {}
    for name, declared in schema.fields.items():
        key = prefix + name
        if isinstance(declared, mf.List):
            data[name] = [v for v in form.getlist(key) if v.strip()] if hasattr(form, "getlist") else form.get(key, [])
        elif key in form:
            data[name] = form[key]
    try:
        return schema.load(data), {}
    except ValidationError as exc:  # the valid part comes back too, so other checks can still run
        return dict(exc.valid_data or {}), {prefix + name: _flat(messages) for name, messages in exc.messages.items()}


def _flat(messages) -> list[str]:
    """Messages as a flat list of strings (a lazy message arrives bare, not in a list)."""
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flat(value)]
    if isinstance(messages, list | tuple):
        return [m for value in messages for m in _flat(value)]
    return [str(messages)]


def safe_return_url(target: str | None, default_endpoint: str = "home.index") -> str:
    """Only same-site relative paths are followed."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for(default_endpoint)


def _value(field: mf.Field, name: str, form) -> object:
    if isinstance(field, mf.List):
        values = [v for v in form.getlist(name) if v != ""]
        if len(values) == 1 and values[0].startswith("["):
            return json.loads(values[0])
        return values
    raw = form.get(name, "")
    if isinstance(field, mf.Dict | mf.Nested) and raw:
        return json.loads(raw)
    return raw


def mutation_from_form(spec, entity: str, form) -> dict:
    """What the offline client would have sent for this form, built on the server (no-JS fallback).

    Empty inputs are left out, so the entity schema's own rules decide what is required."""
    schema = spec.schema()
    values = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if field.dump_only or key not in form:
            continue
        try:
            value = _value(field, key, form)
        except json.JSONDecodeError:
            value = form.get(key)
        if value not in ("", [], None):
            values[key] = value
    base_version = form.get("base_version", "")
    return {
        "mutation_id": str(uuid.uuid4()),
        "entity": entity,
        "record_id": form.get("record_id") or str(uuid.uuid4()),
        "op": form.get("op", "create"),
        "base_version": int(base_version) if base_version.isdigit() else None,
        "fields": values,
        "observed_at": datetime.now(UTC).isoformat(),
    }

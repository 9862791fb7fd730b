"""Helpers shared by HTML forms: safe redirects, and offline-form posts turned into mutations."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import url_for
from marshmallow import fields as mf


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

"""Helpers shared by HTML forms and posted bodies: the form loader, safe redirects, whole numbers and
JSON read within bounds, and offline-form posts turned into mutations.

`load_form()` picks a schema's own fields out of a submitted form (so the CSRF token and the other
rows' fields are not "unknown"), turns blank inputs into None (webapp.kernel.fields.FormSchema), and
returns (valid data, errors) with the errors keyed by the form's field names, ready to show next to the fields.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import request, url_for
from marshmallow import Schema, ValidationError
from marshmallow import fields as mf

from sync import wirejson

MAX_ID = 2**31 - 1  # ids and versions are INTEGER columns


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
        return dict(exc.valid_data or {}), {prefix + name: flat_messages(messages) for name, messages in exc.messages.items()}


def flat_messages(messages) -> list[str]:
    """Messages as a flat list of strings (a lazy message arrives bare, not in a list)."""
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in flat_messages(value)]
    if isinstance(messages, list | tuple):
        return [m for value in messages for m in flat_messages(value)]
    return [str(messages)]


def safe_return_url(target: str | None, default_endpoint: str = "home.index") -> str:
    """Only same-site relative paths are followed."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for(default_endpoint)


def parse_whole(raw: Any, maximum: int = MAX_ID) -> int | None:
    """A whole number typed in a form, or None: ASCII digits only ("²".isdigit() is true and int()
    refuses it; "１２" would pass int()), at most `maximum` (a wider one overflows its column)."""
    text = raw.strip() if isinstance(raw, str) else ""
    if not text or len(text) > len(str(maximum)) or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= maximum else None


def int_arg(text: str) -> int:
    """For `request.args.get(name, type=int_arg)`: like `type=int`, but a number no INTEGER column
    holds (or "²") is a ValueError, so werkzeug answers the default instead of the database overflowing."""
    value = parse_whole(text)
    if value is None:
        raise ValueError(f"not a whole number from 0 to {MAX_ID}: {text!r}")
    return value


def request_json() -> Any:
    """The request's JSON body, or None when it has none or it is not JSON (as
    `request.get_json(silent=True)`); nesting deeper than wirejson.MAX_DEPTH raises wirejson.TooDeep,
    which answers 400 (errors.py) before any parser or walker recurses."""
    if not request.is_json:
        return None
    try:
        return wirejson.loads(request.get_data(cache=True))
    except wirejson.TooDeep:
        raise
    except ValueError:  # not JSON, or not UTF-8
        return None


def _value(field: mf.Field, name: str, form) -> object:
    if isinstance(field, mf.List):
        values = [v for v in form.getlist(name) if v != ""]
        if len(values) == 1 and values[0].startswith("["):
            return wirejson.loads(values[0])
        return values
    raw = form.get(name, "")
    if isinstance(field, mf.Dict | mf.Nested) and raw:
        return wirejson.loads(raw)
    return raw


def mutation_from_form(spec, form) -> dict:
    """The record id, op, base version and fields the offline client would have sent for this form, read
    on the server (the no-JS fallback; kernel.syncing.push_form sends them).

    Empty inputs are left out, so the entity schema's own rules decide what is required."""
    schema = spec.schema()
    values = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if field.dump_only or key not in form:
            continue
        try:
            value = _value(field, key, form)
        except wirejson.TooDeep:
            raise
        except ValueError:  # not JSON: the schema says what is wrong with the text
            value = form.get(key)
        if value not in ("", [], None):
            values[key] = value
    return {
        "record_id": form.get("record_id") or str(uuid.uuid4()),
        "op": form.get("op", "create"),
        # a wider number than any version is handed on as it is: the engine rejects it, next to the field
        "base_version": parse_whole(form.get("base_version"), maximum=2**63 - 1),
        "fields": values,
    }

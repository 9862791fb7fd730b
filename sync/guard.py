"""What every entity schema gets from the engine, whatever its domain wrote: values the database can
store. A value that would make the database fail (a NUL character on PostgreSQL, an integer wider
than its column, a datetime that overflows when normalised to UTC, text longer than its column) is
a field error of that one mutation — `rejected`, its siblings apply — never a 500 for the batch.

`problems(spec, data, now)` walks the raw `fields` of a mutation alongside the entity's marshmallow
schema (nested schemas and lists included), so no domain repeats these rules:

* a NUL character or a lone UTF-16 surrogate (half an emoji: neither can be stored or encoded)
  anywhere, in values and keys, typed fields or free-form dicts;
* nesting deeper than `wirejson.MAX_DEPTH` (the walkers after this one recurse);
* integers: whole numbers only (`1.5` or `true` is not an integer, even where a schema is lenient),
  within the column's range (32-bit unless the column is a BIGINT/SMALLINT); free-form values within
  64 bits; no NaN or infinity;
* text no longer than its column;
* aware datetimes within `DATETIME_WINDOW` of the server's clock.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields
from sqlalchemy import BigInteger, SmallInteger, String

from . import messages
from .wirejson import MAX_DEPTH, lone_surrogate, printable

INT16 = (-(2**15), 2**15 - 1)
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
# A device may be offline for days and its clock may be wrong by hours or weeks (the push answers a
# clock warning then); a time further than this from the server's is not a time anyone observed.
DATETIME_WINDOW = timedelta(days=366)

Errors = dict[Any, Any]
_DIGITS = re.compile(r"[+-]?[0-9]{1,24}")  # a form's whole number (HTML forms send text)


def integer_range(column: Any) -> tuple[int, int]:
    kind = getattr(column, "type", None)
    if isinstance(kind, BigInteger):
        return INT64
    if isinstance(kind, SmallInteger):
        return INT16
    return INT32  # Integer columns, and ids kept inside JSON (they name 32-bit keys)


def problems(schema: Schema, data: Any, now: datetime, columns: Mapping[str, Any] | None = None) -> Errors:
    """{field: [message]} (nested like marshmallow's) for values the database could not store."""
    if not isinstance(data, Mapping):
        return {}
    return _merge(_raw(data) or {}, _typed(schema, data, now, columns or {}))


def _merge(raw: Any, typed: Any) -> Any:
    """Both findings; where both speak of the same value, the typed one (it knows the column)."""
    if isinstance(raw, dict) and isinstance(typed, dict):
        return {**raw, **{k: _merge(raw[k], v) if k in raw else v for k, v in typed.items()}}
    return typed


def datetime_problem(value: datetime, now: datetime) -> str | None:
    """Why an aware datetime cannot be accepted as a time someone observed, or None."""
    try:
        moment = value.astimezone(UTC)
    except (OverflowError, ValueError):
        return messages.DATETIME_OUT_OF_RANGE
    if abs(moment - now) > DATETIME_WINDOW:
        return messages.DATETIME_OUT_OF_RANGE
    return None


# --- anything, typed or not -------------------------------------------------------------------

def _raw(value: Any, depth: int = 0) -> list[str] | Errors | None:
    """NUL characters, lone surrogates, NaN/infinity, integers beyond 64 bits and nesting beyond
    MAX_DEPTH, at any depth: a message list for a bad scalar, {key: ...} for a container holding
    some, else None. A key that cannot be stored is reported under a printable form of itself."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return None if INT64[0] <= value <= INT64[1] else [messages.NUMBER_TOO_LARGE]
    if isinstance(value, float):
        return None if math.isfinite(value) else [messages.NOT_A_NUMBER]
    if isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    if depth >= MAX_DEPTH:
        return [messages.NESTED_TOO_DEEPLY]
    errors: Errors = {}
    for key, item in items:
        if isinstance(key, str) and (found := _text(key)):
            errors[printable(key)] = found
        elif found := _raw(item, depth + 1):
            if depth > 0 and found == [messages.NESTED_TOO_DEEPLY]:
                return found  # said of the field itself, not 32 levels down
            errors[key] = found
    return errors or None


def _text(value: str) -> list[str] | None:
    if "\x00" in value:
        return [messages.NUL_CHARACTER]
    return [messages.LONE_SURROGATE] if lone_surrogate(value) else None


# --- typed fields, by the schema --------------------------------------------------------------

def _typed(schema: Schema, data: Any, now: datetime, columns: Mapping[str, Any]) -> Errors:
    if not isinstance(data, Mapping):
        return {}
    errors: Errors = {}
    for name, field in schema.load_fields.items():
        key = field.data_key or name
        if key in data:
            found = _field(field, data[key], now, columns.get(field.attribute or name))
            if found:
                errors[key] = found
    return errors


def _field(field: fields.Field, value: Any, now: datetime, column: Any = None) -> Any:
    if value is None:
        return None
    if isinstance(field, fields.Integer):
        return _integer(value, integer_range(column))
    if isinstance(field, fields.Number):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
            return [messages.NUMBER_TOO_LARGE]
        return None
    if isinstance(field, fields.String):
        kind = getattr(column, "type", None)
        if isinstance(value, str) and isinstance(kind, String) and kind.length and len(value) > kind.length:
            return [messages.TOO_LONG.format(max=kind.length)]
        return None
    if isinstance(field, fields.DateTime):
        return _datetime(field, value, now)
    if isinstance(field, fields.Nested):
        nested = field.schema
        if field.many or nested.many:
            return _each(value, lambda item: _typed(nested, item, now, {}))
        return _typed(nested, value, now, {}) or None
    if isinstance(field, fields.List):
        return _each(value, lambda item: _field(field.inner, item, now))
    return None


def _each(value: Any, check) -> Errors | None:
    if not isinstance(value, list):
        return None
    errors = {i: found for i, item in enumerate(value) if (found := check(item))}
    return errors or None


def _integer(value: Any, bounds: tuple[int, int]) -> list[str] | None:
    if isinstance(value, bool | float):
        return [messages.NOT_AN_INTEGER]
    if isinstance(value, str):
        if not _DIGITS.fullmatch(value.strip()):
            return [messages.NOT_AN_INTEGER]
        value = int(value)
    if isinstance(value, int) and not bounds[0] <= value <= bounds[1]:
        return [messages.INTEGER_OUT_OF_RANGE.format(min=bounds[0], max=bounds[1])]
    return None


def _datetime(field: fields.DateTime, value: Any, now: datetime) -> list[str] | None:
    try:
        parsed = field.deserialize(value)
    except (ValidationError, OverflowError, ValueError, TypeError):
        return None  # the schema says what is wrong with it
    if isinstance(parsed, datetime) and parsed.tzinfo is not None:
        problem = datetime_problem(parsed, now)
        return [problem] if problem else None
    return None

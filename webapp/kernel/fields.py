"""marshmallow helpers shared by the domains' schemas (explicit fields, unknown=RAISE).

Two kinds of schema, two kinds of message:
- records crossing the sync boundary (`Strict`, `text`, `one_of`, `photo_list`) carry fixed English
  messages, translated at the edge (webapp.kernel.syncing.translated, the part's .po);
- HTML forms (`FormSchema`, `form_text`, `whole_number`, read with webapp.kernel.forms.load_form)
  carry lazy messages in the user's language, shown next to the fields.
"""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate

from sync.messages import NESTED_TOO_DEEPLY
from sync.wirejson import MAX_DEPTH

MAX_PHOTOS = 6

# --------------------------------------------------------------------------- synced records


class Strict(Schema):
    """A synced record's schema: unknown fields refused; UUIDs back to strings and text trimmed."""

    class Meta:
        unknown = RAISE

    def load(self, data, *args, **kwargs):
        return _strings(super().load(data, *args, **kwargs))


def _strings(value, depth: int = 0):
    """UUIDs back to strings, text trimmed: the values are stored as JSON and compared as text. A
    free-form value (a finding's `item`) nested beyond what any record holds is refused, not recursed."""
    if isinstance(value, dict | list) and depth > MAX_DEPTH:
        raise ValidationError(NESTED_TOO_DEEPLY)
    if isinstance(value, dict):
        return {k: _strings(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v, depth + 1) for v in value]
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def one_of(values, error: str):
    return validate.OneOf([str(v) for v in values], error=error)


def photo_list(**kwargs):
    return fields.List(fields.UUID(), load_default=list,
                       validate=validate.Length(max=MAX_PHOTOS, error="At most 6 photos."), **kwargs)


def text(max_len: int, error: str, **kwargs):
    return fields.String(validate=validate.Length(max=max_len, error=error), **kwargs)


def words(max_len: int, message: str):
    """A validator: some words (not blank), at most max_len characters; one message whatever is wrong."""
    def check(value: str) -> None:
        if not value.strip() or len(value) > max_len:
            raise ValidationError(message)
    return check


# --------------------------------------------------------------------------- HTML forms

REQUIRED = _l("This field is required.")
WHOLE = _l("Enter a whole number.")
NUMBER = _l("Enter a number.")
RANGE = _l("Enter a number from {min} to {max}.")
TOO_LONG = _l("At most {max} characters.")


class FormSchema(Schema):
    """A form's schema: unknown fields refused, blank inputs read as None."""

    class Meta:
        unknown = RAISE

    @pre_load
    def blanks_are_none(self, data, **kwargs):
        return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in data.items()}


def whole_number(lo: int, hi: int, **kw) -> fields.Integer:
    """An optional whole number from `lo` to `hi`."""
    return fields.Integer(allow_none=True, load_default=None, strict=False, validate=validate.Range(lo, hi, error=RANGE),
                          error_messages={"invalid": WHOLE, "null": REQUIRED, "required": REQUIRED}, **kw)


def form_text(size: int, required: bool = False) -> fields.String:
    """Text of at most `size` characters; optional (None when blank) unless `required`."""
    messages = {"null": REQUIRED, "required": REQUIRED}
    if required:
        return fields.String(required=True, allow_none=False, validate=validate.Length(1, size, error=TOO_LONG),
                             error_messages=messages)
    return fields.String(allow_none=True, load_default=None, validate=validate.Length(max=size, error=TOO_LONG),
                         error_messages=messages)

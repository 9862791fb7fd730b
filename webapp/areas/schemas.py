"""The area forms as marshmallow schemas: explicit fields, unknown=RAISE, messages in the user's language.

`load_form()` picks a schema's own fields out of a submitted form (so the CSRF token and the other
rows' fields are not "unknown"), turns blank inputs into None, and returns (valid data, errors) with
the errors keyed by the form's field names, ready to show next to the fields.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate

from .models import KeyLocationKind

REQUIRED = _l("This field is required.")
WHOLE = _l("Enter a whole number.")
NUMBER = _l("Enter a number.")
RANGE = _l("Enter a number from {min} to {max}.")
TOO_LONG = _l("At most {max} characters.")


def _int(lo: int, hi: int, **kw) -> fields.Integer:
    return fields.Integer(allow_none=True, load_default=None, strict=False, validate=validate.Range(lo, hi, error=RANGE),
                          error_messages={"invalid": WHOLE, "null": REQUIRED, "required": REQUIRED}, **kw)


def _text(size: int, required: bool = False) -> fields.String:
    messages = {"null": REQUIRED, "required": REQUIRED}
    if required:
        return fields.String(required=True, allow_none=False, validate=validate.Length(1, size, error=TOO_LONG),
                             error_messages=messages)
    return fields.String(allow_none=True, load_default=None, validate=validate.Length(max=size, error=TOO_LONG),
                         error_messages=messages)


class FormSchema(Schema):
    class Meta:
        unknown = RAISE

    @pre_load
    def blanks_are_none(self, data, **kwargs):
        return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in data.items()}


class AreaSchema(FormSchema):
    code = _text(16, required=True)
    name = _text(64, required=True)
    description = _text(2000)
    building_ids = fields.List(fields.Integer(validate=validate.Range(1, 2**31 - 1, error=RANGE),
                                              error_messages={"invalid": WHOLE}), load_default=list)


class KeyLocationSchema(FormSchema):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in KeyLocationKind],
                                                                error=_l("Choose a kind.")),
                         error_messages={"null": REQUIRED, "required": REQUIRED})
    name = _text(128, required=True)
    building_id = _int(1, 2**31 - 1)
    floor = _int(-10, 200)
    description = _text(2000)


class RowSchema(FormSchema):
    """One area's line of the assignment table (R-AREA-2)."""

    officer_id = _int(1, 2**31 - 1)
    scope = _text(2000)
    household_count = _int(0, 100_000)
    floor_area_m2 = fields.Float(allow_none=True, load_default=None, validate=validate.Range(0, 10_000_000, error=RANGE),
                                 error_messages={"invalid": NUMBER, "special": NUMBER})
    difficulty = _int(1, 5)


AREA, KEY_LOCATION, ROW = AreaSchema(), KeyLocationSchema(), RowSchema()


def load_form(schema: Schema, form: Mapping, prefix: str = "") -> tuple[dict, dict[str, list[str]]]:
    data = {}
    for name, declared in schema.fields.items():
        key = prefix + name
        if isinstance(declared, fields.List):
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

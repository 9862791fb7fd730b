"""Every sentence the engine sends to a person, in stable English.

The web app translates them through its catalogue (msgid = the sentence), so change one only
together with the catalogue. `ALL` lists them for that purpose.
"""

from __future__ import annotations

import re

# Push: per-mutation outcomes (the `message` of a result, or an entry of its `errors`).
APPEND_ONLY = "This record is append-only: a correction is a new record pointing at the old one."
OP_NOT_ALLOWED = "This operation is not allowed for this kind of record."
FIELDS_INVALID = "Some fields are not valid."
NO_RECORD = "No such record."
BASE_VERSION_REQUIRED = "An update or delete needs the version it was based on."
DELETE_HAS_FIELDS = "A delete carries no fields."
FORBIDDEN = "You may not change records in this scope."
ALREADY_EXISTS_SAME = "The record already exists with these values."
ALREADY_DELETED = "The record was already deleted."
NOTHING_CHANGED = "Nothing to change: the record already has these values."
CONFLICT_SAME_FIELDS = "Someone else changed the same fields since this device read the record."
CONFLICT_CHANGED = "The record was changed on the server since this device read it."
CONFLICT_DELETED = "The record was deleted on the server."
CONFLICT_EXISTS = "A different record with this id already exists."
CONFLICT_BASE_AHEAD = "The device's version of the record is newer than the server's."
INTERNAL_ERROR = ("The server could not store this record (an internal error, logged for the administrators). "
                  "The rest of the batch was saved; keep this one and send it again later or ask for help.")

# Values the database could not store (sync/guard.py), in any entity's fields or the envelope.
NUL_CHARACTER = "Contains a character that cannot be stored (NUL)."
LONE_SURROGATE = ("Contains a broken character (half of an emoji, cut off by the phone): "
                  "retype this text and send it again.")
NESTED_TOO_DEEPLY = "Nested too deeply."
NOT_AN_INTEGER = "Not a valid integer."
NOT_A_NUMBER = "Not a valid number."
NUMBER_TOO_LARGE = "Number too large."
INTEGER_OUT_OF_RANGE = "Must be a whole number from {min} to {max}."
TOO_LONG = "Longer than maximum length {max}."
DATETIME_OUT_OF_RANGE = ("This time is more than a year away from the server's clock: "
                         "check the phone's date and time, correct this time and send it again.")

# Push: the envelope (BatchError).
UNKNOWN_ENTITY = "Unknown kind of record."
TOO_MANY = "Too many mutations in one batch."

# Pull.
BAD_CURSOR = "Must be a whole number, 0 or more."
BAD_LIMIT = "Must be a whole number, 1 or more."

# Conflict resolution.
BAD_CHOICE = "Must be one of: device, server, edit."
FIELDS_REQUIRED = "Give the fields to keep."
CONFLICT_NOT_FOUND = "No such conflict."
CONFLICT_FORBIDDEN = "You may not resolve conflicts in this scope."
ALREADY_RESOLVED = "This conflict was already resolved."
RESOLUTION_INVALID = "The resolution is not valid."
STILL_CONFLICTS = "The resolution conflicts with the current record; reload and try again."

# Media.
MEDIA_BAD_ID = "The media id is not a UUID."
MEDIA_EMPTY = "The upload is empty."
MEDIA_TOO_LARGE = "The upload is too large."
MEDIA_HASH_MISMATCH = "The upload does not match its SHA-256 hash."
MEDIA_UNSUPPORTED = "This file type is not accepted."
MEDIA_TYPE_MISMATCH = "The file's content does not match its declared type."
MEDIA_ID_TAKEN = "Another file was already stored under this id."
MEDIA_NOT_YOURS = "This photo belongs to a record you cannot see: it cannot be attached here."

ALL = tuple(value for name, value in sorted(globals().items()) if name.isupper() and isinstance(value, str))


# --- marshmallow's own messages -------------------------------------------------------------
# Entity schemas use marshmallow's default messages, some formatted ("Length must be between 1 and
# 64."). The catalogue translates the template (msgid "Length must be between {min} and {max}.") and
# `template_of` finds the template and its values in a formatted message.

def _range_templates() -> list[str]:
    from marshmallow import validate

    r = validate.Range
    lows, highs = (r.message_gte, r.message_gt), (r.message_lte, r.message_lt)
    out = [r.message_min.format(min_op=lo) for lo in lows] + [r.message_max.format(max_op=hi) for hi in highs]
    out += [r.message_all.format(min_op=lo, max_op=hi) for lo in lows for hi in highs]
    return out


def _marshmallow_templates() -> tuple[str, ...]:
    from marshmallow import Schema, fields, validate

    found: list[str] = list(Schema._default_error_messages.values())
    for cls in vars(fields).values():
        if isinstance(cls, type) and issubclass(cls, fields.Field):
            for klass in cls.__mro__:
                found += getattr(klass, "default_error_messages", {}).values()
    # DateTime & co. format their obj_type and awareness
    found += ["Not a valid datetime.", "Not a valid aware datetime.", "Not a valid naive datetime.",
              "Not a valid date.", "Not a valid time."]
    found += _range_templates()
    length = validate.Length
    found += [length.message_min, length.message_max, length.message_all, length.message_equal]
    found += [validate.OneOf.default_message, validate.NoneOf.default_message, validate.Equal.default_message,
              validate.Regexp.default_message, validate.URL.default_message, validate.Email.default_message,
              validate.ContainsOnly.default_message, validate.ContainsNoneOf.default_message]
    found = [t for t in found if not any(f"{{{k}" in t for k in ("obj_type", "awareness", "input"))]
    return tuple(dict.fromkeys(found))


MARSHMALLOW = _marshmallow_templates()
TEMPLATES = tuple(dict.fromkeys((*MARSHMALLOW, INTEGER_OUT_OF_RANGE, TOO_LONG)))


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{_VALUE.get(p, r'[^ ]+?')})"
                    for i, p in enumerate(parts))
    return re.compile(regex + r"\Z", re.DOTALL)


_VALUE = {"choices": ".+?", "values": ".+?"}
# The most literal text first: "Must be greater than {min}." must not swallow "… or equal to 0."
_PATTERNS = tuple((t, _pattern(t)) for t in sorted((t for t in TEMPLATES if "{" in t),
                                                    key=lambda t: -len(re.sub(r"\{\w+\}", "", t))))


def template_of(message: str) -> tuple[str, dict[str, str]] | None:
    """(template, values) when `message` is a formatted marshmallow (or engine) template, else None.
    A template without placeholders is its own message: the catalogue translates it as it is."""
    for template, pattern in _PATTERNS:
        match = pattern.match(message)
        if match:
            return template, match.groupdict()
    return None

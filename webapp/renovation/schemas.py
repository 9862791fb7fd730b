"""The renovation inspection as it crosses the sync boundary (explicit fields, unknown=RAISE; English
messages, translated in renovation.po)."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from ..kernel.fields import Strict, one_of, photo_list, text
from .models import InspectionKind
from .rules import MAX_ID


def an_id(**kwargs):
    """A database id: a whole number that fits its column (a 23-digit one is refused, not an overflow)."""
    return fields.Integer(validate=validate.Range(1, MAX_ID, error="Not a valid id."), **kwargs)


class InspectionSchema(Strict):
    estate_id = an_id(required=True)
    area_id = an_id(required=True)
    renovation_id = an_id(required=True)
    kind = fields.String(load_default=InspectionKind.DAILY.value, validate=one_of(InspectionKind, "Not a kind of inspection."))
    template_version = an_id(allow_none=True, load_default=None)
    failed = fields.List(fields.String(validate=validate.Length(max=32)), load_default=list,
                         validate=validate.Length(max=50))
    note = text(2000, "Write at most 2000 characters.", allow_none=True, load_default=None)
    photo_ids = photo_list()
    violation_item = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=32))
    violation_text = text(1000, "Write at most 1000 characters.", allow_none=True, load_default=None)
    violation_deadline = fields.Date(allow_none=True, load_default=None)
    follow_up_of = fields.UUID(allow_none=True, load_default=None)
    follow_up_result = fields.String(allow_none=True, load_default=None,
                                     validate=one_of(("fixed", "not_fixed"), "Choose fixed or not fixed."))
    passed = fields.Boolean(allow_none=True, load_default=None)

    @validates_schema
    def violation_is_complete(self, data, **kwargs):
        if not data.get("violation_item"):
            return
        if data["violation_item"] not in (data.get("failed") or ()):
            raise ValidationError("A violation must be about an item that failed.", "violation_item")
        if not data.get("violation_deadline"):
            raise ValidationError("A violation needs a deadline to put it right.", "violation_deadline")
        if not (data.get("violation_text") or "").strip():
            raise ValidationError("Say what the violation is.", "violation_text")

    @validates_schema
    def follow_up_and_final(self, data, **kwargs):
        if data.get("kind") == InspectionKind.FOLLOW_UP and not (data.get("follow_up_of") and data.get("follow_up_result")):
            raise ValidationError("A follow-up records the result of a violation.", "follow_up_result")
        if data.get("kind") == InspectionKind.FINAL and data.get("passed") is None:
            raise ValidationError("Say whether the final inspection passed.", "passed")

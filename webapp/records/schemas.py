"""The daily work record as it crosses the sync boundary (explicit fields, unknown=RAISE; English messages,
translated in records.po); the reply form."""

from __future__ import annotations

from marshmallow import fields

from ..kernel.fields import FormSchema, Strict, form_text, text

TOO_LONG = "Write at most 4000 characters."


class DailyRecordSchema(Strict):
    officer_id = fields.Integer(required=True)
    area_id = fields.Integer(required=True)
    day = fields.Date(required=True)
    notes = text(4000, TOO_LONG, load_default="")
    follow_up = text(4000, TOO_LONG, load_default="")
    amend_note = text(500, "Write at most 500 characters.", load_default="")


class ReplyForm(FormSchema):
    """A reply to the record or to one of its lines (R-REC-3), and the officer's answer back."""

    text = form_text(1000, required=True)
    line = form_text(64)

"""A duty log entry as it crosses the sync boundary (explicit fields, unknown=RAISE; English messages, translated in
duty.po). The chain's fields are the server's: no device sets them."""

from __future__ import annotations

from marshmallow import fields

from ..kernel.fields import Strict, one_of, text, words
from .models import Category

WHAT = "Say what happened."
WHO = "Say who handled it."


class DutyEntrySchema(Strict):
    estate_id = fields.Integer(required=True)
    occurred_at = fields.AwareDateTime(required=True, error_messages={"required": "Say when it happened."})
    category = fields.String(required=True, validate=one_of(Category, "Choose a category."),
                             error_messages={"required": "Choose a category."})
    what = fields.String(required=True, validate=words(2000, WHAT),
                         error_messages={"required": WHAT})
    handled_by = fields.String(required=True, validate=words(64, WHO),
                               error_messages={"required": WHO})
    follow_up = text(2000, "Write at most 2000 characters.", load_default="")
    corrects_id = fields.UUID(allow_none=True, load_default=None)

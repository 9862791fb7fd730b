"""A chase as it crosses the sync boundary (explicit fields, unknown=RAISE; English messages, translated in
fees.po)."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from ..kernel.fields import Strict, one_of, text
from .models import ChaseMethod, ChaseOutcome

ASK_PROMISE = "Enter the date they promised to pay by."
ASK_RECEIPT = "Enter the receipt number of the payment."
ONLY_VISIT = "Nobody home is for a visit; on the phone it is 'not reached'."


class ChaseSchema(Strict):
    area_id = fields.Integer(required=True)
    unit_id = fields.Integer(required=True, error_messages={"required": "Choose the unit chased."})
    household_id = fields.Integer(allow_none=True, load_default=None)
    method = fields.String(required=True, validate=one_of(ChaseMethod, "Choose how you chased."),
                           error_messages={"required": "Choose how you chased."})
    outcome = fields.String(required=True, validate=one_of(ChaseOutcome, "Choose what came of it."),
                            error_messages={"required": "Choose what came of it."})
    promised_on = fields.Date(allow_none=True, load_default=None)
    promised_yuan = fields.Integer(allow_none=True, load_default=None,
                                   validate=validate.Range(1, 10**9, error="The promised amount must be more than 0 yuan."))
    receipt_no = text(64, "Write at most 64 characters.", load_default="")
    note = text(2000, "Write at most 2000 characters.", load_default="")

    @validates_schema
    def outcome_needs(self, data, **kwargs):
        """A promise has its date, a payment its receipt (R-FEE-2); nobody is home only on a visit."""
        outcome = data.get("outcome")
        if outcome == ChaseOutcome.PROMISED and not data.get("promised_on"):
            raise ValidationError(ASK_PROMISE, "promised_on")
        if outcome == ChaseOutcome.PAID and not (data.get("receipt_no") or "").strip():
            raise ValidationError(ASK_RECEIPT, "receipt_no")
        if outcome == ChaseOutcome.NOBODY_HOME and data.get("method") == ChaseMethod.PHONE:
            raise ValidationError(ONLY_VISIT, "outcome")

"""A key loan as it crosses the sync boundary (English messages, translated in keys.po). Creates load complete; the
return is an update of returned_at, returned_count (the desk, online)."""

from __future__ import annotations

from marshmallow import fields, validate

from ..kernel.fields import Strict, words

WHO = "Say who borrows the key."
PHONE = "Write the borrower's phone number."
WHY = "Say what the key is borrowed for."


class KeyLoanSchema(Strict):
    estate_id = fields.Integer(required=True)
    key_id = fields.Integer(required=True, error_messages={"required": "Choose a key."})
    count = fields.Integer(required=True, validate=validate.Range(1, 50, error="Write how many keys, 1 to 50."))
    borrower = fields.String(required=True, validate=words(64, WHO), error_messages={"required": WHO})
    phone = fields.String(required=True, validate=[words(32, PHONE), validate.Regexp(r"^[0-9+\- ]{5,32}$", error=PHONE)],
                          error_messages={"required": PHONE})
    purpose = fields.String(required=True, validate=words(200, WHY), error_messages={"required": WHY})
    lent_at = fields.AwareDateTime(required=True)
    expected_return = fields.Date(required=True, error_messages={"required": "Say when the key comes back."})
    returned_at = fields.AwareDateTime(allow_none=True, load_default=None)
    returned_count = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(0, 50))
    received_by = fields.Integer(allow_none=True, load_default=None)

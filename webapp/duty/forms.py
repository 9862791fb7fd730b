"""The duty desk's HTML forms (messages in the user's language, shown next to the fields)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from ..kernel.fields import TOO_LONG, FormSchema, form_text

MAX_ITEM = 500
SAY_WORK = _l("Say what is left to do.")
SAY_WHY = _l("Say why it may wait for the next shift.")


class ItemForm(FormSchema):
    text = fields.String(required=True, validate=validate.Length(max=MAX_ITEM, error=TOO_LONG),
                         error_messages={"required": SAY_WORK, "null": SAY_WORK})
    important = fields.Boolean(load_default=False, truthy={"1", "on", "true"}, falsy={"", "0", "off", "false"})


class CarryForm(FormSchema):
    note = fields.String(required=True, validate=validate.Length(max=MAX_ITEM, error=TOO_LONG), error_messages={"required": SAY_WHY, "null": SAY_WHY})


class SignForm(FormSchema):
    incoming = form_text(64, required=True)
    incoming_password = form_text(200, required=True)
    outgoing_password = form_text(200, required=True)
    anomalies = form_text(2000)
    explanation = form_text(2000)

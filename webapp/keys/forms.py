"""The key memo form (messages in the user's language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from ..kernel.fields import FormSchema, form_text
from .models import MemoKind

CHOOSE_KIND = _l("Say whether the key was lost or damaged.")


class MemoForm(FormSchema):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in MemoKind], error=CHOOSE_KIND),
                         error_messages={"required": CHOOSE_KIND, "null": CHOOSE_KIND})
    what = form_text(2000, required=True)
    supervisor_told = fields.Boolean(load_default=False, truthy={"1", "on"}, falsy={"", "0"})
    owner_consent = fields.Boolean(load_default=False, truthy={"1", "on"}, falsy={"", "0"})
    action = form_text(500)
    result = form_text(1000)

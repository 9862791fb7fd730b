"""The area forms as marshmallow schemas: explicit fields, unknown=RAISE, messages in the user's
language; read with webapp.kernel.forms.load_form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from ..kernel.fields import NUMBER, RANGE, REQUIRED, WHOLE, FormSchema, form_text, whole_number
from .models import KeyLocationKind


class AreaSchema(FormSchema):
    code = form_text(16, required=True)
    name = form_text(64, required=True)
    description = form_text(2000)
    building_ids = fields.List(fields.Integer(validate=validate.Range(1, 2**31 - 1, error=RANGE),
                                              error_messages={"invalid": WHOLE}), load_default=list)


class KeyLocationSchema(FormSchema):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in KeyLocationKind],
                                                                error=_l("Choose a kind.")),
                         error_messages={"null": REQUIRED, "required": REQUIRED})
    name = form_text(128, required=True)
    building_id = whole_number(1, 2**31 - 1)
    floor = whole_number(-10, 200)
    description = form_text(2000)


class RowSchema(FormSchema):
    """One area's line of the assignment table (R-AREA-2)."""

    officer_id = whole_number(1, 2**31 - 1)
    scope = form_text(2000)
    household_count = whole_number(0, 100_000)
    floor_area_m2 = fields.Float(allow_none=True, load_default=None, validate=validate.Range(0, 10_000_000, error=RANGE),
                                 error_messages={"invalid": NUMBER, "special": NUMBER})
    difficulty = whole_number(1, 5)


AREA, KEY_LOCATION, ROW = AreaSchema(), KeyLocationSchema(), RowSchema()

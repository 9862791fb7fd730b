"""The estate form (项目设置) as a marshmallow schema: explicit fields, unknown=RAISE, messages in the
user's language; read with webapp.kernel.forms.load_form."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from ..kernel.fields import REQUIRED, FormSchema, form_text


class EstateKind(enum.StrEnum):
    RESIDENTIAL = "residential"
    MALL = "mall"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {EstateKind.RESIDENTIAL: _l("Residential estate"), EstateKind.MALL: _l("Shopping mall")}

# The zones an estate may keep its days in, as the form offers them (IANA names).
TIME_ZONES = {
    "Asia/Shanghai": _l("China (Beijing time)"),
    "Asia/Urumqi": _l("Urumqi (Xinjiang time)"),
    "Asia/Hong_Kong": _l("Hong Kong"),
    "Asia/Macau": _l("Macau"),
    "Asia/Taipei": _l("Taipei"),
    "Asia/Singapore": _l("Singapore"),
    "Asia/Kuala_Lumpur": _l("Kuala Lumpur"),
}

# Letters, digits and dashes: the code is typed in commands (`import-estate --estate JXHY`) and files.
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{1,31}$"


def _choice(options, error) -> fields.String:
    return fields.String(required=True, validate=validate.OneOf(list(options), error=error),
                         error_messages={"null": REQUIRED, "required": REQUIRED})


class EstateSchema(FormSchema):
    name = form_text(128, required=True)
    code = fields.String(required=True, error_messages={"null": REQUIRED, "required": REQUIRED},
                         validate=validate.Regexp(CODE_PATTERN, error=_l(
                             "2 to 32 letters, digits or dashes, e.g. JXHY.")))
    kind = _choice([k.value for k in EstateKind], _l("Choose a kind."))
    address = form_text(256)
    time_zone = _choice(TIME_ZONES, _l("Choose a time zone from the list."))


NEW_ESTATE = EstateSchema()
ESTATE = EstateSchema(exclude=("code",))  # the code is fixed once the estate exists

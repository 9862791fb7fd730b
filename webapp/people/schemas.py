"""The people forms as marshmallow schemas (explicit fields, unknown=RAISE); read with
webapp.kernel.forms.load_form, which returns (valid data, errors by field name).

Phones are read by the kernel's parser (webapp.kernel.parsers.parse_phone, as households' are): mobiles are kept
as 11 digits, landlines as "021-58881234". Passwords are not read here: spaces in them are kept.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from ..kernel.fields import REQUIRED, FormSchema, form_text
from ..kernel.parsers import Invalid, parse_phone
from ..kernel.roles import Role, Team

MOBILE = re.compile(r"1\d{10}")
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
MIN_PASSWORD = 8


class Phone(fields.String):
    """A phone number as parse_phone reads it; `mobile` accepts only a mainland mobile number."""

    def __init__(self, mobile: bool = False, **kwargs):
        super().__init__(allow_none=True, load_default=None, **kwargs)
        self.mobile = mobile

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            phone = parse_phone(super()._deserialize(value, attr, data, **kwargs))
        except Invalid as exc:
            raise ValidationError(exc.message) from None
        if self.mobile and phone and not MOBILE.fullmatch(phone):
            raise ValidationError(str(_l("Enter an 11-digit mobile number starting with 1.")))
        return phone


class Username(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        name = super()._deserialize(value, attr, data, **kwargs).lower()
        if not USERNAME.fullmatch(name):
            raise ValidationError(str(_l("2 to 32 lowercase letters, digits, dots, dashes or underscores, "
                                         "starting with a letter or digit.")))
        return name


class ContactsSchema(FormSchema):
    """What the lobby card shows besides the photo (R-AREA-4); everyone edits their own on 我的."""

    mobile = Phone(mobile=True)
    work_phone = Phone()


class PersonSchema(ContactsSchema):
    display_name = form_text(64, required=True)
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in Role], error=_l("Choose a role.")),
                         error_messages={"null": REQUIRED, "required": REQUIRED})
    team = fields.String(allow_none=True, load_default=None,
                         validate=validate.OneOf([t.value for t in Team], error=_l("Choose a team.")))
    estate_ids = fields.List(fields.Integer(error_messages={"invalid": _l("Choose an estate from the list.")}),
                             load_default=list)

    @validates_schema(skip_on_field_errors=False)
    def team_and_estates(self, data, **kwargs):
        if data.get("role") == Role.TEAM and not data.get("team"):
            raise ValidationError(str(_l("Choose the team this person works in.")), "team")
        if data.get("role") not in (None, Role.ADMIN) and not data.get("estate_ids"):
            raise ValidationError(str(_l("Choose at least one estate.")), "estate_ids")


class NewPersonSchema(PersonSchema):
    username = Username(required=True, error_messages={"null": REQUIRED, "required": REQUIRED})


CONTACTS, PERSON, NEW_PERSON = ContactsSchema(), PersonSchema(), NewPersonSchema()


def password_errors(password: str, name: str = "password") -> dict[str, list[str]]:
    if len(password) < MIN_PASSWORD:
        return {name: [str(_l("The new password needs at least 8 characters."))]}
    return {}

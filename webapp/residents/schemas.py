"""Visits and cases as they cross the sync boundary (explicit fields, unknown=RAISE; English messages,
translated in residents.po). Creates load complete; updates load partial=True."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from ..kernel.fields import FormSchema, Strict, form_text, one_of, photo_list, text
from ..kernel.roles import Team
from .models import CaseSource, CaseStatus, CaseType, CheckResult, Urgency, VisitKind

MAX_OPINIONS = 20
DESCRIBE = "Say what the resident raised."
TYPE = "Choose what kind of matter this is."
CHOOSE_RESULT = _l("Choose what the household said.")


def has_words(value: str) -> None:
    if not value.strip():
        raise ValidationError(DESCRIBE)


class OpinionSchema(Strict):
    """One opinion voiced on a visit, classified (R-VIS-5): it becomes a case."""

    type = fields.String(required=True, validate=one_of(CaseType, TYPE))
    text = fields.String(required=True, validate=[validate.Length(min=1, max=2000, error=DESCRIBE), has_words])
    warranty = fields.Boolean(load_default=False)
    escalate = fields.Boolean(load_default=False)  # "I cannot handle this": to the supervisor at once
    urgency = fields.String(load_default=Urgency.NORMAL.value, validate=one_of(Urgency, "Not an urgency."))


def _messages(errors) -> list[str]:
    if isinstance(errors, dict):
        return [m for v in errors.values() for m in _messages(v)]
    if isinstance(errors, list):
        return [m for v in errors for m in _messages(v)]
    return [str(errors)]


class Opinions(fields.List):
    """The opinions of a visit (a list: a form sends it as JSON); what is wrong with one is said plainly,
    not by its position in the list."""

    def __init__(self, **kwargs):
        super().__init__(fields.Raw(), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise ValidationError("Not a list of opinions.")
        if len(value) > MAX_OPINIONS:
            raise ValidationError("At most 20 opinions per visit.")
        try:
            return OpinionSchema(many=True).load(value)
        except ValidationError as error:
            raise ValidationError(list(dict.fromkeys(_messages(error.messages)))) from error


class VisitSchema(Strict):
    area_id = fields.Integer(required=True, error_messages={"required": "Choose a household."})
    household_id = fields.Integer(required=True, error_messages={"required": "Choose a household."})
    kind = fields.String(load_default=VisitKind.HOME.value, validate=one_of(VisitKind, "Not a kind of visit."))
    visited_at = fields.AwareDateTime(required=True)
    nobody_home = fields.Boolean(load_default=False)
    met = text(64, "Write at most 64 characters.", load_default="")
    discussed = text(2000, "Write at most 2000 characters.", load_default="")
    satisfaction = fields.Integer(allow_none=True, load_default=None,
                                  validate=validate.Range(1, 5, error="Choose how satisfied the resident is."))
    opinions = Opinions(load_default=list)
    photo_ids = photo_list()
    round_id = fields.UUID(allow_none=True, load_default=None)

    @validates_schema
    def nobody_home_is_a_home_visit(self, data, **kwargs):
        if data.get("nobody_home") and (data.get("kind") == VisitKind.PHONE or data.get("opinions")):
            raise ValidationError("Nobody was home: record a phone visit instead.", "nobody_home")


class CaseSchema(Strict):
    area_id = fields.Integer(required=True)
    household_id = fields.Integer(allow_none=True, load_default=None)
    unit_id = fields.Integer(allow_none=True, load_default=None)
    place = text(128, "Write at most 128 characters.", load_default="")
    type = fields.String(required=True, validate=one_of(CaseType, TYPE))
    description = fields.String(required=True,
                                validate=[validate.Length(min=1, max=2000, error=DESCRIBE), has_words])
    photo_ids = photo_list()
    urgency = fields.String(load_default=Urgency.NORMAL.value, validate=one_of(Urgency, "Not an urgency."))
    warranty = fields.Boolean(load_default=False)
    source = fields.String(load_default=CaseSource.FIELD.value, validate=one_of(CaseSource, "Not a source."))
    visit_id = fields.UUID(allow_none=True, load_default=None)
    team = fields.String(allow_none=True, load_default=None, validate=one_of([t.value for t in Team], "Choose a team."))
    handler_id = fields.Integer(allow_none=True, load_default=None)
    escalated = fields.Boolean(load_default=False)
    status = fields.String(load_default=CaseStatus.RECEIVED.value, validate=one_of(CaseStatus, "Not a status."))
    status_note = text(2000, "Write at most 2000 characters.", load_default="")
    received_on = fields.Date(required=True)
    due_on = fields.Date(required=True)

    @validates_schema
    def somewhere(self, data, partial=False, **kwargs):
        if not partial and not (data.get("household_id") or data.get("unit_id") or data.get("place")):
            raise ValidationError("Say which household, unit or place this is about.", "place")


class CaseEventSchema(Strict):
    case_id = fields.UUID(required=True)
    area_id = fields.Integer(required=True)
    status = fields.String(allow_none=True, load_default=None, validate=one_of(CaseStatus, "Not a status."))
    note = text(2000, "Write at most 2000 characters.", load_default="")


class CheckForm(FormSchema):
    """The desk's result of re-contacting a household (R-SUP-2)."""

    result = fields.String(required=True, validate=validate.OneOf([r.value for r in CheckResult], error=CHOOSE_RESULT),
                           error_messages={"required": CHOOSE_RESULT, "null": CHOOSE_RESULT})
    note = form_text(500)
    month = form_text(7, required=True)


class HandledForm(FormSchema):
    """The supervisor's word on a disputed visit once looked into (R-SUP-2)."""

    note = form_text(500, required=True)

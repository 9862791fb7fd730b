"""Patrol records as they cross the sync boundary (explicit fields, unknown=RAISE; English messages,
translated in patrol.po). Creates load complete; updates load partial=True."""

from __future__ import annotations

import uuid

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from sync.messages import NESTED_TOO_DEEPLY
from sync.wirejson import MAX_DEPTH

from .models import EmergencyKind, FindingStatus, Purpose, RoundKind, StartMethod, Team

MAX_PHOTOS = 6
MAX_CHECKS = 200
TEAMS = [t.value for t in Team]


def one_of(values, error: str):
    return validate.OneOf([str(v) for v in values], error=error)


def photo_list(**kwargs):
    return fields.List(fields.UUID(), load_default=list,
                       validate=validate.Length(max=MAX_PHOTOS, error="At most 6 photos."), **kwargs)


def text(max_len: int, error: str, **kwargs):
    return fields.String(validate=validate.Length(max=max_len, error=error), **kwargs)


def latitude():
    return fields.Float(allow_none=True, load_default=None,
                        validate=validate.Range(-90, 90, error="Not a valid position."))


def longitude():
    return fields.Float(allow_none=True, load_default=None,
                        validate=validate.Range(-180, 180, error="Not a valid position."))


def accuracy():
    return fields.Float(allow_none=True, load_default=None,
                        validate=validate.Range(0, 100000, error="Not a valid position accuracy."))


def both_or_neither(data: dict) -> None:
    """A position is a pair: a latitude without its longitude (or the reverse) is no position."""
    if (data.get("latitude") is None) != (data.get("longitude") is None):
        missing = "longitude" if data.get("longitude") is None else "latitude"
        raise ValidationError("Give both latitude and longitude, or neither.", missing)


class Strict(Schema):
    class Meta:
        unknown = RAISE

    def load(self, data, *args, **kwargs):
        return _strings(super().load(data, *args, **kwargs))


def _strings(value, depth: int = 0):
    """UUIDs back to strings, text trimmed: the values are stored as JSON and compared as text. A
    free-form value (a finding's `item`) nested beyond what any record holds is refused, not recursed."""
    if isinstance(value, dict | list) and depth > MAX_DEPTH:
        raise ValidationError(NESTED_TOO_DEEPLY)
    if isinstance(value, dict):
        return {k: _strings(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v, depth + 1) for v in value]
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


class CheckSchema(Strict):
    """One item of a round: OK or defect; a defect needs a note (R-PAT-4), photos optional."""

    item_id = fields.Integer(required=True, strict=True)
    result = fields.String(required=True, validate=one_of(("ok", "defect"), "Choose OK or defect."))
    note = text(1000, "Write at most 1000 characters.", load_default="")
    photo_ids = photo_list()
    team = fields.String(allow_none=True, load_default=None, validate=one_of(TEAMS, "Choose a team."))
    resident_impact = fields.Boolean(load_default=False)

    @validates_schema
    def defect_needs_a_note(self, data, **kwargs):
        if data.get("result") == "defect" and not (data.get("note") or "").strip():
            raise ValidationError("A defect needs a note: say what is wrong.", "note")


class PatrolRoundSchema(Strict):
    area_id = fields.Integer(required=True)
    key_location_id = fields.Integer(allow_none=True, load_default=None)
    kind = fields.String(load_default=RoundKind.KEY.value, validate=one_of(RoundKind, "Not a kind of round."))
    purpose = fields.String(load_default=Purpose.PATROL.value, validate=one_of(Purpose, "Not a purpose of round."))
    start_method = fields.String(load_default=StartMethod.MANUAL.value,
                                 validate=one_of(StartMethod, "Not a way of starting a round."))
    started_at = fields.AwareDateTime(allow_none=True, load_default=None)
    latitude = latitude()
    longitude = longitude()
    accuracy_m = accuracy()
    checks = fields.List(fields.Nested(CheckSchema), required=True,
                         validate=validate.Length(min=1, max=MAX_CHECKS,
                                                  error="Tick at least one item: a round without checks is not recorded."))
    verified_finding_ids = fields.List(fields.UUID(), load_default=list)
    note = text(2000, "Write at most 2000 characters.", allow_none=True, load_default=None)
    corrects_id = fields.UUID(allow_none=True, load_default=None)

    @validates_schema
    def position_is_a_pair(self, data, **kwargs):
        both_or_neither(data)

    @validates_schema
    def place_matches_kind(self, data, **kwargs):
        if data.get("kind", "key") == RoundKind.KEY and not data.get("key_location_id"):
            raise ValidationError("Choose the key location of this round.", "key_location_id")
        if data.get("kind") == RoundKind.FULL and data.get("key_location_id"):
            raise ValidationError("A full round covers the whole area, not one location.", "key_location_id")


class FindingSchema(Strict):
    area_id = fields.Integer(required=True)
    round_id = fields.UUID(required=True)
    key_location_id = fields.Integer(allow_none=True, load_default=None)
    item = fields.Dict(load_default=dict)
    team = fields.String(required=True, validate=one_of(TEAMS, "Choose a team."))
    status = fields.String(load_default=FindingStatus.OPEN.value, validate=one_of(FindingStatus, "Not a status."))
    note = text(1000, "Write at most 1000 characters.", load_default="")
    photo_ids = photo_list()
    resident_impact = fields.Boolean(load_default=False)
    residents_note = text(1000, "Write at most 1000 characters.", allow_none=True, load_default=None)
    assigned_to = fields.Integer(allow_none=True, load_default=None)
    fixed_at = fields.AwareDateTime(allow_none=True, load_default=None)
    fixed_by = fields.Integer(allow_none=True, load_default=None)
    fixed_note = text(1000, "Write at most 1000 characters.", allow_none=True, load_default=None)
    fixed_photo_ids = photo_list()
    verified_at = fields.AwareDateTime(allow_none=True, load_default=None)
    verified_by = fields.Integer(allow_none=True, load_default=None)
    verified_round_id = fields.UUID(allow_none=True, load_default=None)

    @validates_schema
    def a_fix_has_a_photo(self, data, **kwargs):
        # R-PAT-4: the team marks it fixed with a photo of the fix.
        if data.get("status") == FindingStatus.FIXED and not data.get("fixed_photo_ids"):
            raise ValidationError("Add a photo of the fix.", "fixed_photo_ids")


class EmergencySchema(Strict):
    estate_id = fields.Integer(required=True)
    area_id = fields.Integer(allow_none=True, load_default=None)
    key_location_id = fields.Integer(allow_none=True, load_default=None)
    kind = fields.String(required=True, validate=one_of(EmergencyKind, "Choose what happened."))
    place = text(200, "Write at most 200 characters.", allow_none=True, load_default=None)
    description = fields.String(required=True, validate=validate.Length(
        min=1, max=2000, error="Say what is happening (1 to 2000 characters)."))
    photo_ids = photo_list()
    latitude = latitude()
    longitude = longitude()
    acknowledged_at = fields.AwareDateTime(allow_none=True, load_default=None)
    acknowledged_by = fields.Integer(allow_none=True, load_default=None)
    ack_note = text(1000, "Write at most 1000 characters.", allow_none=True, load_default=None)

    @validates_schema
    def position_is_a_pair(self, data, **kwargs):
        both_or_neither(data)

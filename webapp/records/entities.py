"""The daily work record plugs into the sync engine (DESIGN.md: entity registry).

- daily_record: one per officer and local day, its id uuid5(officer, day) (rules.record_id), so the same day
  submitted from two phones is one record: the same words twice are a duplicate, other words a conflict for
  the supervisor, never a second record. Submitting is the create; a change after it is an amendment (an
  update with its reason), and every version is kept beside the original (daily_record_versions, written in
  the push's own transaction). Filed under the officer's area (`area:<id>`): the same people read it as read
  the work it assembles (the officer, the estate's desk roles).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from sync.registry import EntitySpec
from sync.store import utcnow

from ..areas.public import area_name
from ..auth.public import person_name
from ..kernel.dates import local_date, tz
from ..kernel.labels import EntityWords
from ..kernel.roles import Role
from ..kernel.syncing import register_entity
from . import rules
from .models import DailyRecord, DailyRecordVersion
from .schemas import DailyRecordSchema

ENTITY = "daily_record"
LABELS = {ENTITY: EntityWords(
    _l("Daily work record"),
    fields={"officer_id": _l("Officer"), "area_id": _l("Area"), "day": _l("Day"),
            "notes": _l("What the records do not show"), "follow_up": _l("To follow up"),
            "amend_note": _l("Why amended")},
    values={"officer_id": person_name, "area_id": area_name},
    summary=("day", "officer_id", "notes"),
    url=lambda record_id, values: (url_for("records.day", day=values["day"]) if values.get("day") else None),
)}


def scope_of(values) -> str:
    return f"area:{values['area_id']}"


def can_write(actor, op, old_values, new_values) -> bool:
    """Only an officer keeps a record, their own (R-REC-1; a cover keeps one after leave exists, R-REC-2)."""
    return actor.role == Role.OFFICER and op in {"create", "update"} and (new_values or {}).get("officer_id") == actor.user_id


def check(session, actor, proposals) -> dict:
    today = local_date(utcnow(), tz())
    return {i: ("rejected", errors) for i, p in enumerate(proposals)
            if (errors := rules.submission_errors(actor.user_id, p.new, p.old, p.record_id, today))}


def keep_versions(session, actor, proposals, derive) -> None:
    """The version each push made, as submitted: the original and every amendment stay readable."""
    for p in proposals:
        session.add(DailyRecordVersion(record_id=p.record_id, version=p.new["version"], notes=p.new.get("notes") or "",
                                       follow_up=p.new.get("follow_up") or "", amend_note=p.new.get("amend_note") or "",
                                       submitted_by=actor.user_id, submitted_at=p.new["updated_at"]))


def register(app) -> None:
    register_entity(app, EntitySpec(name=ENTITY, model=DailyRecord, schema=DailyRecordSchema, scope_of=scope_of,
                                    ops=frozenset({"create", "update"}), can_write=can_write, check=check,
                                    after_apply=keep_versions))

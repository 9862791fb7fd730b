"""A conflict in a supervisor's words: each field by its label, coded values by theirs (team cleaning →
保洁), who made each side and when, the reason in the user's language and a link to the record. The words
come from the entities' EntityWords (kernel.labels), so a new domain's conflicts read plainly for free."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from sync.models import Change, Conflict

from ..auth.public import person_name
from ..extensions import db
from ..kernel.hooks import entity_words
from ..kernel.syncing import translated

RESOLUTIONS = {"device": _l("Kept the phone's version"), "server": _l("Kept the server's version"),
               "edit": _l("Saved an edited version")}


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    server: str
    device: str
    clash: bool


@dataclass(frozen=True)
class Side:
    who: str
    at: datetime | None


def shown(entity: str, name: str, value) -> str:
    """A field's value as a person reads it."""
    value = entity_words(entity).value_label(name, value)
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return _("%(n)d items", n=len(value))
    if isinstance(value, str) and (when := _instant(value)):
        return format_datetime(when, "yyyy-MM-dd HH:mm")
    return value if isinstance(value, str) else str(value)


def _instant(text: str) -> datetime | None:
    if len(text) < 16 or text[4:5] != "-" or "T" not in text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def rows(conflict: Conflict) -> list[Row]:
    words = entity_words(conflict.entity)
    server = conflict.server_fields or {}
    clash = set(conflict.fields_in_conflict or [])
    return [Row(name, words.field_label(name), shown(conflict.entity, name, server.get(name)),
                shown(conflict.entity, name, value), name in clash)
            for name, value in conflict.device_fields.items()]


def which(conflict: Conflict) -> str:
    """Which record: its place, item or first words, from the stored record, else the phone's fields."""
    return entity_words(conflict.entity).which({**conflict.device_fields, **(conflict.server_fields or {})})


def fields_in_words(conflict: Conflict) -> str:
    words = entity_words(conflict.entity)
    return "、".join(words.field_label(name) for name in conflict.fields_in_conflict or [])


def phone_side(conflict: Conflict) -> Side:
    return Side(str(person_name(conflict.user_id)), conflict.created_at)


def server_side(conflict: Conflict) -> Side | None:
    """Who made the version the server holds, from the change log (None for a record not stored yet)."""
    if conflict.server_version is None:
        return None
    change = db.session.scalar(select(Change).where(
        Change.entity == conflict.entity, Change.record_id == conflict.record_id,
        Change.version == conflict.server_version).order_by(Change.seq.desc()).limit(1))
    return Side(str(person_name(change.user_id)), change.changed_at) if change else None


def reason(conflict: Conflict) -> str:
    return translated(conflict.reason)


def record_url(conflict: Conflict) -> str | None:
    words = entity_words(conflict.entity)
    return words.url(conflict.record_id, conflict.server_fields or conflict.device_fields) if words.url else None


def resolution(conflict: Conflict) -> str:
    return str(RESOLUTIONS.get(conflict.resolution, conflict.resolution or ""))

"""Quick notes' part of an officer's daily work record (R-REC-1): what they jotted that local day."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..kernel.dates import day_start_utc
from ..kernel.hooks import DayItem
from .models import QuickNote

NOTE = _l("Quick note")


def day_items(user_id: int, day: date, zone: ZoneInfo) -> list[DayItem]:
    start, end = day_start_utc(day, zone), day_start_utc(day + timedelta(days=1), zone)
    notes = db.session.scalars(
        select(QuickNote).where(QuickNote.created_by == user_id, QuickNote.observed_at >= start,
                                QuickNote.observed_at < end, QuickNote.deleted_at.is_(None))
        .order_by(QuickNote.observed_at).options(joinedload(QuickNote.area), joinedload(QuickNote.key_location)))
    return [DayItem(f"quick_note:{n.id}", NOTE, n.observed_at,
                    " · ".join(p for p in (n.area.name, n.key_location.name if n.key_location else "", n.text) if p),
                    url_for("notes.detail", note_id=n.id)) for n in notes]

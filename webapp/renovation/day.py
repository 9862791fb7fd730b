"""Renovation's part of an officer's daily work record (R-REC-1): the inspections they made that local day,
the violations those raised and the follow-ups' results."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..kernel.dates import day_start_utc
from ..kernel.hooks import DayItem
from .models import Inspection, InspectionKind, Renovation


def inspections_of_day(user_id: int, day: date, zone: ZoneInfo) -> list[Inspection]:
    start, end = day_start_utc(day, zone), day_start_utc(day + timedelta(days=1), zone)
    return list(db.session.scalars(
        select(Inspection).where(Inspection.created_by == user_id, Inspection.observed_at >= start,
                                 Inspection.observed_at < end, Inspection.deleted_at.is_(None))
        .order_by(Inspection.observed_at)
        .options(joinedload(Inspection.renovation).joinedload(Renovation.unit))))


INSPECTION = _l("Renovation inspection")  # a daily one: 装修巡查, not the patrol's 日常巡查


def day_items(user_id: int, day: date, zone: ZoneInfo) -> list[DayItem]:
    return [DayItem(f"renovation_inspection:{i.id}",
                    INSPECTION if i.kind == InspectionKind.DAILY else InspectionKind(i.kind).label, i.observed_at, _line(i),
                    url_for("renovation.detail", renovation_id=i.renovation_id))
            for i in inspections_of_day(user_id, day, zone)]


def _line(done: Inspection) -> str:
    parts = [done.renovation.unit.label]
    if done.violation_text:
        parts.append(_("violation: %(text)s", text=done.violation_text))
    elif done.follow_up_result:
        parts.append(_("put right") if done.follow_up_result == "fixed" else _("not yet put right"))
    elif done.passed is not None:
        parts.append(_("passed") if done.passed else _("not passed"))
    else:
        parts.append(_("%(n)d items not in order", n=len(done.failed)) if done.failed else _("all in order"))
    if done.note:
        parts.append(done.note)
    return " · ".join(parts)

"""The duty log's reads: a day's entries with the corrections of them, one entry with its corrections."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select

from ..extensions import db
from ..kernel.dates import day_start_utc
from .models import DutyEntry

LATEST = 8  # the entries the desk's overview shows


def _live():
    return DutyEntry.deleted_at.is_(None)


def day_entries(estate_id: int, day: date, zone: ZoneInfo) -> list[DutyEntry]:
    """The entries of one local day, in the order they happened, and every correction of them (R-DUTY-1: a
    correction is shown beside the entry it corrects, whatever day it was written)."""
    start, end = day_start_utc(day, zone), day_start_utc(day + timedelta(days=1), zone)
    of_day = select(DutyEntry.id).where(DutyEntry.estate_id == estate_id, DutyEntry.occurred_at >= start,
                                        DutyEntry.occurred_at < end, _live())
    return list(db.session.scalars(select(DutyEntry).where(
        DutyEntry.estate_id == estate_id, _live(),
        or_(DutyEntry.id.in_(of_day), DutyEntry.corrects_id.in_(of_day)))
        .order_by(DutyEntry.occurred_at, DutyEntry.seq)))


def corrections_of(entry_ids) -> list[DutyEntry]:
    ids = list(entry_ids)
    if not ids:
        return []
    return list(db.session.scalars(select(DutyEntry).where(DutyEntry.corrects_id.in_(ids), _live())
                                   .order_by(DutyEntry.seq)))


def latest(estate_id: int, limit: int = LATEST) -> list[DutyEntry]:
    return list(db.session.scalars(select(DutyEntry).where(DutyEntry.estate_id == estate_id, _live())
                                   .order_by(DutyEntry.seq.desc()).limit(limit)))


def count_since(estate_id: int, since) -> int:
    return db.session.scalar(select(func.count()).select_from(DutyEntry).where(
        DutyEntry.estate_id == estate_id, DutyEntry.occurred_at >= since, _live()))

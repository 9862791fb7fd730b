"""Patrol's part of an officer's daily work record (R-REC-1): the rounds they walked that local day and
what each found."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..kernel.dates import day_start_utc
from ..kernel.hooks import DayItem
from .models import Finding, PatrolRound, Purpose

ROUND, SPOT_CHECK = _l("Patrol"), _l("Spot check")


def rounds_of_day(user_id: int, day: date, zone: ZoneInfo) -> list[PatrolRound]:
    start, end = day_start_utc(day, zone), day_start_utc(day + timedelta(days=1), zone)
    return list(db.session.scalars(
        select(PatrolRound).where(PatrolRound.created_by == user_id, PatrolRound.observed_at >= start,
                                  PatrolRound.observed_at < end, PatrolRound.deleted_at.is_(None))
        .order_by(PatrolRound.observed_at).options(joinedload(PatrolRound.area), joinedload(PatrolRound.key_location))))


def day_items(user_id: int, day: date, zone: ZoneInfo) -> list[DayItem]:
    rounds = rounds_of_day(user_id, day, zone)
    ids = [r.id for r in rounds]
    found = Counter(dict(db.session.execute(
        select(Finding.round_id, func.count()).where(Finding.round_id.in_(ids)).group_by(Finding.round_id)).all())
    ) if ids else Counter()
    return [DayItem(f"patrol_round:{r.id}", SPOT_CHECK if r.purpose == Purpose.SPOT_CHECK else ROUND, r.observed_at,
                    _line(r, found[r.id]), url_for("patrol.round_detail", round_id=r.id)) for r in rounds]


def _line(done: PatrolRound, findings: int) -> str:
    place = done.key_location.name if done.key_location else _("the whole area")
    line = f"{done.area.name} · {place}"
    return f"{line} · " + (_("%(n)d problems found", n=findings) if findings else _("all in order"))

"""The deputy supervisor's daily check 值班记录审核 (R-DUTY-3): each day's log read and signed. kernel/roles.py has
no deputy supervisor: the customer service supervisor signs (CHECKERS). A day not signed is an obligation, due by
the end of the next day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import Date, cast, null, select, type_coerce, union_all

from sync.store import UTCDateTime

from ..extensions import db
from ..kernel.dates import day_start_utc, local_date, tz
from ..kernel.hooks import Obligation
from ..kernel.roles import Role
from . import rules
from .models import DailyCheck, DutyEntry

CHECKERS = frozenset({Role.SUPERVISOR})  # R-DUTY-3's deputy supervisor: no such role, the supervisor signs


def log_began_and_signed(estate_id: int, since: date) -> tuple[date | None, set[date], ZoneInfo]:
    """When the estate's log began (its first entry's local day) and the days signed since `since`: one query
    (the supervisor's overview asks it on every visit)."""
    first = select(cast(null(), Date).label("day"),
                   type_coerce(select(DutyEntry.occurred_at).where(DutyEntry.estate_id == estate_id)
                               .order_by(DutyEntry.occurred_at).limit(1).scalar_subquery(), UTCDateTime()).label("at"))
    signed = select(DailyCheck.day, cast(null(), UTCDateTime())).where(DailyCheck.estate_id == estate_id,
                                                                       DailyCheck.day >= since)
    began, days, zone = None, set(), tz()
    for day, at in db.session.execute(union_all(first, signed)):
        if at is not None:
            began = local_date(at, zone)
        elif day is not None:
            days.add(day)
    return began, days, zone


def unsigned_days(estate_id: int, today: date) -> list[date]:
    began, signed, _zone = log_began_and_signed(estate_id, today - timedelta(days=rules.CHECK_BACK))
    return rules.days_to_check(today, began, signed)


def check_obligations(user, estate, now: datetime) -> list[Obligation]:
    if estate is None or user.role not in CHECKERS:
        return []
    zone = tz()
    today = local_date(now, zone)
    return [Obligation("duty_check", "R-DUTY-3", _("Duty log of %(day)s: not checked and signed yet", day=day.isoformat()),
                       day_start_utc(day + timedelta(days=2), zone), url_for("duty.check_page"))
            for day in unsigned_days(estate.id, today)]


def day_counts(estate_id: int, first: date, last: date, zone: ZoneInfo) -> dict[date, int]:
    """Entries a local day, from `first` to `last` (a week: read and counted here)."""
    found: dict[date, int] = {}
    for at in db.session.scalars(select(DutyEntry.occurred_at).where(
            DutyEntry.estate_id == estate_id, DutyEntry.deleted_at.is_(None),
            DutyEntry.occurred_at >= day_start_utc(first, zone),
            DutyEntry.occurred_at < day_start_utc(last + timedelta(days=1), zone))):
        day = local_date(at, zone)
        found[day] = found.get(day, 0) + 1
    return found


def checks_since(estate_id: int, since: date) -> dict[date, DailyCheck]:
    return {c.day: c for c in db.session.scalars(select(DailyCheck).where(
        DailyCheck.estate_id == estate_id, DailyCheck.day >= since))}

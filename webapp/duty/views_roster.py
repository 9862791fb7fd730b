"""The duty roster 值班安排表 (R-DUTY-2): who is on the desk when; the leads add turns."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.public import User, current_estate_or_403, roles_required, user_estates
from ..extensions import db
from ..kernel.dates import day_start_utc, local_date, tz
from ..kernel.parsers import Invalid, parse_date
from ..kernel.roles import DESK, LEADS
from .models import Shift
from .views import bp

DAYS_SHOWN = 7


def desk_people(estate_id: int) -> list[User]:
    return list(db.session.scalars(select(User).join(user_estates, user_estates.c.user_id == User.id).where(
        user_estates.c.estate_id == estate_id, User.role.in_([str(r) for r in DESK]), User.active.is_(True))
        .order_by(User.display_name)))


def shifts_from(estate_id: int, start: datetime, days: int) -> list[Shift]:
    return list(db.session.scalars(select(Shift).where(
        Shift.estate_id == estate_id, Shift.ends_at > start, Shift.starts_at < start + timedelta(days=days))
        .order_by(Shift.starts_at)))


def on_duty(estate_id: int, now: datetime) -> Shift | None:
    return db.session.scalar(select(Shift).where(Shift.estate_id == estate_id, Shift.starts_at <= now,
                                                 Shift.ends_at > now).order_by(Shift.starts_at.desc()).limit(1))


def _page(status=200, errors=None):
    estate = current_estate_or_403()
    today = local_date(datetime.now(UTC), tz())
    return render_template("duty/roster.html", shifts=shifts_from(estate.id, day_start_utc(today, tz()), DAYS_SHOWN),
                           people=desk_people(estate.id), today=today, errors=errors or {},
                           values=request.form), status


@bp.get("/roster")
@roles_required(*DESK)
def roster():
    return _page()


def _clock(raw: str | None) -> time:
    try:
        return time.fromisoformat((raw or "").strip())
    except ValueError:
        raise Invalid(_("Write the time as 08:00.")) from None


@bp.post("/roster")
@roles_required(*LEADS)
def add_shift():
    estate = current_estate_or_403()
    errors = {}
    person = request.form.get("user_id", type=int)
    if person not in {p.id for p in desk_people(estate.id)}:
        errors["user_id"] = [_("Choose someone on the desk.")]
    try:
        day = parse_date(request.form.get("day"))
        if day is None:
            raise Invalid(_("Choose the day."))
    except Invalid as error:
        errors["day"] = [error.message]
    starts = ends = None
    for name in ("starts", "ends"):
        try:
            value = _clock(request.form.get(name))
        except Invalid as error:
            errors[name] = [error.message]
            continue
        if name == "starts":
            starts = value
        else:
            ends = value
    if errors:
        return _page(422, errors)
    start = datetime.combine(day, starts, tz()).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1 if ends <= starts else 0), ends, tz()).astimezone(UTC)
    db.session.add(Shift(estate_id=estate.id, user_id=person, starts_at=start, ends_at=end, created_by=current_user.id))
    db.session.commit()
    return redirect(url_for("duty.roster"))

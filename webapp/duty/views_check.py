"""The daily check page (R-DUTY-3): the past week's days, each with its number of entries, who signed it and when;
the supervisor signs a day after reading it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from sync.store import utcnow

from ..auth.public import current_estate_or_403, roles_required
from ..extensions import db
from ..kernel.dates import local_date, tz
from ..kernel.errors import error_response
from ..kernel.roles import DESK
from . import check, rules
from .models import DailyCheck
from .views import bp


def _days():
    today = local_date(datetime.now(UTC), tz())
    return today, [today - timedelta(days=n) for n in range(1, rules.CHECK_BACK + 1)]


@bp.get("/check")
@roles_required(*DESK)
def check_page():
    estate = current_estate_or_403()
    _today, days = _days()
    return render_template("duty/check.html", days=days, counts=check.day_counts(estate.id, days[-1], days[0], tz()),
                           signed=check.checks_since(estate.id, days[-1]), may_sign=current_user.role in check.CHECKERS)


@bp.post("/check/<day>")
@roles_required(*check.CHECKERS)
def sign_day(day):
    estate = current_estate_or_403()
    _today, days = _days()
    chosen = next((d for d in days if d.isoformat() == day), None)
    if chosen is None:
        abort(404)  # only a past day of the week shown is signed here
    if chosen in check.checks_since(estate.id, chosen):
        return error_response(409, _("This day's log is signed already."))
    note = (request.form.get("note") or "").strip()
    if len(note) > 500:
        return error_response(422, _("Write at most 500 characters."))
    count = check.day_counts(estate.id, chosen, chosen, tz()).get(chosen, 0)
    db.session.add(DailyCheck(estate_id=estate.id, day=chosen, signed_by=current_user.id, signed_at=utcnow(),
                              entries=count, note=note))
    db.session.commit()
    return redirect(url_for("duty.check_page", _anchor=f"d-{chosen.isoformat()}"))

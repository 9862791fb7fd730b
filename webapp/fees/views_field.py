"""The officer's pages, kept on the phone: the chase list of their areas and the chase form of each
debtor (R-FEE-2, R-FEE-4, R-FEE-5)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.public import areas_visible_to, current_estate_or_403, require_area, roles_required
from ..estate.public import Household, Unit
from ..extensions import db
from ..kernel.dates import local_date, tz
from ..kernel.labels import choices
from ..kernel.roles import FIELD, LEADS
from . import chases, queries, rules
from .models import ChaseMethod, ChaseOutcome
from .views import bp

DUE_WORDS = {rules.PHONE: _l("Phone chase"), rules.VISIT: _l("Door-to-door chase"), rules.FOLLOW_UP: _l("Mall follow-up")}


def today():
    return local_date(datetime.now(UTC), tz())


@bp.get("/")
@roles_required(*FIELD)
def index():
    """Who owes what and since when, the last chase, the next one due (overdue first); tap to call."""
    day, estate = today(), current_estate_or_403()
    rows = chases.chase_rows(estate, areas_visible_to(current_user), day, tz())
    latest = queries.latest_list(estate.id)
    check = queries.check_of(estate.id, latest.month) if latest and current_user.has_role(*LEADS) else None
    return render_template("fees/index.html", rows=rows, today=day, latest=latest, check=check, yuan=rules.yuan, due_words=DUE_WORDS,
                           late=sum(1 for r in rows if r.overdue(day)))


@bp.get("/units/<int:unit_id>/chase", defaults={"household_id": 0})
@bp.get("/units/<int:unit_id>/chase/<int:household_id>")
@roles_required(*FIELD)
def chase_form(unit_id: int, household_id: int):
    """Record a chase of this unit (or household): how, what came of it, a note — offline, through the outbox."""
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    if unit.building.area_id is None:
        abort(403)
    require_area(unit.building.area_id)
    household = db.session.get(Household, household_id) if household_id else None
    if household_id and (household is None or household.unit_id != unit.id):
        abort(404)
    return render_template("fees/chase_form.html", unit=unit, household=household,
                           methods=choices(ChaseMethod), outcomes=choices(ChaseOutcome))

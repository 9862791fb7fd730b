"""集中装修期 (R-REN-1): the supervisor puts extra inspectors on several renovating units for a date range,
and takes an assignment off again. Bad input (an inactive or outside person, an overlap with the same
person's range on a unit, a unit not under renovation) → a message, nothing stored."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from sync.store import utcnow

from ..auth.public import User, area_ids_visible_to, roles_required
from ..extensions import db
from ..kernel.roles import LEADS, Role
from . import queries, rules
from .access import renovation_or_403
from .models import ExtraInspector, Renovation
from .views import bp

_date = rules.parse_date


def _chosen(form) -> list[Renovation]:
    """The ticked units; one outside the lead's areas is a 403, not a silent skip."""
    ids = {rid for raw in form.getlist("renovation_ids") if (rid := rules.parse_int(raw))}
    found = db.session.scalars(select(Renovation).where(Renovation.id.in_(ids)).order_by(Renovation.id)).all()
    if len(found) != len(ids) or any(r.area_id not in area_ids_visible_to(current_user) for r in found):
        abort(403)
    return found


def _errors(form, user: User | None, rens: list[Renovation]) -> dict[str, list[str]]:
    first, last = _date(form.get("first_day")), _date(form.get("last_day"))
    user_ok = (user is not None and user.active and user.role in (Role.OFFICER, Role.SUPERVISOR)
               and all(r.estate_id in user.estate_ids for r in rens))
    errors = {k: [_(v)] for k, v in rules.extra_errors(first, last, user_ok, len(rens)).items()}
    if not errors:
        units = [_(msg, unit=r.unit.label) for r in rens
                 if (msg := rules.extra_unit_error(queries.period_of(r), first, last, queries.extra_ranges(user.id, r.id)))]
        errors.update({"renovation_ids": units} if units else {})
    return errors


def _page(errors: dict, preselected: set[int], ren: Renovation | None = None):
    area_ids = area_ids_visible_to(current_user)
    day = queries.today(utcnow())
    return render_template("renovation/extra.html", errors=errors, form=request.form, ren=ren, preselected=preselected,
                           groups=queries.by_area(queries.renovations_in(area_ids, rules.DUE_STATUSES)),
                           people=queries.inspectors_for(ren.estate_id if ren else None, area_ids),
                           assigned=queries.assignments(area_ids, day, ren.id if ren else None), today=day), \
        422 if errors else 200


@bp.route("/extra", methods=["GET", "POST"])
@bp.route("/<int:renovation_id>/extra", methods=["GET", "POST"])
@roles_required(*LEADS)
def extra(renovation_id=None):
    """Several units, one person, one date range; the unit's own page preselects it."""
    ren = renovation_or_403(renovation_id) if renovation_id else None
    if request.method == "GET":
        return _page({}, {ren.id} if ren else set(), ren)
    rens, user = _chosen(request.form), db.session.get(User, rules.parse_int(request.form.get("user_id")) or 0)
    errors = _errors(request.form, user, rens)
    if errors:
        return _page(errors, {r.id for r in rens}, ren)
    first, last = _date(request.form["first_day"]), _date(request.form["last_day"])
    db.session.add_all(ExtraInspector(renovation_id=r.id, user_id=user.id, first_day=first, last_day=last,
                                      created_by=current_user.id) for r in rens)
    db.session.commit()
    flash(_("%(name)s assigned to %(n)d units.", name=user.display_name, n=len(rens)), "success")
    return redirect(url_for("renovation.extra", renovation_id=renovation_id))


@bp.post("/extra/<int:extra_id>/remove")
@roles_required(*LEADS)
def remove_extra(extra_id):
    found = db.session.get(ExtraInspector, extra_id)
    if found is None:
        abort(404)
    renovation_or_403(found.renovation_id)
    db.session.delete(found)
    db.session.commit()
    flash(_("Assignment removed."), "success")
    back = rules.parse_int(request.form.get("renovation_id"))
    return redirect(url_for("renovation.extra", renovation_id=back))

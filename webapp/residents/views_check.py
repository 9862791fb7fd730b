"""The front desk's check of the visits (R-SUP-2): the month's sample by officer, each household re-contacted
and its answer recorded; the sample printed on A4 and exported as XLSX."""

from __future__ import annotations

import io

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook
from sqlalchemy import select

from ..areas.public import officers_by_area
from ..auth.public import User, areas_visible_to, current_estate_or_403, require_area, roles_required
from ..extensions import db
from ..kernel.dates import tz
from ..kernel.forms import load_form
from ..kernel.labels import choices
from ..kernel.roles import DESK, LEADS
from . import checks, edits, queries
from .models import CheckResult
from .schemas import CheckForm, HandledForm
from .views import bp
from .views_field import today


def _sample(month_text: str | None):
    estate = current_estate_or_403()
    year, month = checks.month_of(month_text, today())
    areas = [a.id for a in areas_visible_to(current_user) if a.estate_id == estate.id]
    drawn = checks.sample(estate, areas, year, month)
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([s.officer_id for s in drawn])))}
    results = queries.checks_of(v.id for s in drawn for v in s.visits)
    return estate, f"{year}-{month:02d}", drawn, people, results


def _page(status: int = 200, errors=None, posted=None):
    estate, month, drawn, people, results = _sample(request.values.get("month"))
    return render_template("residents/check.html", month=month, drawn=drawn, people=people, results=results,
                           outcomes=choices(CheckResult), errors=errors or {}, posted=posted, leads=LEADS,
                           officers=officers_by_area(estate.id)), status


@bp.get("/check")
@roles_required(*DESK)
def check():
    return _page()


@bp.post("/check/<uuid:visit_id>")
@roles_required(*DESK)
def record_check(visit_id):
    estate, month, drawn, _people, _results = _sample(request.form.get("month"))
    visit = next((v for s in drawn for v in s.visits if v.id == str(visit_id)), None)
    if visit is None:
        abort(404)  # not in this month's sample of the desk's estate
    values, errors = load_form(CheckForm(), request.form)
    if errors:
        return _page(422, {str(visit_id): [m for ms in errors.values() for m in ms]}, str(visit_id))
    edits.record_check(estate.id, visit, month, values["result"], values.get("note") or "", current_user.id)
    db.session.commit()
    return redirect(url_for("residents.check", month=month, _anchor=f"v-{visit.id}"))


@bp.post("/check/<uuid:visit_id>/handled")
@roles_required(*LEADS)
def handle_dispute(visit_id):
    """The supervisor has looked into a disputed visit (R-SUP-2): it leaves their list, with their note."""
    estate, found = current_estate_or_403(), queries.checks_of([str(visit_id)]).get(str(visit_id))
    if found is None or found.estate_id != estate.id or found.result != CheckResult.DISPUTED:
        abort(404)
    require_area(found.visit.area_id)
    values, errors = load_form(HandledForm(), request.form)
    if errors:
        return _page(422, {f"handled-{visit_id}": [m for ms in errors.values() for m in ms]}, str(visit_id))
    edits.handle_dispute(found, values["note"], current_user.id)
    db.session.commit()
    return redirect(url_for("residents.check", month=found.month, _anchor=f"v-{visit_id}"))


@bp.get("/check/print")
@roles_required(*DESK)
def check_print():
    estate, month, drawn, people, results = _sample(request.args.get("month"))
    return render_template("residents/check_print.html", estate=estate, month=month, drawn=drawn, people=people,
                           results=results)


@bp.get("/check.xlsx")
@roles_required(*DESK)
def check_xlsx():
    estate, month, drawn, people, results = _sample(request.args.get("month"))
    book = Workbook()
    sheet = book.active
    sheet.title = month
    sheet.append([_("Officer"), _("Visited"), _("Kind of visit"), _("Household"), _("Phone"), _("Result"), _("Note")])
    for sample in drawn:
        for v in sample.visits:
            found = results.get(v.id)
            sheet.append([people[sample.officer_id].display_name if sample.officer_id in people else "",
                          v.visited_at.astimezone(tz()).strftime("%Y-%m-%d %H:%M"), v.kind_label,
                          f"{v.household.unit.label} {v.household.name}", v.household.phone or "",
                          found.result_label if found else "", found.note if found else ""])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return send_file(out, as_attachment=True, download_name=f"visit-check-{estate.code}-{month}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

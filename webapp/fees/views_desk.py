"""Finance's and the leads' pages: the months' lists, importing one (R-FEE-1), a month's snapshot, the
monthly long-term arrears table, printable and as XLSX, and finance's confirmation of it (R-FEE-3)."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook

from sync.store import utcnow

from ..auth.public import area_ids_visible_to, areas_visible_to, current_estate_or_403, roles_required
from ..estate.public import ImportRejected, read_upload
from ..extensions import db
from ..kernel.dates import local_date, tz
from ..kernel.roles import FEES_DESK, Role
from ..policies.public import policy
from . import charts, importer, long_term, queries, rules
from .models import LongTermCheck
from .views import bp


@bp.route("/lists", methods=["GET", "POST"])
@roles_required(*FEES_DESK)
def lists():
    estate = current_estate_or_403()
    if request.method == "GET":
        return _lists_page(estate, rules.month_key(local_date(utcnow(), tz())))
    month = request.form.get("month", "")
    try:
        month = importer.parse_month(month)
        result = importer.import_list(estate, month, *read_upload(request.files.get("file")), user_id=current_user.id)
    except ImportRejected as exc:
        return _lists_page(estate, month, problem=exc.message), exc.status
    if result.errors:
        return _lists_page(estate, month, result=result), 422
    db.session.commit()
    flash(result.message, "success")
    return redirect(url_for("fees.month", month=month))


def _lists_page(estate, month, **extra):
    return render_template("fees/lists.html", lists=queries.lists_of(estate.id), month=month, **extra)


@bp.get("/lists/template.csv")
@roles_required(*FEES_DESK)
def list_template():
    return send_file(importer.template_file(), mimetype="text/csv; charset=utf-8", as_attachment=True,
                     download_name="欠费清单模板.csv")


@bp.get("/lists/<month>")
@roles_required(*FEES_DESK)
def month(month: str):
    estate = current_estate_or_403()
    found = queries.list_of(estate.id, month)
    if found is None:
        abort(404)
    rows = queries.rows_of(found.id, area_ids_visible_to(current_user))
    return render_template("fees/month.html", arrears_list=found, rows=rows,
                           total=sum(r.amount_fen for r in rows), yuan=rules.yuan)


CONFIRMERS = (Role.FINANCE,)  # R-FEE-3: checked against finance's books
TABLE_READERS = FEES_DESK | {Role.OFFICER}  # R-FEE-3: the officer draws it up, finance checks it, the supervisor reads it


def _long_term(month: str):
    estate = current_estate_or_403()
    found = queries.list_of(estate.id, month)
    if found is None:
        abort(404)
    areas = [a for a in areas_visible_to(current_user) if a.estate_id == estate.id]
    return estate, found, long_term.table(found, areas, tz()), queries.check_of(estate.id, month)


@bp.get("/long-term/<month>")
@roles_required(*TABLE_READERS)
def long_term_table(month: str):
    estate, found, tables, check = _long_term(month)
    return render_template("fees/long_term.html", estate=estate, arrears_list=found, tables=tables, check=check,
                           yuan=rules.yuan, may_confirm=current_user.has_role(*CONFIRMERS),
                           threshold=policy(estate.id, "long_term_arrears_months"))


@bp.post("/long-term/<month>/confirm")
@roles_required(*CONFIRMERS)
def confirm_long_term(month: str):
    estate, found, _tables, check = _long_term(month)
    if check is None:
        db.session.add(LongTermCheck(estate_id=estate.id, month=month, confirmed_by=current_user.id,
                                     note=(request.form.get("note") or "").strip()[:500]))
        db.session.commit()
        flash(_("The long-term arrears table of %(month)s is confirmed against finance's books.", month=month), "success")
    return redirect(url_for("fees.long_term_table", month=month))


@bp.get("/long-term/<month>.xlsx")
@roles_required(*TABLE_READERS)
def long_term_xlsx(month: str):
    estate, found, tables, check = _long_term(month)
    book = Workbook()
    sheet = book.active
    sheet.title = month
    sheet.append([_("Area"), _("Unit"), _("Household"), _("Months owed"), _("Amount (¥)"), _("Chases this month"),
                  _("Latest outcome"), _("Promised to pay by")])
    for t in tables:
        for r in t.rows:
            sheet.append([t.area.name, r.unit_label, r.name, r.months_owed, r.amount_fen / 100,
                          "、".join(f"{k} {n}" for k, n in r.tally.items()), r.outcome,
                          r.promise.promised_on.isoformat() if r.promise else ""])
    if check is not None:
        sheet.append([])
        sheet.append([_("Confirmed by finance"), check.confirmer.display_name,
                      check.confirmed_at.astimezone(tz()).strftime("%Y-%m-%d %H:%M")])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return send_file(out, as_attachment=True, download_name=f"long-term-arrears-{estate.code}-{month}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/glance")
@roles_required(*FEES_DESK)
def glance():
    """Arrears by area and month, and recovery, as charts that read at phone width (issue 13, 4)."""
    estate = current_estate_or_403()
    areas = [a for a in areas_visible_to(current_user) if a.estate_id == estate.id]
    found = charts.glance(queries.debts_by_month(estate.id, [a.id for a in areas], charts.SHOWN + 1), areas,
                          policy(estate.id, "long_term_arrears_months"))
    return render_template("fees/glance.html", charts=found, words=charts.words())

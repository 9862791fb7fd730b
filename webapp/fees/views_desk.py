"""Finance's and the leads' pages: the months' lists, importing one (R-FEE-1), a month's snapshot."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from sync.store import utcnow

from ..auth.public import area_ids_visible_to, current_estate_or_403, roles_required
from ..estate.public import ImportRejected, read_upload
from ..extensions import db
from ..kernel.dates import local_date, tz
from ..kernel.roles import FEES_DESK
from . import importer, queries, rules
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

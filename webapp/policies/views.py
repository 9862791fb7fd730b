"""Per-estate policy settings: every threshold of PROCEDURES.md, edited by the manager, with its history."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.public import User, current_estate_or_403, roles_required
from ..extensions import db
from ..kernel.htmx import render
from ..kernel.roles import LEADS, MANAGERS
from .catalogue import BY_KEY, SETTINGS
from .models import PolicyChange
from .rules import change, grouped, policies, validate_all

bp = Blueprint("policies", __name__, url_prefix="/policies")

EDITORS = MANAGERS
PER_PAGE = 20


@bp.get("/")
@roles_required(*LEADS)
def index():
    estate = current_estate_or_403()
    return _page(estate, policies(estate.id), {})


@bp.post("/")
@roles_required(*EDITORS)
def save():
    estate = current_estate_or_403()
    values, errors = validate_all(request.form)
    if errors:
        return _page(estate, request.form.to_dict(), errors, 422)
    changed = sum(change(estate.id, key, value, current_user.id) for key, value in values.items())
    db.session.commit()
    flash(_("Settings changed: %(n)d.", n=changed), "success" if changed else "info")
    return redirect(url_for("policies.index"))


@bp.get("/history")
@roles_required(*LEADS)
def history():
    estate = current_estate_or_403()
    page = db.paginate(
        select(PolicyChange).where(PolicyChange.estate_id == estate.id)
        .order_by(PolicyChange.changed_at.desc(), PolicyChange.id.desc()),
        per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False,
    )
    ids = {c.changed_by for c in page.items}
    names = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()) if ids else {}
    return render("policies/history.html", "policies/_history.html", estate=estate, changes=page, names=names,
                  settings=BY_KEY)


def _page(estate, values, errors, status=200):
    return render_template(
        "policies/index.html", estate=estate, values=values, errors=errors, current=policies(estate.id),
        groups=grouped(SETTINGS), can_edit=current_user.has_role(*EDITORS),
    ), status

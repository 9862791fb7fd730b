"""Checklist templates (R-PAT-2, R-PAT-3): seeded defaults, edited by supervisors; every edit is a new
version, so a round always shows the items it was done with."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..areas.public import Area, KeyLocation, KeyLocationKind
from ..auth.public import current_estate_or_403, require_estate, roles_required
from ..extensions import db
from ..kernel.roles import LEADS, Team
from . import queries, rules
from .checklists import seed_templates
from .mapping import parse_choices, save_choices
from .models import Category, ChecklistTemplate
from .versioning import BLANK_ROWS, new_version, parse_items
from .views import bp


def template_or_404(template_id: int) -> ChecklistTemplate:
    template = db.session.get(ChecklistTemplate, template_id)
    if template is None:
        abort(404)
    require_estate(template.estate_id)
    return template


@bp.get("/templates")
@roles_required(*LEADS)
def templates():
    estate = current_estate_or_403()
    return render_template("patrol/templates.html", templates=queries.current_templates(estate.id), estate=estate)


@bp.post("/templates/seed")
@roles_required(*LEADS)
def seed():
    estate = current_estate_or_403()
    added = seed_templates(db.session, estate.id, current_user.id)
    db.session.commit()
    flash(_("%(n)d default checklists added.", n=len(added)), "success")
    return redirect(url_for("patrol.templates"))


@bp.get("/templates/<int:template_id>")
@roles_required(*LEADS)
def template(template_id: int):
    shown = template_or_404(template_id)
    versions = db.session.scalars(select(ChecklistTemplate).where(
        ChecklistTemplate.estate_id == shown.estate_id, ChecklistTemplate.kind == shown.kind
    ).order_by(ChecklistTemplate.version.desc())).all()
    return render_template("patrol/template.html", template=shown, versions=versions)


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@roles_required(*LEADS)
def edit_template(template_id: int):
    template = template_or_404(template_id)
    if not template.current:
        flash(_("Only the current version can be edited."), "info")
        return redirect(url_for("patrol.template", template_id=template.id))
    rows, errors = (parse_items(request.form, template) if request.method == "POST" else (None, {}))
    if request.method == "POST" and not errors:
        created = new_version(template, request.form, rows, current_user.id)
        db.session.commit()
        flash(_("Saved as version %(n)d.", n=created.version), "success")
        return redirect(url_for("patrol.template", template_id=created.id))
    return render_template("patrol/template_form.html", template=template, rows=rows, errors=errors,
                           teams=list(Team), categories=list(Category), blank=BLANK_ROWS), 422 if errors else 200


@bp.route("/templates/locations", methods=["GET", "POST"])
@roles_required(*LEADS)
def location_checklists():
    """Which checklist each key location is patrolled with (R-PAT-2): per type, and per location."""
    estate = current_estate_or_403()
    locations = db.session.scalars(select(KeyLocation).join(Area).where(
        Area.estate_id == estate.id, KeyLocation.active.is_(True)).order_by(Area.code, KeyLocation.id)).all()
    templates = queries.current_templates(estate.id)
    chosen, errors = queries.checklist_choices(estate.id), {}
    if request.method == "POST":
        chosen, errors = parse_choices(request.form, [loc.id for loc in locations], list(KeyLocationKind),
                                       [t.kind for t in templates])
        if not errors:
            save_choices(estate.id, chosen, current_user.id)
            db.session.commit()
            flash(_("Saved: rounds use these checklists from now on."), "success")
            return redirect(url_for("patrol.location_checklists"))
    return render_template("patrol/location_checklists.html", locations=locations, templates=templates,
                           names={t.kind: t.name for t in templates}, kinds=list(KeyLocationKind), chosen=chosen,
                           errors=errors, defaults=rules.KEY_LOCATION_TEMPLATES), 422 if errors else 200

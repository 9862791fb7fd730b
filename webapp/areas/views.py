"""Responsibility areas, key locations, the assignment table and the lobby card (R-AREA-1…4).

Area edits and table drafts are the supervisor's; approval is the manager's (R-AREA-1). Every view
states its roles and scopes its data by the current estate or by the areas the user may see.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from sync.store import utcnow

from ..auth.public import (
    area_ids_visible_to,
    current_estate_or_403,
    require_area,
    require_estate,
    roles_required,
)
from ..estate.public import Estate
from ..extensions import db
from ..kernel.forms import load_form, parse_whole
from ..kernel.htmx import render, wants_fragment
from ..kernel.labels import choices
from ..kernel.roles import CUSTOMER_SERVICE, DESK, Role
from . import edits, obligations, queries, rules
from .models import AssignmentTable, KeyLocation, KeyLocationKind, LobbyCardPosting, TableStatus
from .schemas import AREA, KEY_LOCATION

bp = Blueprint("areas", __name__, url_prefix="/areas")

VIEWERS = CUSTOMER_SERVICE
MEDIA_PATH = "/sync/media/"  # fixed by the sync protocol (DESIGN.md), like webapp.pwa.views.SYNC_PATHS


# --------------------------------------------------------------------------- areas


@bp.get("/")
@roles_required(*VIEWERS)
def index():
    estate = current_estate_or_403()
    visible = area_ids_visible_to(current_user)
    return render_template(
        "areas/index.html", estate=estate, in_force=rules.table_in_force(estate.id),
        areas=[a for a in queries.active_areas(estate.id, buildings=True) if a.id in visible], officers=rules.officers_by_area(estate.id),
        households=queries.household_counts(estate.id),
        cards_due={card.area.id: card for card in obligations.lobby_cards_due(estate.id)}, now=utcnow(),
    )


@bp.get("/<int:area_id>")
@roles_required(*VIEWERS)
def detail(area_id):
    return render_template("areas/detail.html", **_area_context(require_area(area_id)))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.SUPERVISOR)
def new():
    return _area_form(current_estate_or_403(), None)


@bp.route("/<int:area_id>/edit", methods=["GET", "POST"])
@roles_required(Role.SUPERVISOR)
def edit(area_id):
    area = require_area(area_id)
    return _area_form(db.session.get(Estate, area.estate_id), area)


@bp.route("/<int:area_id>/key-locations/new", methods=["GET", "POST"])
@bp.route("/<int:area_id>/key-locations/<int:location_id>/edit", methods=["GET", "POST"])
@roles_required(Role.SUPERVISOR)
def key_location(area_id, location_id=None):
    area = require_area(area_id)
    location = _require_location(area, location_id) if location_id else None
    if request.method == "GET":
        values = {f: getattr(location, f) for f in edits.KEY_LOCATION_FIELDS} if location else {}
        return _key_location_page(area, location, values, {})
    data, errors = load_form(KEY_LOCATION, request.form)
    errors = edits.check_key_location(area, data) | errors
    if errors:
        return _key_location_page(area, location, request.form.to_dict(), errors, 422)
    edits.save_key_location(area, data, current_user.id, location)
    db.session.commit()
    flash(_("Key location saved. It appears in the assignment table once a new one is approved."), "success")
    return redirect(url_for("areas.detail", area_id=area.id))


@bp.post("/<int:area_id>/key-locations/<int:location_id>/retire")
@roles_required(Role.SUPERVISOR)
def retire_key_location(area_id, location_id):
    area = require_area(area_id)
    edits.retire_key_location(_require_location(area, location_id), current_user.id)
    db.session.commit()
    if wants_fragment():
        return render("areas/detail.html", "areas/_key_locations.html", **_area_context(area))
    flash(_("Key location retired; its history is kept."), "success")
    return redirect(url_for("areas.detail", area_id=area.id))


# --------------------------------------------------------------------------- lobby card (R-AREA-4)


@bp.get("/<int:area_id>/lobby-card")
@roles_required(*VIEWERS)
def lobby_card(area_id):
    context = _area_context(require_area(area_id))
    officer = context["row"].officer if context["row"] else None
    postings = db.session.scalars(
        select(LobbyCardPosting).where(LobbyCardPosting.area_id == area_id)
        .order_by(LobbyCardPosting.posted_at.desc()).limit(5)
    ).all()
    return render_template("areas/lobby_card.html", officer=officer, photo_url=_photo_url(officer),
                           postings=postings, **context)


@bp.post("/<int:area_id>/lobby-card/posted")
@roles_required(Role.OFFICER, Role.SUPERVISOR)
def mark_posted(area_id):
    area = require_area(area_id)
    in_force = rules.table_in_force(area.estate_id)
    row = in_force.row_for(area.id) if in_force else None
    if row is None or row.officer is None:
        flash(_("No officer is assigned to this area in the table in force."), "error")
        return redirect(url_for("areas.lobby_card", area_id=area.id))
    edits.post_lobby_card(area, row.officer, current_user.id)
    db.session.commit()
    flash(_("Recorded: the lobby card for %(area)s is posted.", area=area.name), "success")
    return redirect(url_for("areas.lobby_card", area_id=area.id))


# --------------------------------------------------------------------------- assignment tables (R-AREA-2)


@bp.get("/tables")
@roles_required(*DESK)
def tables():
    return _tables_page(current_estate_or_403())


@bp.post("/tables/new")
@roles_required(Role.SUPERVISOR)
def new_table():
    estate = current_estate_or_403()
    try:
        table = rules.create_draft(estate.id, current_user.id)
    except rules.TableError as exc:
        return _tables_page(estate, exc.message, exc.status)
    db.session.commit()
    flash(_("Draft version %(n)d started.", n=table.version), "success")
    return redirect(url_for("areas.table", table_id=table.id))


@bp.get("/tables/<int:table_id>")
@roles_required(*DESK)
def table(table_id):
    return _table_page(_require_table(table_id))


@bp.get("/tables/<int:table_id>/print")
@roles_required(*DESK)
def table_print(table_id):
    return render_template("areas/table_print.html", **_table_context(_require_table(table_id)))


@bp.post("/tables/<int:table_id>/rows")
@roles_required(Role.SUPERVISOR)
def save_rows(table_id):
    table = _require_table(table_id)
    area_ids = [a.id for a in queries.active_areas(table.estate_id)]
    officer_ids = {u.id for u in queries.estate_officers(table.estate_id)}
    values, errors = rules.parse_rows(request.form, area_ids, officer_ids)
    if errors:
        return _table_page(table, 422, errors=errors, values=request.form.to_dict())

    def save_then_maybe_propose():
        rules.apply_rows(table, values)
        if request.form.get("then") == "propose":
            rules.propose_table(table, current_user.id)

    proposing = request.form.get("then") == "propose"
    return _act(table, save_then_maybe_propose,
                _("Proposed for the manager's approval.") if proposing else _("Rows saved."), request.form.to_dict())


@bp.post("/tables/<int:table_id>/propose")
@roles_required(Role.SUPERVISOR)
def propose(table_id):
    table = _require_table(table_id)
    return _act(table, lambda: rules.propose_table(table, current_user.id), _("Proposed for the manager's approval."))


@bp.post("/tables/<int:table_id>/approve")
@roles_required(Role.MANAGER)
def approve(table_id):
    table = _require_table(table_id)
    note = request.form.get("note")
    return _act(table, lambda: rules.approve_table(table, current_user.id, note=note),
                _("Approved: version %(n)d is now in force.", n=table.version))


@bp.post("/tables/<int:table_id>/send-back")
@roles_required(Role.MANAGER)
def send_back(table_id):
    table = _require_table(table_id)
    note = request.form.get("note")
    return _act(table, lambda: rules.send_back(table, current_user.id, utcnow(), note),
                _("Sent back to the supervisor."), {"note": note or ""})


@bp.post("/tables/<int:table_id>/discard")
@roles_required(Role.SUPERVISOR)
def discard(table_id):
    table = _require_table(table_id)
    try:
        rules.discard_table(table)
    except rules.TableError as exc:
        return _table_page(table, exc.status, message=exc.message)
    db.session.commit()
    flash(_("Draft discarded."), "success")
    return redirect(url_for("areas.tables"))


# --------------------------------------------------------------------------- helpers


def _require_table(table_id: int) -> AssignmentTable:
    table = db.session.get(AssignmentTable, table_id)
    if table is None:
        abort(404)
    require_estate(table.estate_id)
    return table


def _require_location(area, location_id: int) -> KeyLocation:
    location = db.session.get(KeyLocation, location_id)
    if location is None or location.area_id != area.id:
        abort(404)
    return location


def _photo_url(user) -> str | None:
    return request.script_root + MEDIA_PATH + user.photo_media_id if user and user.photo_media_id else None


def _area_context(area) -> dict:
    in_force = rules.table_in_force(area.estate_id)
    return {
        "area": area, "estate": db.session.get(Estate, area.estate_id), "in_force": in_force,
        "row": in_force.row_for(area.id) if in_force else None, "kinds": list(KeyLocationKind),
        "households": queries.household_counts(area.estate_id).get(area.id, 0),
        "card_due": next((c for c in obligations.lobby_cards_due(area.estate_id) if c.area.id == area.id), None),
        "now": utcnow(),
    }


def _area_form(estate, area):
    if request.method == "GET":
        return _area_page(estate, area, _area_values(estate, area), {})
    data, errors = load_form(AREA, request.form)
    errors = edits.check_area(estate.id, data, area) | errors
    if errors:
        chosen = {parse_whole(v) for v in request.form.getlist("building_ids")} - {None}
        values = request.form.to_dict() | {"building_ids": chosen}
        return _area_page(estate, area, values, errors, 422)
    area = edits.save_area(estate.id, data, current_user.id, area)
    db.session.commit()
    flash(_("Area saved. The change takes effect when a new assignment table is approved."), "success")
    return redirect(url_for("areas.detail", area_id=area.id))


def _area_values(estate, area) -> dict:
    if area is None:
        return {"code": f"A{len(queries.active_areas(estate.id)) + 1}", "building_ids": set()}
    return {"code": area.code, "name": area.name, "description": area.description,
            "building_ids": {b.id for b in area.buildings}}


def _area_page(estate, area, values, errors, status=200):
    return render_template("areas/form.html", estate=estate, area=area, values=values, errors=errors,
                           buildings=queries.estate_buildings(estate.id),
                           area_names={a.id: a.name for a in queries.active_areas(estate.id)}), status


def _key_location_page(area, location, values, errors, status=200):
    return render_template("areas/key_location_form.html", area=area, location=location, values=values, errors=errors,
                           kind_options=choices(KeyLocationKind),
                           building_options=[(b.id, b.name) for b in area.buildings]), status


def _tables_page(estate, message=None, status=200):
    due, changes = obligations.reapproval_deadline(estate.id)
    return render_template("areas/tables.html", estate=estate, tables=queries.tables_of(estate.id),
                           open_table=queries.open_table(estate.id), due=due, changes=changes, message=message,
                           now=utcnow()), status


def _table_context(table: AssignmentTable) -> dict:
    areas = queries.active_areas(table.estate_id) if table.status == TableStatus.DRAFT else [r.area for r in table.rows]
    officers = queries.estate_officers(table.estate_id)
    return {"table": table, "estate": db.session.get(Estate, table.estate_id), "areas": areas, "officers": officers,
            "officer_options": [(u.id, u.display_name) for u in officers],
            "difficulty_options": [("", "—")] + [(n, str(n)) for n in range(1, 6)],
            "kind_labels": {k.value: k.label for k in KeyLocationKind},
            "households": queries.household_counts(table.estate_id)}


def _table_page(table, status=200, errors=None, values=None, message=None):
    context = _table_context(table)
    if values is None:
        values = {}
        for area in context["areas"]:
            row = table.row_for(area.id)
            fresh = {"scope": area.description, "household_count": context["households"].get(area.id)}
            values |= {rules.row_field(area.id, name): getattr(row, name) if row else fresh.get(name)
                       for name in rules.ROW_FIELDS}
    return render_template("areas/table.html", errors=errors or {}, values=values, message=message,
                           **context), status


def _act(table, action, done: str, values=None):
    """Run one state change of the table: commit and redirect, or roll back and show why (409/422)."""
    try:
        action()
    except rules.TableError as exc:
        db.session.rollback()
        return _table_page(table, exc.status, errors=exc.errors, values=values, message=exc.message)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("areas.table", table_id=table.id))

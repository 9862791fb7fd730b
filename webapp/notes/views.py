"""随手记 Quick notes: jot from any screen, offline; read and edit in the areas you see."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, make_response, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from sync.media import media_exists

from ..auth.public import area_ids_visible_to, areas_visible_to, roles_required
from ..extensions import db
from ..kernel.forms import int_arg
from ..kernel.roles import CUSTOMER_SERVICE
from .models import QuickNote

bp = Blueprint("notes", __name__, url_prefix="/notes")


def note_or_403(note_id: str) -> QuickNote:
    note = db.session.get(QuickNote, note_id)
    if note is None or note.deleted_at is not None:
        abort(404)
    if note.area_id not in area_ids_visible_to(current_user):
        abort(403)
    return note


@bp.get("/new")
@roles_required(*CUSTOMER_SERVICE)
def new():
    areas = areas_visible_to(current_user)
    if not areas:
        abort(403)
    response = make_response(render_template("notes/form.html", areas=areas, note=None, record_id=str(uuid.uuid4()),
                                             chosen_area=request.args.get("area_id", type=int_arg),
                                             chosen_location=request.args.get("location_id", type=int_arg)))
    # The query only pre-fills the form (its script reads it too): offline, 随手记 from any round form is
    # answered from the one cached /notes/new (templates/pwa/sw.js).
    response.headers["X-Patrolbook-Prefill"] = "area_id location_id"
    return response


@bp.get("/")
@roles_required(*CUSTOMER_SERVICE)
def index():
    notes = db.session.scalars(
        select(QuickNote).where(QuickNote.area_id.in_(area_ids_visible_to(current_user)), QuickNote.deleted_at.is_(None))
        .order_by(QuickNote.observed_at.desc()).limit(100)
        .options(joinedload(QuickNote.area), joinedload(QuickNote.key_location))
    ).all()
    return render_template("notes/index.html", notes=notes)


@bp.get("/<uuid:note_id>")
@roles_required(*CUSTOMER_SERVICE)
def detail(note_id):
    note = note_or_403(str(note_id))
    arrived = media_exists(db.session, note.photo_ids)
    return render_template("notes/detail.html", note=note, arrived=arrived)


@bp.get("/<uuid:note_id>/edit")
@roles_required(*CUSTOMER_SERVICE)
def edit(note_id):
    note = note_or_403(str(note_id))
    return render_template("notes/form.html", areas=areas_visible_to(current_user), note=note, record_id=note.id,
                           chosen_area=note.area_id, chosen_location=note.key_location_id)

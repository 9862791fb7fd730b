"""随手记 Quick notes: jot from any screen, offline; read and edit in the areas you see."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from sync.media import media_exists

from ..auth.access import ALL_ROLES, area_ids_visible_to, areas_visible_to, roles_required
from ..auth.models import Role
from ..extensions import db
from ..forms import whole_number
from ..hooks import nav_item
from ..pwa.offline_pages import offline_pages_provider
from . import entities  # noqa: F401  (registers the quick_note entity)
from .models import QuickNote

bp = Blueprint("notes", __name__, url_prefix="/notes")
FIELD_ROLES = tuple(r for r in ALL_ROLES if r != Role.TEAM)
nav_item("notes.index", _l("Quick notes"), (Role.SUPERVISOR, Role.MANAGER, Role.ADMIN), order=60)
nav_item("notes.index", _l("Quick notes"), (Role.OFFICER,), order=30, slot="me")


def note_or_403(note_id: str) -> QuickNote:
    note = db.session.get(QuickNote, note_id)
    if note is None or note.deleted_at is not None:
        abort(404)
    if note.area_id not in area_ids_visible_to(current_user):
        abort(403)
    return note


@bp.get("/new")
@roles_required(*FIELD_ROLES)
def new():
    areas = areas_visible_to(current_user)
    if not areas:
        abort(403)
    return render_template("notes/form.html", areas=areas, note=None, record_id=str(uuid.uuid4()),
                           chosen_area=request.args.get("area_id", type=whole_number),
                           chosen_location=request.args.get("location_id", type=whole_number))


@bp.get("/")
@roles_required(*FIELD_ROLES)
def index():
    notes = db.session.scalars(
        select(QuickNote).where(QuickNote.area_id.in_(area_ids_visible_to(current_user)), QuickNote.deleted_at.is_(None))
        .order_by(QuickNote.observed_at.desc()).limit(100)
    ).all()
    return render_template("notes/index.html", notes=notes)


@bp.get("/<uuid:note_id>")
@roles_required(*FIELD_ROLES)
def detail(note_id):
    note = note_or_403(str(note_id))
    arrived = media_exists(db.session, note.photo_ids)
    return render_template("notes/detail.html", note=note, arrived=arrived)


@bp.get("/<uuid:note_id>/edit")
@roles_required(*FIELD_ROLES)
def edit(note_id):
    note = note_or_403(str(note_id))
    return render_template("notes/form.html", areas=areas_visible_to(current_user), note=note, record_id=note.id,
                           chosen_area=note.area_id, chosen_location=note.key_location_id)


@offline_pages_provider
def offline_pages(user) -> list[str]:
    if user.role == Role.TEAM:
        return []
    return [url_for("notes.new"), url_for("notes.index")]

"""The conflicts inbox: a device's change that met someone else's is kept here until a supervisor
decides — keep the device's values, keep the server's, or edit (DESIGN.md: nothing typed is lost)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from sync import wirejson
from sync.errors import SyncError
from sync.models import Conflict

from ..auth.public import roles_required
from ..extensions import db
from ..kernel.roles import LEADS
from ..kernel.scopes import actor_for
from ..kernel.syncing import resolve_conflict, translated
from . import words

bp = Blueprint("conflicts", __name__, url_prefix="/conflicts")
CHOICES = ("device", "server", "edit")


def _in_scope():
    return Conflict.scope.in_(actor_for(current_user).read_scopes)


def conflict_or_403(conflict_id: str) -> Conflict:
    conflict = db.session.get(Conflict, conflict_id)
    if conflict is None:
        abort(404)
    if conflict.scope not in actor_for(current_user).read_scopes:
        abort(403)
    return conflict


@bp.get("/")
@roles_required(*LEADS)
def index():
    status = "resolved" if request.args.get("status") == "resolved" else "open"
    conflicts = db.session.scalars(
        select(Conflict).where(_in_scope(), Conflict.status == status).order_by(Conflict.created_at.desc()).limit(200)
    ).all()
    return render_template("conflicts/index.html", conflicts=conflicts, status=status, words=words)


@bp.get("/<conflict_id>")
@roles_required(*LEADS)
def detail(conflict_id):
    conflict = conflict_or_403(conflict_id)
    return _detail(conflict)


@bp.post("/<conflict_id>")
@roles_required(*LEADS)
def resolve(conflict_id):
    conflict = conflict_or_403(conflict_id)
    choice = request.form.get("choice")
    if choice not in CHOICES:
        errors = {"choice": [_("Choose which version stands: the phone's, the server's or an edit.")]}
        return _detail(conflict, errors), 400
    fields = edited_fields(conflict) if choice == "edit" else None
    try:
        resolve_conflict(conflict.id, choice, fields)
    except SyncError as exc:
        db.session.rollback()
        errors = translated(getattr(exc, "errors", None) or {"": [exc.message]})
        return _detail(db.session.get(Conflict, conflict_id), errors), (
            409 if getattr(exc, "code", "") == "already_resolved" else 422)
    flash(_("Conflict resolved."), "success")
    return redirect(url_for("conflicts.index"))


def _detail(conflict: Conflict, errors: dict | None = None) -> str:
    return render_template("conflicts/detail.html", conflict=conflict, errors=errors, words=words,
                           rows=words.rows(conflict), phone=words.phone_side(conflict),
                           server=words.server_side(conflict), record_url=words.record_url(conflict))


def edited_fields(conflict: Conflict) -> dict:
    """The supervisor's edited values for the fields in the device's change (JSON for non-strings)."""
    out = {}
    for name, device_value in conflict.device_fields.items():
        raw = request.form.get(f"field_{name}")
        if raw is None:
            continue
        out[name] = raw if isinstance(device_value, str) or device_value is None else _json_or_raw(raw)
    return out


def _json_or_raw(raw: str):
    try:
        return wirejson.loads(raw)
    except ValueError:  # not JSON, or nested too deeply: the engine's schema refuses the text
        return raw

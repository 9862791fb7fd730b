"""人员 People: the people of the estate, their accounts, phones and lobby-card photo.

Who may do what is decided in rules.py (supervisors read, managers and the administrator manage,
each within their estates); every view states its roles and loads the person through
`_require_person`, which answers 404 or 403 before anything is shown or changed.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from sync.errors import MediaError

from ..areas.public import assigned_areas, contacts_of
from ..auth.public import User, current_estate_or_403, roles_required
from ..extensions import db
from ..kernel.forms import load_form
from ..kernel.htmx import render
from ..kernel.labels import choices
from ..kernel.roles import MANAGERS, TEAM_LABELS, Role, Team
from ..kernel.syncing import MEDIA_STATUS
from . import edits, queries, rules
from .rules import VIEWERS, Standing
from .schemas import NEW_PERSON, PERSON, password_errors

bp = Blueprint("people", __name__, url_prefix="/people")


@bp.context_processor
def people_labels() -> dict:
    return {"role_choices": choices(Role), "team_labels": TEAM_LABELS,
            "can_manage": rules.can_manage, "may_deactivate": rules.may_deactivate, "photo_url": photo_url,
            "max_mb": current_app.config["MEDIA_MAX_BYTES"] // 2**20}


@bp.get("/")
@roles_required(*VIEWERS)
def index():
    estate = current_estate_or_403()
    q, role, state = request.args.get("q", "").strip()[:64], request.args.get("role", ""), request.args.get("status")
    state = state if state in queries.STATUSES else "active"
    found = queries.people_of(estate.id, q, role, state, with_unattached=current_user.role == Role.ADMIN)
    return render("people/index.html", "people/_results.html", estate=estate, people=found, q=q, role=role,
                  state=state)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new():
    estate = current_estate_or_403()
    if request.method == "GET":
        return _form_page(None, {"role": Role.OFFICER, "estate_ids": {estate.id}}, {})
    return _save(None)


@bp.get("/<int:user_id>")
@roles_required(*VIEWERS)
def detail(user_id):
    return _detail_page(_require_person(user_id))


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(user_id):
    person = _require_person(user_id, manage=True)
    if request.method == "GET":
        values = {name: getattr(person, name) for name in ("display_name", "role", "team", "mobile", "work_phone")}
        return _form_page(person, values | {"estate_ids": person.estate_ids}, {})
    return _save(person)


@bp.post("/<int:user_id>/password")
@roles_required(*MANAGERS)
def reset_password(user_id):
    person = _require_person(user_id, manage=True)
    password = request.form.get("password", "")
    if errors := password_errors(password):
        return _detail_page(person, errors, 422)
    person.set_password(password)
    person.password_must_change = True
    person.end_sessions()
    db.session.commit()
    flash(_("New password set for %(name)s and their other logins ended. Tell them in person; they can "
            "change it on 我的.", name=person.display_name), "success")
    return redirect(url_for("people.detail", user_id=person.id))


@bp.post("/<int:user_id>/photo")
@roles_required(*MANAGERS)
def photo(user_id):
    person = _require_person(user_id, manage=True)
    return save_photo(person, url_for("people.detail", user_id=person.id), lambda e, s: _detail_page(person, e, s))


@bp.post("/<int:user_id>/deactivate")
@bp.post("/<int:user_id>/reactivate", endpoint="reactivate")
@roles_required(*MANAGERS)
def deactivate(user_id):
    person = _require_person(user_id, manage=True)
    if not rules.may_deactivate(current_user, person):
        abort(403)
    before, active = Standing.of(person), request.endpoint == "people.reactivate"
    edits.set_active(person, active, current_user.id)
    notes = edits.reminders(person, contacts_of(person), before)
    db.session.commit()
    flash(_("%(name)s can log in again.", name=person.display_name) if active else
          _("%(name)s is deactivated: they cannot log in, and their open sessions have ended.",
            name=person.display_name), "success")
    for note in notes:
        flash(note, "info")
    return redirect(url_for("people.detail", user_id=person.id))


# --------------------------------------------------------------------------- shared with 我的 (webapp.auth.views)


def photo_url(user) -> str | None:
    return url_for("sync_api.media", media_id=user.photo_media_id) if user and user.photo_media_id else None


def save_photo(person: User, done_url: str, failed):
    """Store an uploaded lobby-card photo (R-AREA-4): redirect, or `failed(errors, status)`."""
    before = contacts_of(person)
    try:
        edits.store_photo(person, request.files.get("photo"))
    except MediaError as exc:
        db.session.rollback()
        limit = current_app.config["MEDIA_MAX_BYTES"] // 2**20
        message = _("The photo or file is too large (at most %(mb)d MB).", mb=limit) if exc.code == "too_large" else _(exc.message)
        return failed({"photo": [message]}, MEDIA_STATUS.get(exc.code, 400))
    notes = edits.reminders(person, before, Standing.of(person))
    db.session.commit()
    flash(_("Photo saved."), "success")
    for note in notes:
        flash(note, "info")
    return redirect(done_url)


# --------------------------------------------------------------------------- helpers


def _require_person(user_id: int, manage: bool = False) -> User:
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    if not (rules.can_manage if manage else rules.can_see)(current_user, person):
        abort(403)
    return person


def _save(person: User | None):
    """Create or edit from the submitted form: redirect, 422 with messages next to the fields, or 403."""
    creating = person is None
    data, errors, allowed = _checked_form(person)
    if not errors:
        person, notes, errors = _apply(person, data, allowed)
    if errors:
        values = request.form.to_dict() | {"estate_ids": set(data.get("estate_ids") or [])}
        return _form_page(None if creating else person, values, errors, 422)
    flash(_("Saved: %(name)s.", name=person.display_name), "success")
    for note in notes:
        flash(note, "info")
    return redirect(url_for("people.detail", user_id=person.id))


def _checked_form(person: User | None) -> tuple[dict, dict, set[int]]:
    data, errors = load_form(NEW_PERSON if person is None else PERSON, request.form)
    allowed = {e.id for e in queries.estate_choices(current_user)}
    if rules.refusal(current_user, person, request.form.get("role"), data.get("estate_ids") or [], allowed):
        abort(403)
    if person is None:
        errors = password_errors(request.form.get("password", "")) | errors
        if data.get("username") and queries.username_taken(data["username"]):
            errors["username"] = [_("This username is taken. Choose another.")]
    return data, errors, allowed


def _apply(person: User | None, data: dict, allowed: set[int]) -> tuple[User, list[str], dict]:
    if person is None:
        person, notes = edits.create_person(data, request.form["password"]), []
    else:
        before, contacts = Standing.of(person), contacts_of(person)
        edits.update_person(person, data, allowed, current_user.id)
        notes = edits.reminders(person, contacts, before)
    try:
        db.session.commit()
    except IntegrityError:  # the same username, saved a moment ago by someone else
        db.session.rollback()
        return person, [], {"username": [_("This username is taken. Choose another.")]}
    return person, notes, {}


def _form_page(person, values, errors, status=200):
    role_options = choices(r for r in Role if r in rules.manageable_roles(current_user.role))
    return render_template("people/form.html", person=person, values=values, errors=errors,
                           role_options=role_options, team_options=[("", "—"), *choices(Team)],
                           estates=queries.estate_choices(current_user)), status


def _detail_page(person, errors=None, status=200):
    return render_template("people/detail.html", person=person, errors=errors or {},
                           areas=assigned_areas(person.id)), status

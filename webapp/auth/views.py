"""Log in and out, language, the officer's own page (我的)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..areas.public import assigned_areas
from ..extensions import db
from ..kernel.errors import error_response, wants_json
from ..kernel.forms import int_arg, safe_return_url
from ..kernel.roles import ALL_ROLES
from ..people.public import change_contacts, photo_url, save_photo
from .access import roles_required
from .models import User
from .rules import authenticate, is_locked_out

bp = Blueprint("auth", __name__)


# Pages a person whose password someone else chose may still open; the phone's sync goes on too.
OWN_PASSWORD_FREE = frozenset({"auth.me", "auth.change_password", "auth.logout", "auth.login", "auth.set_language",
                               "static"})


@bp.before_app_request
def own_password_first():
    """A password a manager set (a new person, a reset) is replaced by its owner before anything else."""
    if request.endpoint in OWN_PASSWORD_FREE or request.blueprint in ("pwa", "sync_api"):
        return None
    if not (current_user.is_authenticated and current_user.password_must_change):
        return None
    message = _("Choose your own password first: the one you have was set by someone else.")
    if request.method == "GET" and request.headers.get("HX-Request") != "true" and not wants_json():
        flash(message, "info")
        return redirect(url_for("auth.me", _anchor="password"))
    return error_response(403, message)


def unauthorized():
    """The API answers 401 JSON (the offline client keeps its outbox and asks to log in again);
    htmx gets a redirect header; pages redirect to the login form."""
    if wants_json():
        return error_response(401)
    login_url = url_for("auth.login", next=request.full_path.rstrip("?"))
    if request.headers.get("HX-Request") == "true":
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = login_url
        return response
    flash(_("Please log in to continue."), "info")
    return redirect(login_url)


def load_user(login_id: str) -> User | None:
    """The session's or remember cookie's user (User.get_id). A deactivated one is not authenticated
    (User.is_active), and one whose login token has changed since is nobody: their open sessions
    and remembered logins end at once."""
    user_id, _, token = login_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit() and len(user_id) <= 9):
        return None
    # One query with the estates (every request needs them), not the relationship's second one.
    user = db.session.scalars(select(User).options(joinedload(User.estates))
                              .where(User.id == int(user_id))).unique().one_or_none()
    return user if user is not None and (user.login_token or "") == token else None


safe_next = safe_return_url


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    error, status = None, 200
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        cfg = current_app.config
        addr = request.remote_addr or "?"
        if is_locked_out(username, addr, cfg["LOGIN_MAX_FAILURES"], cfg["LOGIN_LOCKOUT_MINUTES"]):
            error, status = _("Too many failed attempts. Try again in %(n)d minutes.", n=cfg["LOGIN_LOCKOUT_MINUTES"]), 429
        elif (user := authenticate(username, password, addr)) is None:
            error, status = _("Wrong username or password."), 401
        else:
            session.permanent = True
            login_user(user, remember=True)
            return redirect(safe_next(request.form.get("next")))
    return render_template("auth/login.html", error=error, next=request.values.get("next", "")), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.pop("estate_id", None)
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/me")
@roles_required(*ALL_ROLES)
def me():
    return _me_page()


@bp.post("/me/contacts")
@roles_required(*ALL_ROLES)
def my_contacts():
    """Everyone keeps their own mobile and work phone; an officer's lobby card shows them (R-AREA-4)."""
    errors, notes = change_contacts(current_user, request.form)
    if errors:
        return _me_page(errors, request.form.to_dict(), 422)
    db.session.commit()
    flash(_("Your phone numbers are saved."), "success")
    for note in notes:
        flash(note, "info")
    return redirect(url_for("auth.me"))


@bp.post("/me/photo")
@roles_required(*ALL_ROLES)
def my_photo():
    return save_photo(current_user, url_for("auth.me"), lambda errors, status: _me_page(errors, None, status))


def _me_page(errors=None, values=None, status=200):
    values = values or {"mobile": current_user.mobile, "work_phone": current_user.work_phone}
    return render_template("auth/me.html", errors=errors or {}, values=values, photo_url=photo_url(current_user),
                           assigned=assigned_areas(current_user.id)), status


@bp.post("/language")
def set_language():
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        abort(400)
    session["locale"] = locale
    if current_user.is_authenticated:
        current_user.locale = locale
        db.session.commit()
    return redirect(safe_next(request.form.get("next")))


@bp.post("/estate")
@roles_required(*ALL_ROLES)
def set_estate():
    estate_id = request.form.get("estate_id", type=int_arg)
    if estate_id not in current_user.estate_ids:
        abort(403)
    session["estate_id"] = estate_id
    return redirect(url_for("home.index"))


@bp.post("/me/password")
@roles_required(*ALL_ROLES)
def change_password():
    old, new = request.form.get("old_password", ""), request.form.get("new_password", "")
    if not current_user.check_password(old):
        flash(_("The current password is wrong."), "error")
    elif len(new) < 8:
        flash(_("The new password needs at least 8 characters."), "error")
    else:
        current_user.set_password(new)
        current_user.password_must_change = False
        current_user.end_sessions()  # a lost phone stays logged in no longer…
        db.session.commit()
        login_user(current_user._get_current_object(), remember=True)  # …while this one does
        flash(_("Password changed. You were logged out everywhere else."), "success")
    return redirect(url_for("auth.me"))

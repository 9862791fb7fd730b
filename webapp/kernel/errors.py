"""Errors answer in kind: JSON for the API, a fragment for htmx, a full page otherwise."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from sync.errors import DerivedWorkError
from sync.wirejson import TooDeep

from ..extensions import db
from .forms import flat_messages
from .htmx import wants_fragment

MESSAGES = {
    400: lambda: _("The request could not be understood."),
    401: lambda: _("Please log in again."),
    403: lambda: _("You do not have permission to see this."),
    404: lambda: _("This page does not exist."),
    405: lambda: _("This action is not allowed here."),
    409: lambda: _("This record was changed by someone else."),
    413: lambda: _("The upload is too large."),
    415: lambda: _("This file type is not accepted."),
    422: lambda: _("Some of the data is not valid."),
    429: lambda: _("Too many attempts. Please wait and try again."),
    500: lambda: _("Something went wrong on the server. Nothing you entered was lost; please try again."),
}


def wants_json() -> bool:
    if request.accept_mimetypes.best == "application/json":
        return True
    # The sync API answers JSON; its no-JavaScript form fallback was posted by a browser: a page.
    return request.path.startswith("/sync/") and not request.path.startswith("/sync/form/")


def shown_errors(errors: dict, labels: dict | None) -> dict[str, list[str]]:
    """A page's errors: each field's label (a record's EntityWords fields) or nothing, never the schema's name."""
    shown: dict[str, list[str]] = {}
    for name, value in errors.items():
        label = str(labels[name]) if labels and name in labels else ""
        shown.setdefault(label, []).extend(m for m in flat_messages(value) if m not in shown.get(label, []))
    return shown


def error_response(status: int, message: str | None = None, errors: dict | None = None, labels: dict | None = None):
    """`labels`: field name → its label, for a page's list of errors (JSON keeps the field names)."""
    message = message or MESSAGES.get(status, MESSAGES[400])()
    if wants_json():
        body = {"error": {"status": status, "message": message}}
        if errors:
            body["error"]["errors"] = errors
        return jsonify(body), status
    errors = shown_errors(errors, labels) if errors else None
    template = "errors/_error.html" if wants_fragment() else "errors/error.html"
    return render_template(template, status=status, message=message, errors=errors), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return error_response(400, _("The form expired or was sent from elsewhere (CSRF). Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 401 and not wants_json():
            return exc.get_response()
        message = exc.description if getattr(exc, "patrolbook_message", False) else None
        return error_response(exc.code or 500, message)

    @app.errorhandler(TooDeep)
    def too_deep(exc: TooDeep):
        # JSON nested beyond any record's shape (a push body, JSON in a form field): refused before parsing
        return error_response(400, _("The data is nested too deeply (at most %(n)d levels).", n=exc.limit))

    @app.errorhandler(DerivedWorkError)
    def derived_work_failed(exc: DerivedWorkError):
        # The server's own work after a save failed (a bug, logged): nothing was stored, nothing is lost.
        db.session.rollback()
        app.logger.error("derived work failed; the request was rolled back", exc_info=exc)
        message = _("The server could not finish saving; nothing was stored. Go back with your browser's back "
                    "button and save again: what you typed is still in the form.")
        response = make_response(error_response(503, message))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(InternalServerError)
    def server_error(exc):
        db.session.rollback()
        return error_response(500)

"""Secure headers. The CSP allows no inline script or style, which htmx 2 supports when its
indicator styles are off and eval is disallowed (set in the htmx-config meta tag)."""

from flask import Flask, request
from flask_babel import gettext as _

from .kernel.errors import error_response

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def has_nul(request) -> bool:
    """A NUL character cannot be stored (PostgreSQL refuses it) and no person types one."""
    values = [request.path, *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += request.form.values()
    return any("\x00" in v for v in values)


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul():
        if has_nul(request):
            return error_response(400, _("The request contains a character that cannot be stored (NUL)."))

    @app.after_request
    def secure_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
        if app.config["ENV"] == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

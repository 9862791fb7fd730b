"""Where people plugs into the app: its blueprint and the 人员 item of the desk bar."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..kernel.hooks import hooks_of
from .rules import VIEWERS
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks_of(app).add_nav_item("people.index", _l("People"), VIEWERS, order=85)

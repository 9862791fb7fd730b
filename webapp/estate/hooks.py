"""Where the estate plugs into the app: its blueprint (and `flask import-estate`) and 业户 in the navigation."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..kernel.hooks import hooks_of
from ..kernel.roles import DESK, Role
from .views import SETTERS, bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_nav_item("estate.index", _l("Households"), DESK, order=30)
    hooks.add_nav_item("estate.index", _l("Households"), (Role.FRONTDESK,), order=30, slot="bottom")
    hooks.add_nav_item("estate.index", _l("Households"), (Role.OFFICER,), order=40, slot="me")
    hooks.add_nav_item("estate.settings", _l("Estate"), SETTERS, order=85)

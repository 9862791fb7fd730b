"""Where the estate plugs into the app: its blueprint (and `flask import-estate`) and 业户 in the navigation."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..kernel.dates import register_time_zone_of
from ..kernel.hooks import hooks_of
from ..kernel.roles import DESK, Role
from .views import SETTERS, bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_time_zone_of(app, estate_time_zone)
    hooks = hooks_of(app)
    hooks.add_nav_item("estate.index", _l("Households"), DESK, order=30)
    hooks.add_nav_item("estate.index", _l("Households"), (Role.FRONTDESK,), order=30, slot="bottom")
    hooks.add_nav_item("estate.index", _l("Households"), (Role.OFFICER,), order=40, slot="me")
    hooks.add_nav_item("estate.settings", _l("Estate"), SETTERS, order=85)


def estate_time_zone(user) -> str | None:
    """The clock of a user's estate; none when their estates keep different clocks (an admin of a group)."""
    zones = {estate.time_zone for estate in user.estates}
    return zones.pop() if len(zones) == 1 else None

"""Where the PWA shell plugs into the app: its blueprint (service worker, manifest, offline and outbox
pages) and 待同步 (the outbox, with its badge) in the navigation."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..kernel.hooks import hooks_of
from ..kernel.roles import ALL_ROLES, DESK, Role
from . import refresh
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    refresh.init_app(app)
    hooks = hooks_of(app)
    hooks.add_nav_item("pwa.outbox", _l("Outbox"), [r for r in ALL_ROLES if r not in DESK or r == Role.SUPERVISOR], order=80, slot="bottom",
                       badge="outbox")
    hooks.add_nav_item("pwa.outbox", _l("Outbox"), DESK, order=95, slot="desk", badge="outbox")

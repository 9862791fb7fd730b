"""Where fees plug into the app: the blueprint, 欠费催缴 in the navigation, the obligations, the pages the
phone keeps offline, the synced chase, the demo history."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..kernel.hooks import hooks_of
from ..kernel.roles import FEES_DESK, Role
from . import views_desk  # noqa: F401  (views_*: routes join views.bp)
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_nav_item("fees.lists", _l("Arrears"), FEES_DESK, order=48)
    hooks.add_nav_item("fees.lists", _l("Arrears"), (Role.FINANCE,), order=10, slot="bottom")

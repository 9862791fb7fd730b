"""Where the policy settings plug into the app: the blueprint and 规则设置 in the desk bar."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..kernel.hooks import hooks_of
from ..kernel.roles import LEADS, Role
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks_of(app).add_nav_item("policies.index", _l("Policies"), LEADS, order=80)
    hooks_of(app).add_nav_item("policies.index", _l("Policies"), (Role.MANAGER,), order=80, slot="bottom")  # approvals

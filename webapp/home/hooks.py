"""Where the start pages plug into the app: 今日 in the phone's bottom bar, 总览 in the desk bar.
What they show comes from the other domains' sections and obligations (webapp.kernel.hooks)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..kernel.hooks import hooks_of
from ..kernel.roles import DESK, Role
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_nav_item("home.today", _l("Today"), (Role.OFFICER, Role.TEAM), order=10, slot="bottom")
    hooks.add_nav_item("home.overview", _l("Overview"), DESK, order=10)
    hooks.add_nav_item("home.overview", _l("Overview"), DESK, order=10, slot="bottom")  # a desk role's phone

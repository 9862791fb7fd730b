"""Where auth plugs into the app: its blueprint, the login manager, 我的 in the phone's bottom bar and
the helpers every template uses (the current estate, the areas a user sees)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..extensions import login_manager
from ..kernel.hooks import hooks_of
from ..kernel.roles import ALL_ROLES
from .access import areas_visible_to, current_estate
from .views import bp, load_user, unauthorized


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    app.jinja_env.globals.update(current_estate=current_estate, areas_visible_to=areas_visible_to)
    hooks_of(app).add_nav_item("auth.me", _l("Me"), ALL_ROLES, order=90, slot="bottom")

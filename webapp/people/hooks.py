"""Where people plugs into the app: its blueprint, the 人员 item of the desk bar, and who may see a
person's lobby-card photo."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..kernel.hooks import hooks_of
from ..kernel.roles import Role
from ..kernel.scopes import register_media_reader
from .photos import may_read_lobby_photo
from .rules import VIEWERS
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks_of(app).add_nav_item("people.index", _l("People"), VIEWERS, order=85)
    hooks_of(app).add_nav_item("people.index", _l("People"), (Role.ADMIN,), order=85, slot="bottom")
    register_media_reader(app, may_read_lobby_photo)

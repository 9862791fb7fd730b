"""Where areas plug into the app: the blueprint, 区域 in the desk bar, and the obligations of R-AREA-3
(approve a new assignment table) and R-AREA-4 (repost the lobby card) on the home pages."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..kernel.hooks import hooks_of
from ..kernel.roles import DESK
from ..kernel.scopes import register_reach
from .obligations import lobby_card_obligations, table_obligations
from .reach import reach_of
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_nav_item("areas.index", _l("Areas"), DESK, order=40)
    hooks.add_obligations(table_obligations)
    hooks.add_obligations(lobby_card_obligations)
    register_reach(app, reach_of)  # who sees which areas, for pages and sync (R-AREA-2)

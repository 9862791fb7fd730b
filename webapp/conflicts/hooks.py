"""Where the conflicts inbox plugs into the app: the blueprint, 冲突 in the desk bar, and the count of
open conflicts on the leads' 总览."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import func, select

from sync.models import Conflict

from ..extensions import db
from ..kernel.hooks import hooks_of
from ..kernel.roles import LEADS
from ..kernel.scopes import actor_for
from .views import bp


def open_conflicts(user, estate, now):
    if user.role not in LEADS:
        return None
    count = db.session.scalar(
        select(func.count()).select_from(Conflict).where(
            Conflict.status == "open", Conflict.scope.in_(actor_for(user).read_scopes))
    )
    if not count:
        return None
    return Markup(render_template("conflicts/_overview.html", count=count))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_nav_item("conflicts.index", _l("Conflicts"), LEADS, order=70)
    hooks.add_overview_section(open_conflicts, order=20)

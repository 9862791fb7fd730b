"""Where fees plug into the app: the blueprint, 欠费催缴 in the navigation, a unit's arrears history on
its page, the obligations, the pages the phone keeps offline, the synced chase, the demo history."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..auth.public import area_ids_visible_to
from ..kernel.hooks import hooks_of
from ..kernel.roles import FEES_DESK, FIELD, Role
from . import queries, rules, views_desk  # noqa: F401  (views_*: routes join views.bp)
from .views import bp

HISTORY_READERS = FIELD  # who chases (officers) and checks (the leads); the front desk does not need it


def unit_arrears(user, unit):
    """The unit's arrears month by month, as finance listed them (R-FEE-1)."""
    if not user.has_role(*HISTORY_READERS) or not (unit.building.area_id is None or unit.building.area_id in area_ids_visible_to(user)):
        return None
    history = queries.history_of(unit.id)
    return Markup(render_template("fees/_unit_history.html", months=rules.by_month(history), yuan=rules.yuan))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_nav_item("fees.lists", _l("Arrears"), FEES_DESK, order=48)
    hooks.add_nav_item("fees.lists", _l("Arrears"), (Role.FINANCE,), order=10, slot="bottom")
    hooks.add_unit_section(unit_arrears)

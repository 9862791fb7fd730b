"""Where fees plug into the app: the blueprint, 欠费催缴 in the navigation, a unit's arrears history on
its page, the obligations (obligations.py), the pages the phone keeps offline, the synced chase."""

from __future__ import annotations

from flask import Flask, render_template, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from sync.store import utcnow

from ..auth.public import area_ids_visible_to, areas_visible_to, current_estate
from ..kernel.dates import local_date, tz
from ..kernel.hooks import hooks_of
from ..kernel.roles import FEES_DESK, FIELD, LEADS, Role
from . import chases, demo, entities, queries, rules, scale, views_desk, views_field  # noqa: F401  (views_*: routes join views.bp)
from .obligations import chase_obligations, list_obligations
from .views import bp

HISTORY_READERS = FIELD  # who chases (officers) and checks (the leads); the front desk does not need it
OFFLINE_CHASES = 80  # the chase forms a phone keeps, most overdue first


def unit_arrears(user, unit):
    """The unit's arrears month by month, as finance listed them (R-FEE-1)."""
    area_id = unit.building.area_id
    if not user.has_role(*HISTORY_READERS) or not (area_id is None or area_id in area_ids_visible_to(user)):
        return None
    history = queries.history_of(unit.id)
    return Markup(render_template("fees/_unit_history.html", months=rules.by_month(history), yuan=rules.yuan))


def offline_pages(user) -> list[str]:
    if user.role != Role.OFFICER:
        return []
    estate = current_estate()
    if estate is None:
        return []
    rows = chases.chase_rows(estate, areas_visible_to(user), local_date(utcnow(), tz()), tz())[:OFFLINE_CHASES]
    return [url_for("fees.index"), *(url_for("fees.chase_form", unit_id=r.unit.id,
                                             household_id=r.household.id if r.household else 0) for r in rows)]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_nav_item("fees.index", _l("Arrears chases"), (Role.OFFICER,), order=22, slot="me")
    hooks.add_nav_item("fees.index", _l("Arrears chases"), LEADS, order=48)
    hooks.add_nav_item("fees.lists", _l("Arrears lists"), FEES_DESK, order=49)
    hooks.add_nav_item("fees.glance", _l("Arrears at a glance"), FEES_DESK, order=50)
    hooks.add_nav_item("fees.lists", _l("Arrears lists"), (Role.FINANCE,), order=10, slot="bottom")
    hooks.add_unit_section(unit_arrears)
    hooks.add_obligations(list_obligations)
    hooks.add_obligations(chase_obligations)
    hooks.add_offline_pages(offline_pages)
    hooks.add_entity_labels(entities.LABELS)
    entities.register(app)
    hooks.add_demo(demo.extend)
    hooks.add_scale(scale.extend)

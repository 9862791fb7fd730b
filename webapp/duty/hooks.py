"""Where the duty desk plugs into the app: the blueprint and `flask duty verify`, the desk's pages in its navigation,
the front desk's overview section (who is on duty, the open work, today's log), the daily check's obligations, the
log and its form kept offline, the synced entity, demo and scale history."""

from __future__ import annotations

from flask import Flask, render_template, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..kernel.dates import local_date, tz
from ..kernel.hooks import hooks_of
from ..kernel.roles import LEADS, Role
from . import (  # noqa: F401  (their routes join views.bp)
    check,
    commands,
    demo,
    entities,
    handover,
    queries,
    rules,
    scale,
    views_check,
    views_handover,
    views_roster,
)
from .views import bp


def offline_pages(user) -> list[str]:
    if user.role not in entities.WRITERS:
        return []
    return [url_for("duty.index"), url_for("duty.new")]


def overview_duty(user, estate, now):
    """The front desk's day: who is on duty, the open handover work (R-DUTY-2), today's log (R-DUTY-1). The leads open the log from the navigation."""
    if estate is None or user.role != Role.FRONTDESK:
        return None
    day = local_date(now, tz())
    lines = rules.lines_of(queries.day_entries(estate.id, day, tz()))
    items = handover.open_items(estate.id)
    return Markup(render_template("duty/_overview.html", lines=lines[-queries.LATEST:], total=len(lines), day=day,
                                  shift=views_roster.on_duty(estate.id, now), items=items,
                                  blocked=rules.blocking(items)))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_nav_item("duty.index", _l("Duty log"), entities.WRITERS, order=30)
    hooks.add_nav_item("duty.handover_page", _l("Handover"), entities.WRITERS, order=32)
    hooks.add_nav_item("duty.roster", _l("Duty roster"), entities.WRITERS, order=33)
    hooks.add_nav_item("duty.check_page", _l("Daily log check"), entities.WRITERS, order=34)
    hooks.add_nav_item("duty.verify", _l("Duty log check"), LEADS, order=35)
    hooks.add_overview_section(overview_duty, order=5)
    hooks.add_obligations(check.check_obligations)
    hooks.add_offline_pages(offline_pages)
    hooks.add_entity_labels(entities.LABELS)
    entities.register(app)
    hooks.add_demo(demo.extend)
    hooks.add_scale(scale.extend)

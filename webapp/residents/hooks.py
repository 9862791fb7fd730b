"""Where visits and cases plug into the app: the blueprint, 家访 and 业户事项 in the navigation, the
officer's Today section, the desk's overview, the obligations (obligations.py), the pages the phone keeps
offline, the synced entities, the demo history."""

from __future__ import annotations

from flask import Flask, render_template, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..areas.public import officers_by_area
from ..auth.public import area_ids_visible_to
from ..kernel.dates import tz
from ..kernel.hooks import hooks_of
from ..kernel.roles import DESK, LEADS, Role
from . import charts, day, demo, entities, queries, rules, scale, views_check, views_desk, views_field  # noqa: F401  (views_*: routes join views.bp)
from .obligations import disputed_obligations, escalated_obligations, progress_of, visit_quota_obligations
from .views import bp

OFFLINE_CASES = 60  # the open cases a phone keeps, soonest due first


def offline_pages(user) -> list[str]:
    if user.role != Role.OFFICER:
        return []
    cases = queries.cases_in(area_ids_visible_to(user), rules.OPEN, limit=OFFLINE_CASES)
    return [url_for("residents.index"), url_for("residents.visit_form"), url_for("residents.cases"),
            url_for("residents.case_form"),
            *(url_for("residents.case", case_id=c.id) for c in cases)]


def today_visits(user, estate, now):
    """The officer's visits against the quota this month and year, and their areas' open matters."""
    if estate is None or user.role != Role.OFFICER:
        return None
    day, progress = progress_of(user, estate, now)
    if not progress:
        return None
    open_cases = rules.by_urgency(queries.cases_in([a.id for a, _p in progress], rules.OPEN), day)
    late = [c for c in open_cases if rules.overdue(c.status, c.due_on, day)]
    return Markup(render_template("residents/_today.html", progress=progress, open_cases=open_cases, late=late,
                                  today=day))


def overview_visits(user, estate, now):
    """Visits against the quota by area and officer (R-VIS-1, -2, -4); matters officers could not handle."""
    if estate is None or not user.has_role(*LEADS):
        return None
    day, progress = progress_of(user, estate, now)
    if not progress:
        return None
    officers = officers_by_area(estate.id)
    area_ids = [a.id for a, _p in progress]
    tallies = queries.visits_by_officer(area_ids, day.year, day.month, tz())
    people = {u.id: u for u in officers.values() if u is not None}
    names = {who: person.display_name for who, person in people.items()}
    return Markup(render_template("residents/_overview.html", progress=progress, officers=officers, people=people,
                                  tallies=tallies, escalated=queries.escalated_open(area_ids), today=day,
                                  charts=charts.areas(progress), officer_chart=charts.officers(tallies, names),
                                  month_words=charts.month_words(), year_words=charts.year_words(),
                                  officer_words=charts.officer_words()))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_nav_item("residents.index", _l("Resident visits"), (Role.OFFICER,), order=20, slot="me")
    hooks.add_nav_item("residents.cases", _l("Residents' matters"), (Role.OFFICER,), order=21, slot="me")
    hooks.add_nav_item("residents.register", _l("Residents' matters"), DESK, order=45)
    hooks.add_nav_item("residents.index", _l("Resident visits"), LEADS, order=46)
    hooks.add_nav_item("residents.check", _l("Visit check"), DESK, order=47)
    hooks.add_today_section(today_visits, order=45)
    hooks.add_overview_section(overview_visits, order=45)
    hooks.add_obligations(visit_quota_obligations)
    hooks.add_obligations(escalated_obligations)
    hooks.add_obligations(disputed_obligations)
    hooks.add_offline_pages(offline_pages)
    hooks.add_entity_labels(entities.LABELS)
    entities.register(app)
    hooks.add_demo(demo.extend)
    hooks.add_scale(scale.extend)
    hooks.add_day_items(day.day_items)



"""Where visits and cases plug into the app: the blueprint, 家访 and 业户事项 in the navigation, the
officer's Today section and quota obligations, the pages the phone keeps offline, the synced entities."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from flask import Flask, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..areas.public import officers_by_area
from ..auth.public import area_ids_visible_to, areas_visible_to
from ..kernel.dates import day_start_utc, local_date, tz
from ..kernel.hooks import Obligation, hooks_of
from ..kernel.roles import DESK, LEADS, Role
from . import demo, entities, queries, rules, views_check, views_desk, views_field  # noqa: F401  (views_*: routes join views.bp)
from .views import bp

OFFLINE_CASES = 60  # the open cases a phone keeps, soonest due first
DISPUTE_DAYS = 30  # a disputed visit stays on the supervisor's list this long


def offline_pages(user) -> list[str]:
    if user.role != Role.OFFICER:
        return []
    cases = queries.cases_in(area_ids_visible_to(user), rules.OPEN, limit=OFFLINE_CASES)
    return [url_for("residents.index"), url_for("residents.visit_form"), url_for("residents.cases"),
            url_for("residents.case_form"),
            *(url_for("residents.case", case_id=c.id) for c in cases)]


def _progress(user, estate, now):
    day = local_date(now, tz())
    return day, [(a, queries.area_progress(a.id, a.estate_id, day, tz())) for a in areas_visible_to(user)
                 if a.estate_id == estate.id]


def today_visits(user, estate, now):
    """The officer's visits against the quota this month and year, and their areas' open matters."""
    if estate is None or user.role != Role.OFFICER:
        return None
    day, progress = _progress(user, estate, now)
    if not progress:
        return None
    open_cases = rules.by_urgency(queries.cases_in([a.id for a, _p in progress], rules.OPEN), day)
    late = [c for c in open_cases if rules.overdue(c.status, c.due_on, day)]
    return Markup(render_template("residents/_today.html", progress=progress, open_cases=open_cases, late=late,
                                  today=day))


def visit_quota_obligations(user, estate, now) -> list[Obligation]:
    """An area behind this month's home visits is the officer's to catch up by the month's end (R-VIS-1)."""
    if estate is None or user.role != Role.OFFICER:
        return []
    day, progress = _progress(user, estate, now)
    end = day_start_utc(date(day.year, day.month, monthrange(day.year, day.month)[1]) + timedelta(days=1), tz())
    found = [Obligation("visit_quota", "R-VIS-1",
                        _("%(area)s: %(n)d more households to visit this month", area=area.name, n=p["month"].missing),
                        end, url_for("residents.visit_form"))
             for area, p in progress if p["month"].behind]
    for area, p in progress:
        behind = rules.year_pace(p["year"], day.month) - p["year"].done
        if behind > 0:  # R-VIS-2: households not yet visited this year, by the pace of the year
            found.append(Obligation("visit_coverage", "R-VIS-2",
                                    _("%(area)s: %(n)d households behind this year's visits", area=area.name, n=behind),
                                    end, url_for("residents.visit_form")))
    return found


def overview_visits(user, estate, now):
    """Visits against the quota by area and officer (R-VIS-1, -2, -4); matters officers could not handle."""
    if estate is None or not user.has_role(*LEADS):
        return None
    day, progress = _progress(user, estate, now)
    if not progress:
        return None
    officers = officers_by_area(estate.id)
    area_ids = [a.id for a, _p in progress]
    tallies = queries.visits_by_officer(area_ids, day.year, day.month, tz())
    people = {u.id: u for u in officers.values() if u is not None}
    return Markup(render_template("residents/_overview.html", progress=progress, officers=officers, people=people,
                                  tallies=tallies, escalated=queries.escalated_open(area_ids), today=day))


def escalated_obligations(user, estate, now) -> list[Obligation]:
    """A matter the officer cannot handle goes to the supervisor at once (R-VIS-5): due the day it came."""
    if estate is None or not user.has_role(Role.SUPERVISOR):
        return []
    area_ids = [a.id for a in areas_visible_to(user) if a.estate_id == estate.id]
    return [Obligation("resident_case_escalated", "R-VIS-5",
                       _("%(kind)s at %(where)s: the officer cannot handle it", kind=c.type_label, where=c.where),
                       day_start_utc(c.received_on + timedelta(days=1), tz()),
                       url_for("residents.case", case_id=c.id))
            for c in queries.escalated_open(area_ids)]


def disputed_obligations(user, estate, now) -> list[Obligation]:
    """A household that says the visit did not happen as recorded: the supervisor's to look into (R-SUP-2)."""
    if estate is None or not user.has_role(Role.SUPERVISOR):
        return []
    return [Obligation("visit_disputed", "R-SUP-2",
                       _("Visit disputed by %(where)s: %(note)s", where=f"{c.visit.household.unit.label} {c.visit.household.name}",
                         note=c.note or "—"),
                       c.checked_at + timedelta(days=1), url_for("residents.check", month=c.month, _anchor=f"v-{c.visit_id}"))
            for c in queries.recent_disputes(estate.id, now - timedelta(days=DISPUTE_DAYS))]


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



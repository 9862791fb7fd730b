"""Where patrol plugs into the app (init_app): its blueprint, navigation, the 今日 and 总览 sections,
obligations, offline pages, its synced entities and its demo history."""

from __future__ import annotations

import calendar
from datetime import timedelta

from flask import Flask, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import func, select

from ..areas.public import KeyLocation, officers_by_area
from ..auth.public import area_ids_visible_to, areas_visible_to
from ..extensions import db
from ..kernel.dates import day_start_utc, local_date, tz
from ..kernel.hooks import Obligation, hooks_of
from ..kernel.roles import DESK, FIELD, LEADS, Role
from . import charts, day, demo, entities, queries, rules, scale, views_desk, views_field, views_templates  # noqa: F401  (routes join views.bp)
from .models import Finding, FindingStatus
from .views import bp
from .views_desk import emergency_panel

# Findings a device keeps offline (newest first): enough for a day's work, bounded for the cache.
OFFLINE_FINDINGS = 40


def today_patrol(user, estate, now):
    """The officer's day (R-PAT-1): key locations and the weekly full round, done / due / overdue;
    a team's open findings; emergencies in the officer's areas (R-PAT-5)."""
    if estate is None:
        return None
    if user.role == Role.TEAM:
        open_count = db.session.scalar(select(func.count()).select_from(Finding).where(
            Finding.team == user.team, Finding.status.in_((FindingStatus.OPEN, FindingStatus.ASSIGNED)),
            Finding.area_id.in_(area_ids_visible_to(user)), Finding.deleted_at.is_(None)))
        return Markup(render_template("patrol/_today_team.html", open_count=open_count))
    if user.role != Role.OFFICER:
        return None
    dues = queries.areas_due(areas_visible_to(user), now, officers_by_area(estate.id))
    return Markup(render_template("patrol/_today.html", dues=dues, remaining=sum(d.remaining for d in dues),
                                  residents=queries.resident_findings(area_ids_visible_to(user)), is_lead=False,
                                  **emergency_panel(estate.id)))


def overview_emergencies(user, estate, now):
    """Emergencies first, polled every 15 s, until a supervisor acknowledges them (R-PAT-5)."""
    if estate is None:
        return None
    return Markup(render_template("patrol/_emergencies.html", **emergency_panel(estate.id)))


def overview_patrol(user, estate, now):
    """Per area: today's key locations, the week's full round, the month's full inspections against
    the policy (R-SUP-1), open findings."""
    if estate is None or not user.has_role(*LEADS):
        return None
    areas = [a for a in areas_visible_to(user) if a.estate_id == estate.id]
    dues = queries.areas_due(areas, now, officers_by_area(estate.id))
    ids = [a.id for a in areas]
    ages, spots = queries.open_ages(ids, now), queries.spot_checks_by_area(ids, now)
    rows = [(due, spots[due.area.id], sum(ages[due.area.id])) for due in dues]
    needed = queries.policy(estate.id, "supervisor_full_inspections_per_month")
    return Markup(render_template("patrol/_overview.html", rows=rows, needed=needed, charts=charts.today(dues, ages),
                                  today_words=charts.today_words(), age_words=charts.age_words(),
                                  ages=charts.age_histogram(rules.sum_counts(ages[i] for i in ids))))


def month_end_utc(now, zone):
    today = local_date(now, zone)
    last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    return day_start_utc(last + timedelta(days=1), zone) - timedelta(seconds=1)


def spot_check_obligations(user, estate, now) -> list[Obligation]:
    """R-SUP-1: the supervisor fully inspects each area at least N times a month."""
    if estate is None or not user.has_role(Role.SUPERVISOR):
        return []
    needed = queries.policy(estate.id, "supervisor_full_inspections_per_month")
    due = month_end_utc(now, tz())
    areas = [a for a in areas_visible_to(user) if a.estate_id == estate.id]
    spots = queries.spot_checks_by_area([a.id for a in areas], now)
    found = []
    for area in areas:
        done = spots[area.id]
        if done < needed:
            found.append(Obligation("patrol_spot_check", "R-SUP-1",
                                    _("Full inspection of %(area)s this month: %(done)d of %(needed)d",
                                      area=area.name, done=done, needed=needed),
                                    due, url_for("patrol.full_round_form", area_id=area.id)))
    return found


def offline_pages(user) -> list[str]:
    """Round forms of the user's areas (officers; leads for onsite spot-checks), the emergency form,
    the due list and the findings they work on."""
    urls = [url_for("patrol.emergency_form")]
    if user.role == Role.TEAM:
        query = queries.findings_query(area_ids_visible_to(user), team=user.team, open_only=True)
        return urls + [url_for("patrol.findings")] + [
            url_for("patrol.finding", finding_id=f.id) for f in db.session.scalars(query.limit(OFFLINE_FINDINGS))]
    if user.role not in FIELD:
        return urls
    area_ids = area_ids_visible_to(user)
    locations = db.session.scalars(select(KeyLocation).where(KeyLocation.area_id.in_(list(area_ids)),
                                                             KeyLocation.active.is_(True)).order_by(KeyLocation.id))
    # The open findings as 巡查 and 今日 link to them (their query is a filter: a page of its own).
    urls += [url_for("patrol.index"), url_for("patrol.findings"), url_for("patrol.findings", status="open_all"),
             url_for("patrol.findings", status="open_all", residents=1)]
    if user.has_role(*LEADS):  # where a spot-check saved with no signal lands (R-SUP-1)
        urls.append(url_for("patrol.spot_check_result"))
    urls += [url_for("patrol.round_form", location_id=loc.id) for loc in locations]
    urls += [url_for("patrol.full_round_form", area_id=a) for a in sorted(area_ids)]
    query = queries.findings_query(area_ids, open_only=True)
    urls += [url_for("patrol.finding", finding_id=f.id) for f in db.session.scalars(query.limit(OFFLINE_FINDINGS))]
    return urls


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_nav_item("patrol.index", _l("Patrol rounds"), (Role.OFFICER,), order=20, slot="bottom")
    hooks.add_nav_item("patrol.findings", _l("Findings"), (Role.TEAM,), order=20, slot="bottom")
    # A supervisor checks onsite (R-SUP-1): on a phone the spot-check and the findings are one tap away.
    hooks.add_nav_item("patrol.index", _l("Spot-check"), (Role.SUPERVISOR,), order=20, slot="bottom")
    hooks.add_nav_item("patrol.findings", _l("Findings"), (Role.SUPERVISOR, Role.MANAGER), order=22, slot="bottom")
    hooks.add_nav_item("patrol.coverage", _l("Patrol rounds"), LEADS, order=20)
    hooks.add_nav_item("patrol.findings", _l("Findings"), LEADS, order=22)
    hooks.add_nav_item("patrol.emergencies", _l("Emergencies"), DESK, order=24)
    hooks.add_nav_item("patrol.templates", _l("Checklists"), LEADS, order=72)
    hooks.add_today_section(today_patrol, order=20)
    hooks.add_overview_section(overview_emergencies, order=5)
    hooks.add_overview_section(overview_patrol, order=30)
    hooks.add_obligations(spot_check_obligations)
    hooks.add_offline_pages(offline_pages)
    hooks.add_entity_labels(entities.LABELS)
    entities.register(app)
    hooks.add_demo(demo.extend)
    hooks.add_day_items(day.day_items)
    hooks.add_scale(scale.extend)

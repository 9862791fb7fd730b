"""Where renovation plugs into the app (init_app): its blueprint, navigation, the officer's 今日, the
supervisor's 总览, obligations (escalated violations), offline pages, its synced entity and its demo
history (R-REN-1, R-REN-2)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from sync.store import utcnow

from ..auth.public import area_ids_visible_to, current_estate
from ..extensions import db
from ..kernel.dates import day_start_utc, tz
from ..kernel.hooks import Obligation, hooks_of
from ..kernel.roles import LEADS, Role
from . import day, demo, entities, queries, rules, scale, views_desk, views_extra, views_field  # noqa: F401  (routes join views.bp)
from .models import Renovation, Status
from .views import EDITORS, bp


def _mine(user, now, estate_id: int) -> list[queries.DueRow]:
    """The officer's units today: their areas' and those they are an extra inspector on."""
    estate_rows = queries.today_rows(area_ids_visible_to(user), now, estate_id)
    extra_ids = set(queries.assigned_to(user.id, queries.today(now)))
    if extra_ids:
        extra_areas = set(db.session.scalars(select(Renovation.area_id).where(Renovation.id.in_(extra_ids))))
        estate_rows += [r for r in queries.today_rows(extra_areas - area_ids_visible_to(user), now, estate_id)
                        if r.renovation.id in extra_ids]
    return estate_rows


def refresh_floors(user, estate, now):
    """Before the patrol's sections: floors follow the day (an approved unit reaching its start date is
    under renovation without anyone editing its file), R-PAT-1 = R-REN-1. Renders nothing."""
    if estate is not None and queries.refresh_floor_locations(estate.id, queries.today(now)):
        db.session.commit()


def renovating_units(unit_ids) -> dict[int, str]:
    """The units whose works are under way: the building page counts them as 装修中 (R-REN-1)."""
    found = db.session.scalars(select(Renovation.unit_id).where(Renovation.unit_id.in_(unit_ids),
                                                                Renovation.status == Status.IN_PROGRESS))
    return dict.fromkeys(found, "renovating")


def today_renovation(user, estate, now):
    """Renovating units not yet inspected today (R-REN-1) and violations to follow up (R-REN-2)."""
    if estate is None or user.role != Role.OFFICER:
        return None
    rows = _mine(user, now, estate.id)
    violations = queries.open_violations(_my_renovation_ids(user, now, estate.id))
    if not rows and not violations:
        return None
    return Markup(render_template("renovation/_today.html", rows=rows, left=[r for r in rows if not r.done],
                                  violations=violations, today=queries.today(now)))


def _my_renovation_ids(user, now, estate_id: int) -> set[int]:
    """Files the officer follows up: their areas' open ones and the units they are an extra inspector on."""
    own = {r.id for r in queries.renovations_in(area_ids_visible_to(user), rules.FOLLOW_UP_STATUSES)
           if r.estate_id == estate_id}
    return own | set(queries.assigned_to(user.id, queries.today(now)))


def overview_renovation(user, estate, now):
    """Per area: renovating units inspected today, units nobody is on, escalated violations."""
    if estate is None or not user.has_role(*LEADS):
        return None
    rows = queries.today_rows(area_ids_visible_to(user), now, estate.id)
    escalated = queries.escalated(area_ids_visible_to(user), now)
    if not rows and not escalated:
        return None
    return Markup(render_template("renovation/_overview.html", rows=rows, left=[r for r in rows if not r.done],
                                  nobody=[r for r in rows if not r.people], escalated=escalated,
                                  today=queries.today(now)))


def escalated_violations(user, estate, now) -> list[Obligation]:
    """A repeat or overdue violation is the supervisor's to chase (R-REN-2)."""
    if estate is None or not user.has_role(Role.SUPERVISOR):
        return []
    found = []
    for v in queries.escalated(area_ids_visible_to(user), now):
        title = (_("Repeat renovation violation at %(unit)s: %(what)s", unit=v.renovation.unit.label, what=v.item_label)
                 if v.repeat else
                 _("Renovation violation overdue at %(unit)s: %(what)s", unit=v.renovation.unit.label, what=v.item_label))
        found.append(Obligation("renovation_violation", "R-REN-2", title,
                                day_start_utc(v.deadline + timedelta(days=1), tz()),
                                url_for("renovation.detail", renovation_id=v.renovation_id)))
    return found


def offline_pages(user) -> list[str]:
    """The register, and per unit the officer looks after: its file and every form they may need there —
    the daily inspection, the follow-up of each open violation, the final inspection of a completed one."""
    if user.role != Role.OFFICER:
        return []
    estate, now = current_estate(), utcnow()
    if estate is None:
        return [url_for("renovation.index")]
    urls = [url_for("renovation.index")]
    ids = _my_renovation_ids(user, now, estate.id)
    for ren in db.session.scalars(select(Renovation).where(Renovation.id.in_(ids)).order_by(Renovation.id)):
        urls.append(url_for("renovation.detail", renovation_id=ren.id))
        if ren.status in rules.DUE_STATUSES:
            urls.append(url_for("renovation.inspect", renovation_id=ren.id))
        if ren.status == Status.COMPLETED:
            urls.append(url_for("renovation.inspect", renovation_id=ren.id, kind="final"))
    urls += [url_for("renovation.inspect", renovation_id=v.renovation_id, kind="follow_up", violation=v.id)
             for v in queries.open_violations(ids)]
    return urls


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_nav_item("renovation.index", _l("Renovation"), (Role.OFFICER,), order=30, slot="bottom")
    hooks.add_nav_item("renovation.index", _l("Renovation"), EDITORS, order=30)
    hooks.add_nav_item("renovation.index", _l("Renovation"), (Role.FRONTDESK,), order=35, slot="bottom")
    hooks.add_unit_states(renovating_units)
    hooks.add_today_section(refresh_floors, order=1)
    hooks.add_overview_section(refresh_floors, order=1)
    hooks.add_today_section(today_renovation, order=25)
    hooks.add_overview_section(overview_renovation, order=32)
    hooks.add_obligations(escalated_violations)
    hooks.add_offline_pages(offline_pages)
    hooks.add_entity_labels(entities.LABELS)
    entities.register(app)
    hooks.add_demo(demo.extend)
    hooks.add_day_items(day.day_items)
    hooks.add_scale(scale.extend)

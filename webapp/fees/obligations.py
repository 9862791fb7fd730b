"""What the arrears ask of people, computed, never stored: finance's list of the month not yet in by its
day (R-FEE-1), chases overdue by their cadence (R-FEE-4, R-FEE-5) — the officer's on 今日, every area's on
the supervisor's 总览."""

from __future__ import annotations

from datetime import date, timedelta

from flask import url_for
from flask_babel import gettext as _

from ..auth.public import areas_visible_to
from ..kernel.dates import day_start_utc, local_date, tz
from ..kernel.hooks import Obligation
from ..kernel.roles import LEADS, Role
from ..policies.public import policy
from . import chases, queries, rules


def _last_moment(day: date):
    """Due by the end of that local day (shown as that day, not the next)."""
    return day_start_utc(day + timedelta(days=1), tz()) - timedelta(seconds=1)


def list_obligations(user, estate, now) -> list[Obligation]:
    """This month's list, due from finance by the policy's day; shown to finance until it is in."""
    if estate is None or user.role != Role.FINANCE:
        return []
    day = local_date(now, tz())
    month = rules.month_key(day)
    latest = queries.latest_list(estate.id)
    if latest is not None and latest.month >= month:
        return []
    due = rules.list_due_on(day, policy(estate.id, rules.LIST_DUE_POLICY))
    return [Obligation("arrears_list", "R-FEE-1", _("Finance's arrears list of %(month)s", month=month),
                       _last_moment(due), url_for("fees.lists"))]


def chase_obligations(user, estate, now) -> list[Obligation]:
    """Each area with chases overdue: the officer's to make, the supervisor's to see."""
    if estate is None or not (user.role == Role.OFFICER or user.has_role(*LEADS)):
        return []
    day = local_date(now, tz())
    areas = areas_visible_to(user)
    late: dict[int, list] = {}
    for row in chases.chase_rows(estate, areas, day, tz()):
        if row.overdue(day):
            late.setdefault(row.area_id, []).append(row)
    names = {a.id: a.name for a in areas}
    return [Obligation("arrears_chase", "R-FEE-4",
                       _("%(area)s: %(n)d arrears chases overdue", area=names[area_id], n=len(rows)),
                       _last_moment(min(d.on for r in rows for d in r.due if d.overdue(day))), url_for("fees.index"))
            for area_id, rows in late.items()]

"""What the residents' records ask of people, computed, never stored: an area behind its visits (R-VIS-1,
R-VIS-2), a matter the officer cannot handle (R-VIS-5), a visit a household disputes (R-SUP-2)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from flask import url_for
from flask_babel import gettext as _

from ..auth.public import areas_visible_to
from ..kernel.dates import day_start_utc, local_date, tz
from ..kernel.hooks import Obligation
from ..kernel.roles import Role
from . import queries, rules

DISPUTE_DAYS = 30  # a disputed visit stays on the supervisor's list this long


def _last_moment(day: date):
    """Due by the end of that local day (shown as that day, not the next)."""
    return day_start_utc(day + timedelta(days=1), tz()) - timedelta(seconds=1)


def progress_of(user, estate, now):
    """The local day and each of the user's areas of the estate with its visits against the quota."""
    day = local_date(now, tz())
    areas = [a for a in areas_visible_to(user) if a.estate_id == estate.id]
    progress = queries.areas_progress({a.id: a.estate_id for a in areas}, day, tz())
    return day, [(a, progress[a.id]) for a in areas]


def visit_quota_obligations(user, estate, now) -> list[Obligation]:
    """An area behind this month's home visits is the officer's to catch up by the month's end (R-VIS-1)."""
    if estate is None or user.role != Role.OFFICER:
        return []
    day, progress = progress_of(user, estate, now)
    end = _last_moment(date(day.year, day.month, monthrange(day.year, day.month)[1]))
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


def escalated_obligations(user, estate, now) -> list[Obligation]:
    """A matter the officer cannot handle goes to the supervisor at once (R-VIS-5): due the day it came."""
    if estate is None or not user.has_role(Role.SUPERVISOR):
        return []
    area_ids = [a.id for a in areas_visible_to(user) if a.estate_id == estate.id]
    return [Obligation("resident_case_escalated", "R-VIS-5",
                       _("%(kind)s at %(where)s: the officer cannot handle it", kind=c.type_label, where=c.where),
                       _last_moment(c.received_on),
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

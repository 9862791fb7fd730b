"""Visits' and matters' part of an officer's daily work record (R-REC-1, R-VIS-5: a visit's record is
attached to that day's record): the visits made that local day and the matters raised or moved on."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..kernel.hooks import DayItem
from .public import day_records

CASE = _l("Residents' matter")


def day_items(user_id: int, day: date, zone: ZoneInfo) -> list[DayItem]:
    found = day_records(user_id, day, zone)
    # a matter raised on a visit stands with the visit; one moved on that day, when it was moved
    when = {event.case_id: event.received_at for event in found["events"]}
    when.update({c.id: v.visited_at for v in found["visits"] for c in found["cases"] if c.visit_id == v.id})
    visits = [DayItem(f"resident_visit:{v.id}", v.kind_label, v.visited_at, _visit_line(v),
                      url_for("residents.visit", visit_id=v.id)) for v in found["visits"]]
    cases = [DayItem(f"resident_case:{c.id}", CASE, when.get(c.id, c.received_at),
                     f"{c.where} · {c.type_label} · {c.status_label} · {c.description}",
                     url_for("residents.case", case_id=c.id)) for c in found["cases"]]
    return visits + cases


def _visit_line(visit) -> str:
    parts = [f"{visit.household.unit.label} {visit.household.name}"]
    if visit.nobody_home:
        parts.append(_("nobody home"))
    if visit.discussed:
        parts.append(visit.discussed)
    if visit.opinions:
        parts.append(_("%(n)d opinions", n=len(visit.opinions)))
    return " · ".join(parts)

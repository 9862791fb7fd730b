"""Visits as pictures (kernel/charts.py geometry): an area's months against the monthly quota (R-VIS-1),
areas side by side this month and this year (R-VIS-1, -2), officers side by side this month. Each chart's
words are here with it, so a page only places the charts."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from ..kernel.charts import Column, Row, bar_list, columns


def _of(done: int, total: int) -> str:
    return f"{done}/{total}"  # as the quota reads in the table and on Today


def _met(progress) -> str:
    return "plain" if progress.behind else "ok"


def month_words() -> dict[str, str]:
    return {"ok": _("Quota met"), "plain": _("Below the quota"), "target": _("Monthly quota")}


def year_words() -> dict[str, str]:
    return {"ok": _("Coverage reached"), "plain": _("Households visited"), "target": _("Coverage needed this year")}


def officer_words() -> dict[str, str]:
    return {"plain": _("Home visits"), "plain-striped": _("Phone visits"), "pending": _("Nobody home")}


def months(rows):
    """An area's last months as columns (year, month, Progress), the latest month's quota as a line."""
    return columns([Column(format_date(date(y, m, 1), "LLL"), ((_met(p), p.done),), text=f"{p.done}/{p.required}")
                    for y, m, p in rows], plot=100, target=rows[-1][2].required if rows else None)


def areas(progress) -> dict:
    """Areas side by side: this month's visits against the quota, the year's coverage against what the
    year asks (each area's households as its full bar: rates compare)."""
    return {
        "month": bar_list([Row(a.name, ((_met(p["month"]), p["month"].done),), target=p["month"].required,
                               text=_of(p["month"].done, p["month"].required)) for a, p in progress]),
        "year": bar_list([Row(a.name, ((_met(p["year"]), p["year"].done),), total=max(p["households"], 1),
                              target=p["year"].required, text=_of(p["year"].done, p["year"].required))
                          for a, p in progress], share=True),
    }


def officers(tallies: dict, names: dict) -> object:
    """Officers side by side this month: home visits, phone visits, nobody home (counts on one scale)."""
    return bar_list([Row(names.get(who) or _("Someone else"),
                         (("plain", t["home"]), ("plain-striped", t["phone"]), ("pending", t["nobody_home"])))
                     for who, t in tallies.items()])

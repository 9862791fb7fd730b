"""Fees at a glance (kernel/charts.py geometry): arrears by area this month and by month over the year, long-term
and the rest; the share recovered of what was owed at each month's start (R-FEE-1, R-FEE-3). Each chart's
words are here with it, so a page only places the charts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import gettext as _

from ..kernel.charts import Column, Row, bar_list, columns
from . import rules


def words() -> dict[str, str]:
    return {"alert": _("Long-term"), "plain": _("Others"), "ok": _("Recovered")}


def _wan(fen: int) -> str:
    """Yuan in 万 (ten thousands), one decimal: a column's number that fits at phone width."""
    return f"{fen / 1_000_000:.1f}"


def _parts(debtors, threshold: int) -> tuple[tuple[str, float], tuple[str, float]]:
    long_term = sum(d.amount_fen for d in debtors if d.months_owed > threshold)
    rest = sum(d.amount_fen for d in debtors) - long_term
    return ("alert", long_term / 1_000_000), ("plain", rest / 1_000_000)


SHOWN = 6  # months across: their numbers and labels read at 360 px without running into each other


def glance(rows, areas, threshold: int) -> dict:
    """rows: queries.debts_by_month (SHOWN + 1 months: the oldest only gives the recovery of the next). The
    charts, and the months they span (oldest first)."""
    by_month: dict[str, list] = defaultdict(list)
    for row in rows:
        by_month[row.month].append(rules.Debtor(row.unit_id, row.household_id, row.months_owed, row.amount_fen,
                                                date.min))
    months = sorted(by_month)
    area_rows = defaultdict(list)
    for row in rows:
        if months and row.month == months[-1]:
            area_rows[row.area_id].append(row)
    recovery = []
    for month, after in zip(months, months[1:], strict=False):
        owed = sum(d.amount_fen for d in by_month[month])
        pct = rules.recovery_pct(owed, rules.recovered_fen(by_month[month], by_month[after])) or 0
        recovery.append(Column(_short(month), (("ok", pct),), text=f"{pct}%"))
    return {
        "months": months,
        "areas": bar_list([Row(a.name, _parts(area_rows[a.id], threshold),
                               text=_("%(wan)s ten-thousand yuan, %(n)d households", wan=_wan(sum(r.amount_fen for r in area_rows[a.id])),
                                      n=len(area_rows[a.id])))
                           for a in areas]),
        "by_month": columns([Column(_short(m), _parts(by_month[m], threshold),
                                    text=_wan(sum(d.amount_fen for d in by_month[m]))) for m in months[-SHOWN:]]),
        "recovery": columns(recovery[-SHOWN:]),
    }


def _short(month: str) -> str:
    return _("Month %(m)d", m=int(month[5:]))

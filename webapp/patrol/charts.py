"""Patrol's pictures (kernel/charts.py geometry): areas and officers side by side (R-PAT-1, R-SUP-1), open
findings by age (R-PAT-4). Each chart's words are here with it, so a page only places the charts."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from ..kernel.charts import Column, Row, bar_list, columns
from . import rules

AGE_MARKS = ("plain", "plain-striped", "warn", "alert")  # older is louder; over a week needs someone (red)


def age_label(bucket: tuple[int, int | None]) -> str:
    lo, hi = bucket
    if hi is None:
        return _("over %(n)d days", n=lo - 1)
    return _("%(lo)d–%(hi)d days", lo=lo, hi=hi - 1)


def age_words() -> dict[str, str]:
    return {mark: age_label(b) for mark, b in zip(AGE_MARKS, rules.AGE_BUCKETS, strict=True)}


def key_words() -> dict[str, str]:
    return {"ok": _("Done"), "ok-striped": _("Done by someone else"), "alert": _("Missed"),
            "pending": _("Still to do today")}


def week_words() -> dict[str, str]:
    return {**key_words(), "pending": _("Still to do this week")}


def spot_words() -> dict[str, str]:
    return {"ok": _("Target reached"), "plain": _("Done"), "target": _("Target (policy)")}


def words() -> dict[str, dict[str, str]]:
    """What the marks of the coverage pages' charts mean, for their legends and descriptions."""
    return {"key_words": key_words(), "week_words": week_words(), "age_words": age_words(), "spot_words": spot_words()}


def _counted(label: str, counts: rules.PeriodCounts) -> Row:
    return Row(label, (("ok", counts.done), ("alert", counts.missed), ("pending", counts.open)), total=counts.total,
               text=_("%(done)d of %(total)d", done=counts.done, total=counts.total))


def ages_row(label: str, counts: Sequence[int]) -> Row:
    return Row(label, tuple(zip(AGE_MARKS, counts, strict=True)))


def areas(cards) -> dict:
    """The coverage page's comparison of areas: key locations and full rounds over the 30 days (each
    area's own due as a full bar: rates compare), this month's full inspections against the policy, open
    findings by age (counts on one scale)."""
    return {
        "key": bar_list([_counted(c.area.name, c.key) for c in cards], share=True),
        "full": bar_list([_counted(c.area.name, c.full) for c in cards], share=True),
        "spot": bar_list([Row(c.area.name, (("ok" if c.spot_checks_this_month >= c.spot_checks_needed else "plain",
                                             c.spot_checks_this_month),), target=c.spot_checks_needed,
                              text=_("%(done)d of %(total)d", done=c.spot_checks_this_month,
                                     total=c.spot_checks_needed)) for c in cards]),
        "ages": bar_list([ages_row(c.area.name, c.open_by_age) for c in cards]),
    }


def officers(cards) -> dict:
    """Officers side by side: their key-location periods (done by them, by someone else, missed, today's
    open) and their weeks with a full round."""
    def key(card):
        t = card.tally
        total = t.done_key + t.covered + t.missed_key + t.open_key
        return Row(card.officer.display_name, (("ok", t.done_key), ("ok-striped", t.covered), ("alert", t.missed_key),
                                               ("pending", t.open_key)), total=total,
                   text=_("%(done)d of %(total)d", done=t.done_key, total=total))

    def weeks(card):
        t = card.tally
        still = max(t.full_due - t.full_done - t.full_covered - t.missed_full, 0)
        return Row(card.officer.display_name, (("ok", t.full_done), ("ok-striped", t.full_covered),
                                               ("alert", t.missed_full), ("pending", still)), total=t.full_due,
                   text=_("%(done)d of %(total)d", done=t.full_done, total=t.full_due))

    return {"key": bar_list([key(c) for c in cards], share=True),
            "full": bar_list([weeks(c) for c in cards], share=True)}


def today(dues, ages: dict) -> dict:
    """The supervisor's overview: each area's key locations today (done, overdue, still due) and its
    open findings by age."""
    def row(due):
        statuses = [loc.status for loc in due.locations]
        return Row(due.area.name, (("ok", statuses.count(rules.DONE)), ("alert", statuses.count(rules.OVERDUE)),
                                   ("pending", statuses.count(rules.DUE))), total=len(statuses),
                   text=_("%(done)d of %(total)d", done=statuses.count(rules.DONE), total=len(statuses)))

    return {"today": bar_list([row(d) for d in dues], share=True),
            "ages": bar_list([ages_row(d.area.name, ages[d.area.id]) for d in dues])}


def today_words() -> dict[str, str]:
    return {"ok": _("Done"), "alert": _("Overdue"), "pending": _("Due")}


def age_histogram(counts: Sequence[int]):
    """Open findings by age as columns (R-PAT-4): 0–1, 2–3, 4–7 days, over a week."""
    return columns([Column(age_label(b), ((mark, n),))
                    for mark, b, n in zip(AGE_MARKS, rules.AGE_BUCKETS, counts, strict=True)], plot=110)

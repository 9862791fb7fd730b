"""What the daily work record asks of people, computed, never stored: a past working day without a
submitted record is the officer's (R-REC-1); the day before's records not read by the policy's hour are the
supervisor's (R-REC-3)."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _

from ..areas.public import estate_officers
from ..kernel.dates import day_start_utc, local_date, tz
from ..kernel.hooks import Obligation
from ..kernel.roles import Role
from ..policies.public import policy
from . import queries, rules


def missing_record_obligations(user, estate, now) -> list[Obligation]:
    if estate is None or user.role != Role.OFFICER:
        return []
    today = local_date(now, tz())
    kept = queries.recent_records(user.id, today - timedelta(days=rules.LOOKBACK_DAYS), today)
    # from the officer's first day here: their account's, or their first record's (a record kept on paper first)
    since = min([local_date(user.created_at, tz()), *kept])
    needed = rules.days_needing_record(today, policy(estate.id, "record_working_days"), since)
    return [Obligation("daily_record", "R-REC-1", _("Daily work record of %(day)s", day=format_date(day, "medium")),
                       day_start_utc(day + timedelta(days=1), tz()) - timedelta(seconds=1),
                       url_for("records.day", day=day.isoformat()))
            for day in rules.missing_days(needed, kept)]


def unread_record_obligations(user, estate, now) -> list[Obligation]:
    if estate is None or user.role != Role.SUPERVISOR:
        return []
    today = local_date(now, tz())
    day = rules.previous_working_day(today, policy(estate.id, "record_working_days"))
    officers = [o.id for o in estate_officers(estate.id, False) if o.active]
    unread = sum(1 for r in queries.day_review(officers, day).values() if not r.read)
    if not unread:
        return []
    return [Obligation("record_review", "R-REC-3",
                       _("%(n)d work records of %(day)s to read", n=unread, day=format_date(day, "medium")),
                       rules.read_due(day, policy(estate.id, "record_read_by_hour"), tz()),
                       url_for("records.review", day=day.isoformat()))]

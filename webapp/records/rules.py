"""Which days need a daily work record, its id, what an amendment must keep, when the supervisor's reading is
due (R-REC-1, R-REC-3). Plain functions, no request.

Rest days (until leave exists, R-LEAVE-1): an estate's policy `record_working_days` says how many days of the
week, from Monday, are working days (6: Monday to Saturday; 7: every day). A day past that count is a rest
day and needs no record; an officer may still keep one."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

NAMESPACE = uuid.UUID("5d0c7e0a-3b1f-4a8e-9c6d-2f4b8a1e7c35")
LOOKBACK_DAYS = 14  # a missing record is an obligation this long, then it is a matter for the supervisor's check
FIXED = ("officer_id", "day", "area_id")  # what an amendment may not change
AMEND_REASON = "Say why you amend the record."
NOT_YOURS = "A record is kept by its own officer."
WRONG_ID = "This is not the record of that officer and day."
FUTURE = "A record cannot be kept for a day still to come."
UNCHANGEABLE = "The officer, day and area of a submitted record cannot change."


def record_id(officer_id: int, day: date) -> str:
    """One record per officer and day, whatever phone submits it: two submissions collide on one id."""
    return str(uuid.uuid5(NAMESPACE, f"{officer_id}:{day.isoformat()}"))


def is_working_day(day: date, working_days: int) -> bool:
    return day.isoweekday() <= working_days


def days_needing_record(today: date, working_days: int, since: date | None = None,
                        lookback: int = LOOKBACK_DAYS) -> list[date]:
    """The past working days (today is not over yet) of the lookback window, from `since` if later."""
    first = today - timedelta(days=lookback)
    if since is not None and since > first:
        first = since
    return [d for d in (first + timedelta(days=n) for n in range((today - first).days))
            if is_working_day(d, working_days)]


def missing_days(needed: Iterable[date], submitted: Iterable[date]) -> list[date]:
    done = set(submitted)
    return [d for d in needed if d not in done]


def read_due(day: date, by_hour: int, zone: ZoneInfo) -> datetime:
    """A record of `day` is read by `by_hour` o'clock of the next morning, local time (R-REC-3)."""
    return datetime.combine(day + timedelta(days=1), time(by_hour), zone).astimezone(ZoneInfo("UTC"))


def previous_working_day(today: date, working_days: int) -> date:
    """The day the morning review reads: yesterday, or the last working day before it."""
    day = today - timedelta(days=1)
    for _ in range(7):
        if is_working_day(day, working_days):
            return day
        day -= timedelta(days=1)
    return today - timedelta(days=1)


def submission_errors(user_id: int, new: Mapping, old: Mapping | None, record: str, today: date) -> dict:
    """What is wrong with a submission or an amendment: {field: [message]} (empty when none)."""
    if new.get("officer_id") != user_id:
        return {"officer_id": [NOT_YOURS]}
    if record != record_id(new["officer_id"], new["day"]):
        return {"day": [WRONG_ID]}
    if new["day"] > today:
        return {"day": [FUTURE]}
    if old is not None:
        if any(old.get(f) != new.get(f) for f in FIXED):
            return {"day": [UNCHANGEABLE]}
        if not (new.get("amend_note") or "").strip() or new.get("amend_note") == old.get("amend_note"):
            return {"amend_note": [AMEND_REASON]}
    return {}


"""The estate's clock: days are local days (Asia/Shanghai, BABEL_DEFAULT_TIMEZONE); times are stored in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app


def tz() -> ZoneInfo:
    """The estates' time zone, from the app's configuration."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """The local day of an aware moment (a naive one is refused: its zone would be a guess)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(zone).date()


def day_start_utc(day: date, zone: ZoneInfo) -> datetime:
    """When a local day begins, in UTC."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)

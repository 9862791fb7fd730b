"""The estate's clock: days are the estate's local days (its time zone, set on the estate's settings page);
times are stored in UTC."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, g, has_request_context
from flask_login import current_user


def tz() -> ZoneInfo:
    """The clock of this request: the time zone of the signed-in user's estate, else the app's default
    (BABEL_DEFAULT_TIMEZONE) — for a command, a signed-out page, or someone whose estates disagree."""
    if not has_request_context():
        return default_zone()
    user = current_user._get_current_object() if current_user else None
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    cache = g.setdefault("time_zones", {})  # by user: a login in this request changes the clock
    key = user.id if signed_in else None
    if key not in cache:
        cache[key] = (_user_zone(user) if signed_in else None) or default_zone()
    return cache[key]


def default_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _user_zone(user) -> ZoneInfo | None:
    zone_of = current_app.extensions.get("time_zone_of")
    name = zone_of(user) if zone_of else None
    return ZoneInfo(name) if name else None


def register_time_zone_of(app, fn: Callable[[object], str | None]) -> None:
    """fn(user) -> the IANA name of the user's estate clock, or None when it has none (or several)."""
    app.extensions["time_zone_of"] = fn


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """The local day of an aware moment (a naive one is refused: its zone would be a guess)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(zone).date()


def day_start_utc(day: date, zone: ZoneInfo) -> datetime:
    """When a local day begins, in UTC."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)

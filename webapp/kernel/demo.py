"""Helpers for the demo history the domains seed (their demo.py): every value comes from the seed's
random generator, so the demo is the same on every run."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .dates import day_start_utc

ZONE = ZoneInfo("Asia/Shanghai")  # the demo estate's clock, whatever the app is configured with


def random_id(rng) -> str:
    """A record id as a phone would make it (a version 4 UUID)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def random_time(day: date, rng, start_hour: int = 8, end_hour: int = 17) -> datetime:
    """A moment of that local day between half past `start_hour` and `end_hour` (office hours by default)."""
    minutes = rng.randrange(start_hour * 60 + 30, end_hour * 60)
    return day_start_utc(day, ZONE) + timedelta(minutes=minutes)

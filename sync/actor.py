"""Who is syncing, and where they may read and write. The web app builds it from the session."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: str
    device_id: str | None
    read_scopes: frozenset[str]  # scope keys such as "area:12", "estate:3"
    write_scopes: frozenset[str]

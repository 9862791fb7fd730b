"""Fixtures the benchmarks share."""

from __future__ import annotations

import pytest

from tests.live_server import postgres_reachable


@pytest.fixture(params=["sqlite", "postgresql"], scope="module")
def database_url(request) -> str:
    """"" for a SQLite file, else a reachable PostgreSQL URL."""
    if request.param == "sqlite":
        return ""
    url = postgres_reachable()
    if url is None:
        pytest.skip("PostgreSQL not reachable: SQLite only")
    return url

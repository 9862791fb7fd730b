"""Fixtures for the sync engine's unit tests: no Flask, no app tables.

Test entities live on their own declarative base (`SpecBase`), so they never reach the app's
metadata or its migrations; the engine's tables come from `sync.models` on `Base`. Like the rest of
the suite, the tests run on SQLite (a temp file) unless `DATABASE_URL` names PostgreSQL; then they run
there, inside a schema of their own, dropped at the end (CI runs the suite once on each).
"""

from __future__ import annotations

import os
import sys
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests.unit.sync.synckit import Client, create_tables, make_actor, postgres_url, wipe


@pytest.fixture(scope="session", autouse=True)
def complete_mappers():
    """sync's tables share one registry with the web app's models. When another test module has
    imported only part of them (webapp.areas.models names Building, from webapp.estate.models),
    the first ORM query would fail to configure that registry: import the whole set first."""
    if any(name.startswith("webapp.") for name in sys.modules):
        from webapp.dbsetup import import_models

        import_models()


# --- databases --------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory):
    bind = create_engine(f"sqlite:///{tmp_path_factory.mktemp('sync') / 'unit.sqlite3'}")
    with bind.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    create_tables(bind)
    yield bind
    bind.dispose()


@pytest.fixture(scope="session")
def postgres_engine():
    url = postgres_url()
    admin = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with admin.connect():
            pass
    except OperationalError as error:
        admin.dispose()
        raise RuntimeError(f"DATABASE_URL names PostgreSQL, which does not answer at {url}") from error
    schema = f"sync_unit_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    bind = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    create_tables(bind)
    yield bind
    bind.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.fixture(params=["postgresql" if ON_POSTGRES else "sqlite"])
def db_engine(request):
    bind = request.getfixturevalue("postgres_engine" if request.param == "postgresql" else "sqlite_engine")
    yield bind
    wipe(bind)


@pytest.fixture
def session(db_engine):
    with Session(db_engine) as s:
        yield s


# --- devices ----------------------------------------------------------------------------------

@pytest.fixture
def device(session):
    """device(*areas, user_id=…, device_id=…) → a Client for a phone of an officer of those areas."""

    def make(*areas: str, device_id: str = "phone-1", **actor_options) -> Client:
        return Client(session, make_actor(*areas, **actor_options), device_id)

    return make


@pytest.fixture
def phone(device):
    return device("A1")

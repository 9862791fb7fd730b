"""Where a test goes: tests/unit/<package>/test_<module>.py for webapp/<package>/<module>.py and sync/<module>.py;
tests/web/<domain>/ a domain's pages, fragments and synced records; tests/web/sync/ the HTTP shell and the seam;
tests/web/app/, tests/unit/app/ the app shell; tests/browser/<domain>/ a person on a phone. Fixtures a folder shares
go in its conftest.py. Make what a test is about with the factories (make_area, make_round, …: tests/factories.py);
lean on the seeded demo only where it is the point (its history, its pages) and for its people (users, login_as).

Shared fixtures: one app and one seeded database per test session, restored after every test
that wrote to it; clients logged in as the demo people; the factories.

The database is SQLite (a temp file) unless DATABASE_URL points at PostgreSQL, in which case the
suite works inside a schema of its own, dropped at the end.
"""

from __future__ import annotations

import os
import time
import uuid
from functools import partial
from types import SimpleNamespace

import pytest
from flask import g
from sqlalchemy import create_engine, event, insert, select, text
from sqlalchemy.exc import OperationalError

from tests import factories
from webapp import create_app
from webapp.extensions import db

DEMO = {  # username → role in the demo estate (webapp/demo.py)
    "officer": "wangxm",  # area 东区 (A1)
    "officer2": "lina",  # area 南区 (A2)
    "supervisor": "chenjing",
    "manager": "zhaogang",
    "frontdesk": "sunli",
    "finance": "qianhong",
    "team": "zhouqiang",
    "admin": "admin",
}


def app_entities():
    """The sync entities an app registers, at collection time (for parametrized tests)."""
    return list(create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}).extensions["sync_entities"])


def _database(tmp_path_factory):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}", {}, None
    from webapp.config import database_url_from_env

    url = database_url_from_env(url)
    schema = f"pbtest_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return url, {"connect_args": {"options": f"-csearch_path={schema}"}}, schema


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url, engine_options, schema = _database(tmp_path_factory)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
            "SERVER_NAME": None,
        }
    )
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    # A test holding an app context (the `ctx` fixture) shares it with the requests it makes; start
    # every request with an empty `g`, as it is in production, so no user or scope leaks between them.
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: g.__dict__.clear())
    with app.app_context():
        db.create_all()
        from webapp.demo import seed

        seed(db.session)
        app.extensions["pb_snapshot"] = _snapshot()
        app.extensions["pb_dirty"] = [False]
        event.listen(db.engine, "before_cursor_execute", _mark_writes(app.extensions["pb_dirty"]))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        if schema:
            admin = create_engine(url)
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def _mark_writes(flag):
    def before(conn, cursor, statement, params, context, executemany):
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            flag[0] = True

    return before


def _snapshot() -> dict:
    return {t: [dict(r._mapping) for r in db.session.execute(select(t))] for t in db.metadata.sorted_tables}


def _restore(app, attempts: int = 5) -> None:
    """Put the seeded data back, retried: a browser test's last request may still be in flight in
    the live server's thread, and PostgreSQL then picks one side of the TRUNCATE as a deadlock victim."""
    for attempt in range(attempts):
        try:
            return _restore_once(app)
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def _restore_once(app) -> None:
    """Delete everything, re-insert the snapshot, reset id sequences."""
    snapshot = app.extensions["pb_snapshot"]
    db.session.remove()
    with db.engine.begin() as conn:
        tables = list(reversed(db.metadata.sorted_tables))
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
        for table in db.metadata.sorted_tables:
            if snapshot[table]:
                conn.execute(insert(table), snapshot[table])
        if conn.dialect.name == "postgresql":
            for table in db.metadata.sorted_tables:
                pk = list(table.primary_key.columns)
                if len(pk) == 1 and pk[0].autoincrement is True or (len(pk) == 1 and pk[0].type.python_type is int):
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                        f"COALESCE((SELECT MAX({pk[0].name}) FROM \"{table.name}\"), 0) + 1, false) "
                        f"WHERE pg_get_serial_sequence('{table.name}', '{pk[0].name}') IS NOT NULL"
                    ))
    app.extensions["pb_dirty"][0] = False


@pytest.fixture(autouse=True)
def _fresh_data(request):
    """Every test starts from the seeded demo estate; only tests that wrote pay for the reset."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        if app.extensions["pb_dirty"][0]:
            _restore(app)


@pytest.fixture
def ctx(app):
    """An application context for tests that use the database directly."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def user_named(app, username: str) -> SimpleNamespace:
    from webapp.auth.models import User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        found = SimpleNamespace(id=user.id, username=user.username, role=user.role, display_name=user.display_name)
        db.session.remove()
        return found


@pytest.fixture
def users(app) -> dict[str, SimpleNamespace]:
    """The demo people by their role key in DEMO (officer, officer2, supervisor, …)."""
    return {key: user_named(app, username) for key, username in DEMO.items()}


@pytest.fixture
def login_as(app, client):
    """login_as("supervisor") logs the test client in as that demo person (or a username) and returns them."""

    def login(who: str):
        user = user_named(app, DEMO.get(who, who))
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        return user

    return login


@pytest.fixture
def make_user(app):
    """make_user(role="officer", estates=("JXHY",), **fields) → a new person (a SimpleNamespace like
    `users`), for tests where who they are matters and the demo people do not fit. Log them in with
    login_as(user.username)."""
    return partial(factories.user, app)


@pytest.fixture
def make_estate(app):
    """make_estate(code=None, name="别的小区") → another estate (id, code, name), with the default checklists."""
    return partial(factories.estate, app)


@pytest.fixture
def make_area(app):
    """make_area(estate="JXHY", officer=None, key_locations=("lobby",), buildings=0) → a new area; given an
    officer, the approved assignment table holds them there (tests/factories.py says what it returns)."""
    return partial(factories.area, app)


@pytest.fixture
def make_key_location(app):
    """make_key_location(area, kind="lobby", name=None) → id, area_id, kind, name."""
    return partial(factories.key_location, app)


@pytest.fixture
def make_note(app):
    """make_note(area, text=…, by=its officer) → a quick note pushed through /sync/push (id, area_id, text)."""
    return partial(factories.note, app)


@pytest.fixture
def make_round(app):
    """make_round(location, defects={"lighting": "灯不亮"}, by=its officer) → a round pushed through
    /sync/push, with the findings the push derives (id, items, teams, findings by item code)."""
    return partial(factories.patrol_round, app)


@pytest.fixture
def make_renovation(app):
    """make_renovation(area, status="in_progress", start=today, days=30) → a renovation file (id, unit_id, …)."""
    return partial(factories.renovation, app)


@pytest.fixture
def make_household(app):
    """make_household(area, name="测试业主", phone=…, unit=None, since=None) → a household of the area's
    first unit (or that unit): id, unit_id, area_id, name."""
    return partial(factories.household, app)


@pytest.fixture
def make_visit(app):
    """make_visit(household, opinions=[{"type": "repair", "text": …}], kind="home", by=its officer, at=now)
    → a visit pushed through /sync/push, its cases derived (id, area_id, household_id, case_ids)."""
    return partial(factories.visit, app)


@pytest.fixture
def auth(client):
    """Log in and out through the real forms (with CSRF)."""

    class Auth:
        def csrf(self, path="/login"):
            import re

            page = client.get(path).get_data(as_text=True)
            return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)

        def login(self, username="wangxm", password="patrol123"):
            return client.post("/login", data={"username": username, "password": password, "csrf_token": self.csrf()})

        def logout(self):
            return client.post("/logout", data={"csrf_token": self.csrf("/me")})

    return Auth()


def csrf_token(client, path="/me") -> str:
    import re

    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


@pytest.fixture
def csrf(client):
    """csrf() → a CSRF token for the client's current session."""
    return lambda path="/me": csrf_token(client, path)


# Benchmarks run on demand only (README: PATROLBOOK_PERF=1 python -m pytest tests/perf -s).
collect_ignore_glob = [] if os.environ.get("PATROLBOOK_PERF") else ["perf/*"]

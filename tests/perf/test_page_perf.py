"""Each main page of each role: server time (median, p95) and SQL queries, at 1 and at 12 months of history.

On demand: PATROLBOOK_PERF=1 python -m pytest tests/perf/test_page_perf.py -s
PostgreSQL too, side by side, when it answers at DATABASE_URL or the local default (a schema of its own,
dropped at the end; hold the lock other runs wait on):
    flock /tmp/pg.lock env DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test PATROLBOOK_PERF=1 \\
        python -m pytest tests/perf/test_page_perf.py -s

Each store holds one estate of `flask seed-scale`'s default size (webapp/scale.py: 30 buildings, 5,000
households, 10 areas of 20 key locations, an officer each) with 1 or 12 months of history. Every page is
requested as its role with the Flask test client, once to warm, then PERF_REPEAT times (default 10);
the server time is the client's call (routing, views, templates, the database), the queries those the
engine executes during the last call. Targets (issue 17): ≤ 30 queries a page, p95 ≤ 150 ms at 12 months
on PostgreSQL, a 12-to-1-month time ratio ≤ 1.5. Nothing here asserts a time: the table is printed.
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, event, text

from tests.live_server import postgres_reachable
from webapp import create_app
from webapp.config import database_url_from_env
from webapp.extensions import db
from webapp.scale import build

pytestmark = pytest.mark.perf

REPEAT = int(os.environ.get("PERF_REPEAT", "10"))
MONTHS = (1, 12)
# (who, page): who is the user's name in the scale estate after "s01-"
PAGES = (
    ("officer1", "/today"), ("officer1", "/patrol/"), ("officer1", "/patrol/findings"), ("officer1", "/renovation/"),
    ("officer1", "/notes/"),
    ("supervisor1", "/overview"), ("supervisor1", "/patrol/coverage"), ("supervisor1", "/patrol/coverage/officers"),
    ("supervisor1", "/patrol/findings"), ("supervisor1", "/patrol/rounds"), ("supervisor1", "/patrol/emergencies"),
    ("supervisor1", "/renovation/"), ("supervisor1", "/areas/"), ("supervisor1", "/areas/tables"),
    ("supervisor1", "/policies/"), ("supervisor1", "/people/"), ("supervisor1", "/notes/"),
    ("manager1", "/overview"), ("frontdesk1", "/overview"), ("frontdesk1", "/renovation/"),
    ("frontdesk1", "/estate/households"), ("engineering1", "/today"), ("engineering1", "/patrol/findings"),
    ("officer1", "/residents/"), ("officer1", "/residents/visit"), ("officer1", "/residents/cases"),
    ("supervisor1", "/residents/"), ("supervisor1", "/residents/register"), ("frontdesk1", "/residents/check"),
    ("officer1", "/records/"), ("supervisor1", "/records/review"),
    ("frontdesk1", "/duty/"), ("frontdesk1", "/duty/new"), ("supervisor1", "/duty/verify"),
    ("frontdesk1", "/duty/handover"), ("frontdesk1", "/duty/roster"), ("supervisor1", "/duty/check"), ("frontdesk1", "/keys/"),
    ("officer1", "/fees/"), ("supervisor1", "/fees/"), ("finance1", "/fees/lists"),
)


class Queries:
    """Counts the statements an engine executes."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args):
        self.count += 1


def _admin(url: str, statement: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


@contextmanager
def _store(kind: str, months: int, tmp_path):
    """An app on a fresh store holding one scale estate with `months` months of history."""
    schema, options, url = None, {}, f"sqlite:///{tmp_path / f'perf-{months}.sqlite3'}"
    if kind == "postgresql":
        url = database_url_from_env(postgres_reachable())
        schema = f"pbperf_{months}_{uuid.uuid4().hex[:6]}"
        _admin(url, f'CREATE SCHEMA "{schema}"')
        options = {"connect_args": {"options": f"-csearch_path={schema}"}}
    app = create_app({"TESTING": True, "SECRET_KEY": "perf", "SQLALCHEMY_DATABASE_URI": url,
                      "SQLALCHEMY_ENGINE_OPTIONS": options, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "MEDIA_ROOT": str(tmp_path / "media"), "SERVER_NAME": None})
    try:
        with app.app_context():
            db.create_all()
            started = time.monotonic()
            build(db.session, 1, months)
            print(f"\n{kind}: {months} month(s) built in {time.monotonic() - started:.1f} s")
            db.session.remove()
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if schema:
            _admin(url, f'DROP SCHEMA "{schema}" CASCADE')


def measure(app) -> dict[tuple[str, str], tuple[float, float, int, int]]:
    """(who, page) → (median ms, p95 ms, queries, status)."""
    from webapp.auth.models import User

    found = {}
    with app.app_context():
        ids = {u.username: u.id for u in db.session.query(User)}
        counter = Queries(db.engine)
        db.session.remove()
    for who, page in PAGES:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = str(ids[f"s01-{who}"]), True
        status = client.get(page).status_code  # warm: templates compiled, caches filled
        times, cpu = [], []
        for _ in range(REPEAT):
            counter.count = 0
            started, used = time.perf_counter(), time.process_time()
            client.get(page)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        found[(who, page)] = (statistics.median(times), p95, counter.count, status, statistics.median(cpu))
    return found


def print_table(kind: str, results: dict[int, dict]) -> None:
    print(f"\n{kind}: server time in ms (median / p95 of {REPEAT}; cpu: median CPU time of this process, which a"
          " loaded machine does not inflate; PostgreSQL's own work is not in it), SQL queries per request,"
          " 12-to-1-month ratio of the medians")
    print(f"{'who':<13} {'page':<26} {'1 month: med p95 cpu':>27} {'12 months: med p95 cpu':>27} {'ratio':>6}")
    for key in PAGES:
        one, twelve = results[1][key], results[12][key]
        cells = [f"{r[0]:6.1f} {r[1]:6.1f} {r[4]:6.1f} {r[2]:3d}q" + ("" if r[3] == 200 else f" {r[3]}")
                 for r in (one, twelve)]
        print(f"{key[0]:<13} {key[1]:<26} {cells[0]:>27} {cells[1]:>27} {twelve[0] / one[0]:6.2f}  "
              + " ".join(missed(kind, one, twelve)))


def missed(kind: str, one: tuple, twelve: tuple) -> list[str]:
    """The targets a page misses (issue 17), for the eye: nothing here fails the run."""
    found = []
    if max(one[2], twelve[2]) > 30:
        found.append("queries>30")
    if twelve[0] / one[0] > 1.5:
        found.append("ratio>1.5")
    if kind == "postgresql" and twelve[1] > 150:
        found.append("p95>150")
    return found


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_page_times_and_queries(kind, tmp_path):
    if kind == "postgresql" and postgres_reachable() is None:
        pytest.skip("PostgreSQL not reachable: SQLite only")
    results = {}
    for months in MONTHS:
        with _store(kind, months, tmp_path) as app:
            results[months] = measure(app)
    print_table(kind, results)
    failed = {key: r[3] for key, r in results[12].items() if r[3] != 200}
    assert not failed, f"pages that did not answer 200: {failed}"

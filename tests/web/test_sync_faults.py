"""Faults a phone meets: a lost response, and a server killed (SIGKILL) in the middle of a batch.

A real server process on a real database (SQLite, or PostgreSQL with DATABASE_URL); the client's retry
must complete the work exactly once.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
import urllib.error

import pytest
from sqlalchemy import func, select, text

from sync.models import AppliedMutation, Change
from tests.live_server import Phone, Server, note_batches, seeded_database
from webapp.extensions import db
from webapp.notes.models import QuickNote
from webapp.syncapi import FAULT_HEADER

BATCHES, BATCH_SIZE = 12, 200


@pytest.fixture
def server_db(tmp_path):
    with seeded_database(tmp_path, "pbfault") as pair:
        yield pair


def make_batches(area_id: int) -> list[list[dict]]:
    return note_batches(area_id, BATCHES, BATCH_SIZE)


def test_lost_response_then_retry_stores_once(server_db, tmp_path):
    """The phone sends a batch and hangs up before reading a byte of the answer; the server applies it
    anyway. The phone, knowing nothing, sends the same batch again: every mutation is a duplicate."""
    app, env = server_db
    server = Server(env, tmp_path)
    server.start()
    try:
        phone = Phone(server)
        phone.login()
        batch = make_batches(east_area(app))[0]
        phone.push_and_hang_up(batch)
        assert wait_until(lambda: stored(app) == (BATCH_SIZE,) * 3), "the server finished the lost push"
        assert set(phone.push(batch)) == {"duplicate"}
        again = phone.push(batch[:10] + make_batches(east_area(app))[1][:5])  # a retry split differently
        assert again == ["duplicate"] * 10 + ["applied"] * 5
    finally:
        server.kill()
    assert stored(app) == (BATCH_SIZE + 5,) * 3


def test_lost_response_and_an_immediate_retry_race_but_store_once(server_db, tmp_path):
    """The retry arrives while the lost push is still being applied: the writers serialise; whichever
    runs first applies, the other answers from the mutation log."""
    app, env = server_db
    server = Server(env, tmp_path)
    server.start()
    try:
        phone = Phone(server)
        phone.login()
        batch = make_batches(east_area(app))[0]
        phone.push_and_hang_up(batch)
        statuses = set(phone.push(batch))
        assert statuses in ({"applied"}, {"duplicate"}), statuses
        assert wait_until(lambda: stored(app) == (BATCH_SIZE,) * 3)
    finally:
        server.kill()
    assert stored(app) == (BATCH_SIZE,) * 3


def test_server_killed_inside_the_transaction_then_client_retry_completes_it(server_db, tmp_path):
    """SIGKILL while the batch is written but not committed — proven through the database, not by a
    sleep: PostgreSQL shows the push's connection "idle in transaction"; SQLite's write lock is held.
    Nothing of the batch is stored; the phone's retry applies all of it, once."""
    app, env = server_db
    batches = make_batches(east_area(app))
    server = Server({**env, "PATROLBOOK_TESTING": "true", "PATROLBOOK_SYNC_FAULT_INJECTION": "true"}, tmp_path)
    server.start()
    phone = Phone(server)
    phone.login()
    for batch in batches[:3]:
        assert set(phone.push(batch)) == {"applied"}
    in_flight = threading.Thread(target=lambda: _swallow(phone.push, batches[3], {FAULT_HEADER: "pause-before-commit"}),
                                 daemon=True)
    in_flight.start()
    assert wait_until(lambda: push_in_transaction(app), seconds=30), "the push never got inside its transaction"
    assert stored(app) == (3 * BATCH_SIZE,) * 3, "not committed yet"
    server.kill()  # inside the transaction: the phone never hears back
    in_flight.join(10)
    assert stored(app) == (3 * BATCH_SIZE,) * 3, "a killed batch leaves nothing behind"
    server.start()  # the same database, a new process; the phone's session cookie still holds
    assert set(phone.push(batches[3])) == {"applied"}, "the retry applies the whole batch"
    for batch in batches[4:]:
        assert set(phone.push(batch)) == {"applied"}
    assert set(phone.push(batches[3])) == {"duplicate"}
    server.kill()
    assert stored(app) == (BATCHES * BATCH_SIZE,) * 3


def push_in_transaction(app) -> bool:
    """Is a push holding its transaction open (written, not committed)?"""
    with app.app_context():
        try:
            if db.engine.dialect.name == "postgresql":
                return bool(db.session.scalar(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state = 'idle in transaction' AND query ILIKE '%sync_devices%'")))
            probe = sqlite3.connect(db.engine.url.database, timeout=0)
            try:
                probe.execute("BEGIN IMMEDIATE")  # only one writer: fails while the push holds the lock
                probe.rollback()
                return False
            except sqlite3.OperationalError as error:
                return "locked" in str(error)
            finally:
                probe.close()
        finally:
            db.session.remove()
            db.engine.dispose()


def wait_until(test, seconds: float = 30) -> bool:
    end = time.monotonic() + seconds
    while not test():
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


def _swallow(fn, *args):
    with contextlib.suppress(OSError, urllib.error.URLError, ConnectionError):
        fn(*args)


def east_area(app) -> int:
    from webapp.areas.models import Area

    with app.app_context():
        found = db.session.scalar(select(Area.id).where(Area.name == "东区"))
        db.session.remove()
        db.engine.dispose()
        return found


def stored(app) -> tuple[int, int, int]:
    with app.app_context():
        counts = tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (QuickNote, AppliedMutation, Change))
        db.session.remove()
        db.engine.dispose()
        return counts

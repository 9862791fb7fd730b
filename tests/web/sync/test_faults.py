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
import uuid
from datetime import UTC, datetime, timedelta

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


def test_server_killed_right_after_the_commit_leaves_the_derived_work_in_place(server_db, tmp_path):
    """A round's findings and an inspection's violation commit with them (after_apply runs inside the
    push's transaction): a server that dies after the commit, before answering, leaves everything in
    place without any resend; the phone's resend is then all duplicates and derives nothing twice."""
    app, env = server_db
    batch = [derived_work_round(app), inspection_with_violation(app)]
    server = Server({**env, "PATROLBOOK_TESTING": "true", "PATROLBOOK_SYNC_FAULT_INJECTION": "true"}, tmp_path)
    server.start()
    phone = Phone(server)
    phone.login()
    with pytest.raises((OSError, urllib.error.URLError, ConnectionError)):
        phone.push(batch, {FAULT_HEADER: "exit-after-commit"})
    server.kill()
    assert derived(app, batch) == (1, 2, 1, 1), "round, its 2 findings, inspection, its violation"
    server.start()
    assert phone.push(batch) == ["duplicate", "duplicate"]
    server.kill()
    assert derived(app, batch) == (1, 2, 1, 1)


def derived_work_round(app) -> dict:
    """A key-location round in 东区 with two defects."""
    from webapp.areas.models import Area, KeyLocation
    from webapp.patrol.models import ChecklistTemplate

    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.name == "东区"))
        lobby = db.session.scalar(select(KeyLocation).where(KeyLocation.area_id == area.id, KeyLocation.kind == "lobby"))
        template = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.kind == "lobby",
                                                                     ChecklistTemplate.retired_at.is_(None)))
        items = [item.id for item in template.items]
        fields = {"area_id": area.id, "key_location_id": lobby.id, "kind": "key", "start_method": "manual",
                  "started_at": now_iso(), "checks": [
                      {"item_id": i, "result": "defect", "note": "需要维修"} if n < 2 else {"item_id": i, "result": "ok"}
                      for n, i in enumerate(items)]}
        db.session.remove()
        db.engine.dispose()
    return new_mutation("patrol_round", fields)


def inspection_with_violation(app) -> dict:
    from webapp.renovation.models import Renovation

    with app.app_context():
        ren = db.session.scalar(select(Renovation).where(Renovation.status == "in_progress",
                                                         Renovation.area.has(name="东区")).order_by(Renovation.id))
        fields = {"estate_id": ren.estate_id, "area_id": ren.area_id, "renovation_id": ren.id, "kind": "daily",
                  "failed": ["debris"], "violation_item": "debris", "violation_text": "垃圾堆放楼道",
                  "violation_deadline": (datetime.now(UTC) + timedelta(days=3)).date().isoformat()}
        db.session.remove()
        db.engine.dispose()
    return new_mutation("renovation_inspection", fields)


def new_mutation(entity: str, fields: dict) -> dict:
    return {"mutation_id": str(uuid.uuid4()), "entity": entity, "record_id": str(uuid.uuid4()), "op": "create",
            "base_version": None, "fields": fields, "observed_at": now_iso()}


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def derived(app, batch: list[dict]) -> tuple[int, int, int, int]:
    from webapp.patrol.models import Finding, PatrolRound
    from webapp.renovation.models import Inspection, Violation

    round_id, inspection_id = batch[0]["record_id"], batch[1]["record_id"]
    with app.app_context():
        found = tuple(db.session.scalar(select(func.count()).select_from(model).where(column == key)) for model, column, key in (
            (PatrolRound, PatrolRound.id, round_id), (Finding, Finding.round_id, round_id),
            (Inspection, Inspection.id, inspection_id), (Violation, Violation.inspection_id, inspection_id)))
        db.session.remove()
        db.engine.dispose()
    return found

"""Two writers at once never fork an estate's duty log chain (R-DUTY-1): the second waits on the estate's chain
lock until the first commits, then appends after it. PostgreSQL only (SQLite has one writer anyway):
`flock /tmp/pg.lock env DATABASE_URL=postgresql://… python3 -m pytest tests/web/duty/test_concurrency.py`."""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.web.duty.conftest import entry_mutation
from webapp.duty import chain
from webapp.duty.models import DutyEntry
from webapp.extensions import db

pytestmark = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                reason="needs DATABASE_URL=postgresql://…: two transactions at once")
WAIT = 20  # seconds, at most, for the other transaction to reach the lock


def new_entry(estate_id: int, what: str) -> DutyEntry:
    return DutyEntry(id=str(uuid.uuid4()), estate_id=estate_id, occurred_at=datetime.now(UTC), category="other",
                     what=what, handled_by="孙丽", follow_up="")


def waiting_on_a_lock(pid: int) -> bool:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :pid"),
                            {"pid": pid}).scalar() is True


def test_a_second_append_waits_for_the_first_and_chains_after_it(app, make_estate):
    estate = make_estate()
    with app.app_context():
        engine = db.engine
        first, second = Session(engine), Session(engine)
        try:
            a = new_entry(estate.id, "第一个")
            first.add(a)
            chain.append(first, [a])  # holds the estate's chain lock until it commits
            pid = second.connection().execute(text("SELECT pg_backend_pid()")).scalar()
            b = new_entry(estate.id, "第二个")
            second.add(b)
            failure = []

            def append_second():
                try:
                    chain.append(second, [b])
                    second.commit()
                except Exception as error:  # noqa: BLE001  (reported by the test below)
                    failure.append(error)

            worker = threading.Thread(target=append_second)
            worker.start()
            deadline = time.monotonic() + WAIT
            while not waiting_on_a_lock(pid):  # the second is blocked on the lock, not racing past it
                assert worker.is_alive() and time.monotonic() < deadline, "the second append did not wait"
                time.sleep(0.02)
            first.commit()
            worker.join(WAIT)
            assert not worker.is_alive() and not failure, failure
        finally:
            first.close()
            second.close()
        stored = {e.what: (e.seq, e.prev_hash) for e in db.session.query(DutyEntry).filter_by(estate_id=estate.id)}
        assert stored["第二个"][0] == stored["第一个"][0] + 1
        assert chain.verify(db.session, estate.id) is None
        db.session.remove()


def test_pushes_at_once_from_two_desks_make_one_chain(app, phones, estate_id):
    desks = [phones("frontdesk", "desk-pc"), phones("supervisor", "phone-a")]
    batches = [[entry_mutation(estate_id, what=f"{n}号台第{i}条") for i in range(5)] for n in range(2)]
    results, start = [None, None], threading.Barrier(2)

    def push(n):
        start.wait()
        results[n] = desks[n].push(*batches[n])

    workers = [threading.Thread(target=push, args=(n,)) for n in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [[r["status"] for r in found] for found in results] == [["applied"] * 5] * 2
    with app.app_context():
        assert chain.verify(db.session, estate_id) is None
        db.session.remove()

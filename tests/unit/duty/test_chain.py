"""The duty log's hash chain (R-DUTY-1: no page torn out, nothing altered): entries chained in the order the server
appends them verify; an entry edited, deleted, moved or cut from the end straight in the database is found, and the
first broken entry is named."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from webapp.duty import chain
from webapp.duty.models import DutyEntry
from webapp.extensions import db

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def entry(estate_id, n, **fields) -> DutyEntry:
    return DutyEntry(id=str(uuid.uuid4()), estate_id=estate_id, occurred_at=T0 + timedelta(minutes=n),
                     category="repair", what=f"第{n}条：地库灯不亮", handled_by="孙丽", follow_up="", **fields)


@pytest.fixture
def log(app, make_estate):
    """A new estate with five chained entries: (estate id, the entries' ids in chain order)."""
    estate = make_estate()
    with app.app_context():
        entries = [entry(estate.id, n) for n in range(1, 6)]
        db.session.add_all(entries)
        chain.append(db.session, entries)
        db.session.commit()
        ids = [e.id for e in entries]
        db.session.remove()
    return estate.id, ids


def broken(app, estate_id):
    with app.app_context():
        found = chain.verify(db.session, estate_id)
        result = None if found is None else (found.seq, found.entry.id if found.entry else None, found.reason)
        db.session.remove()
        return result


def sql(app, statement, **params):
    with app.app_context():
        db.session.execute(text(statement), params)
        db.session.commit()
        db.session.remove()


def test_entries_appended_in_order_verify_and_link_each_to_the_one_before(app, log):
    estate_id, ids = log
    assert broken(app, estate_id) is None
    with app.app_context():
        stored = [db.session.get(DutyEntry, i) for i in ids]
        assert [e.seq for e in stored] == [1, 2, 3, 4, 5]
        assert stored[0].prev_hash == "" and all(b.prev_hash == a.entry_hash for a, b in zip(stored, stored[1:], strict=False))
        more = entry(estate_id, 9)
        db.session.add(more)
        chain.append(db.session, [more])
        db.session.commit()
        assert (more.seq, more.prev_hash) == (6, stored[-1].entry_hash)
        db.session.remove()
    assert broken(app, estate_id) is None


@pytest.mark.parametrize("column, value", [("what", "第3条：一切正常"), ("handled_by", "别人"),
                                           ("category", "other"), ("corrects_id", str(uuid.uuid4()))])
def test_an_entry_edited_in_the_database_is_named(app, log, column, value):
    estate_id, ids = log
    sql(app, f"UPDATE duty_entries SET {column} = :v WHERE id = :id", v=value, id=ids[2])
    assert broken(app, estate_id) == (3, ids[2], chain.EDITED)


def test_an_edited_time_is_found(app, log):
    estate_id, ids = log
    sql(app, "UPDATE duty_entries SET occurred_at = :v WHERE id = :id", v=T0 + timedelta(hours=5), id=ids[1])
    assert broken(app, estate_id) == (2, ids[1], chain.EDITED)


def test_an_entry_rehashed_after_an_edit_breaks_the_next_link(app, log):
    """Whoever edits an entry and recomputes its hash still breaks the entry after it."""
    estate_id, ids = log
    with app.app_context():
        found = db.session.get(DutyEntry, ids[1])
        found.what = "改过的内容"
        found.entry_hash = chain.hash_of(found, found.seq, found.prev_hash)
        db.session.commit()
        db.session.remove()
    assert broken(app, estate_id) == (3, ids[2], chain.MOVED)


def test_an_entry_deleted_from_the_middle_is_found(app, log):
    estate_id, ids = log
    sql(app, "DELETE FROM duty_entries WHERE id = :id", id=ids[2])
    assert broken(app, estate_id) == (3, ids[3], chain.MISSING)


def test_the_last_entry_deleted_is_found(app, log):
    estate_id, ids = log
    sql(app, "DELETE FROM duty_entries WHERE id = :id", id=ids[4])
    assert broken(app, estate_id) == (5, None, chain.CUT)


def test_an_entry_marked_deleted_is_found(app, log):
    estate_id, ids = log
    sql(app, "UPDATE duty_entries SET deleted_at = :v WHERE id = :id", v=T0, id=ids[0])
    assert broken(app, estate_id) == (1, ids[0], chain.REMOVED)


def test_two_entries_swapped_are_found(app, log):
    estate_id, ids = log
    sql(app, "UPDATE duty_entries SET seq = -1 WHERE id = :id", id=ids[1])
    sql(app, "UPDATE duty_entries SET seq = 2 WHERE id = :id", id=ids[2])
    sql(app, "UPDATE duty_entries SET seq = 3 WHERE id = :id", id=ids[1])
    assert broken(app, estate_id) == (2, ids[2], chain.MOVED)


def test_rows_chained_in_bulk_verify_like_appended_ones(app, make_estate):
    """The demo and scale writers chain rows as dicts: the same hashes as the server's."""
    estate = make_estate()
    with app.app_context():
        entries = [entry(estate.id, n) for n in range(3)]
        received = T0 + timedelta(hours=1)
        rows = [{**{c: getattr(e, c) for c in chain.CONTENT if c not in ("created_by", "received_at")},
                 "created_by": None, "received_at": received, "updated_at": received, "version": 1} for e in entries]
        seq, last = chain.chain_rows(rows)
        db.session.add_all(DutyEntry(**row) for row in rows)
        db.session.add(chain.ChainHead(estate_id=estate.id, seq=seq, last_hash=last))
        db.session.commit()
        db.session.remove()
    assert broken(app, estate.id) is None

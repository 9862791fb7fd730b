"""sync/bulk.py: rows written by insert_rows (COPY on PostgreSQL) read back exactly as an executemany
writes them — defaults, JSON nulls, aware datetimes — and the database's refusals arrive as
SQLAlchemy's own exceptions, which the batch's savepoint fallback relies on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from sync.bulk import insert_rows, one_of
from sync.models import Change, Conflict

SHANGHAI = timezone(timedelta(hours=8))


def conflict_rows(prefix: str) -> list[dict]:
    """Conflicts without id, status or created_at: the columns' Python defaults fill them."""
    return [{
        "entity": "note", "record_id": f"{prefix}-{n}", "op": "update", "mutation_id": f"m-{prefix}-{n}",
        "user_id": 7, "device_id": "phone-1", "base_version": n or None, "server_version": 2,
        "device_fields": {"text": "三栋\t12层\n走廊灯不亮 \\ 已报", "n": n}, "server_fields": None,
        "fields_in_conflict": ["text"], "reason": "both changed it", "scope": "area:A1",
        "resolved_at": datetime(2026, 11, 30, 9, 30, tzinfo=SHANGHAI) if n else None,
    } for n in range(3)]


def read_back(session, prefix: str) -> list[dict]:
    rows = session.execute(select(Conflict.__table__).where(Conflict.record_id.like(f"{prefix}-%"))
                           .order_by(Conflict.record_id)).mappings()
    return [{k: v for k, v in row.items() if k not in ("id", "record_id", "mutation_id", "created_at")}
            for row in rows]


def test_rows_read_back_as_an_executemany_writes_them(session):
    before = datetime.now(UTC)
    insert_rows(session, Conflict.__table__, conflict_rows("bulk"))
    session.execute(insert(Conflict.__table__), conflict_rows("many"))
    session.commit()
    bulk, many = read_back(session, "bulk"), read_back(session, "many")
    assert bulk == many and len(bulk) == 3
    assert bulk[1]["resolved_at"] == datetime(2026, 11, 30, 1, 30, tzinfo=UTC)
    assert bulk[0]["server_fields"] is None and bulk[0]["device_fields"]["text"].startswith("三栋\t12层\n")
    stored = session.scalars(select(Conflict).where(Conflict.record_id.like("bulk-%"))).all()
    assert all(c.status == "open" and c.created_at >= before and len(c.id) == 36 for c in stored)
    assert len({c.id for c in stored}) == 3, "a callable default runs once per row"


def test_rows_keep_their_order_in_an_autoincrement_sequence(session):
    rows = [{"entity": "note", "record_id": f"r{n}", "version": 1, "op": "create", "scope": "area:A1",
             "changed_fields": [], "device_id": "d", "user_id": 1, "changed_at": datetime.now(UTC)}
            for n in range(50)]
    insert_rows(session, Change.__table__, rows)
    session.commit()
    order = session.scalars(select(Change.record_id).order_by(Change.seq)).all()
    assert order == [f"r{n}" for n in range(50)]


def test_a_refusal_is_sqlalchemys_integrity_error_and_the_savepoint_recovers(session):
    insert_rows(session, Conflict.__table__, [{**conflict_rows("dup")[0], "id": "same-id"}])
    with pytest.raises(IntegrityError), session.begin_nested():
        insert_rows(session, Conflict.__table__, [{**conflict_rows("dup")[1], "id": "same-id"}])
    insert_rows(session, Conflict.__table__, [{**conflict_rows("dup")[2], "id": "other-id"}])
    session.commit()
    assert sorted(session.scalars(select(Conflict.id))) == ["other-id", "same-id"]


def test_one_of_matches_a_list_of_values(session):
    insert_rows(session, Conflict.__table__, conflict_rows("pick"))
    wanted = ["pick-0", "pick-2", "absent"]
    found = session.scalars(select(Conflict.record_id).where(one_of(session, Conflict.record_id, wanted)))
    assert sorted(found) == ["pick-0", "pick-2"]
    assert session.scalars(select(Conflict.id).where(one_of(session, Conflict.record_id, []))).all() == []


def test_a_default_that_reads_the_insert_context_is_left_to_an_insert(session):
    """COPY cannot give a context-sensitive default its context: such a table is inserted as usual."""
    from sqlalchemy import Column, Integer, MetaData, String, Table

    table = Table("bulk_context_default", MetaData(), Column("id", Integer, primary_key=True),
                  Column("name", String(20)),
                  Column("label", String(40), default=lambda ctx: ctx.get_current_parameters()["name"] + "!"))
    table.create(session.connection())
    try:
        insert_rows(session, table, [{"id": 1, "name": "甲"}, {"id": 2, "name": "乙"}])
        assert session.execute(select(table.c.label).order_by(table.c.id)).scalars().all() == ["甲!", "乙!"]
    finally:
        session.rollback()
        table.drop(session.connection(), checkfirst=True)
        session.commit()

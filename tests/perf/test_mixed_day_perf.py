"""Benchmark, on demand (PATROLBOOK_PERF=1 python -m pytest tests/perf/test_mixed_day_perf.py -s): an officer's
real day through the engine, not only quick notes (issue 17, point 3).

A day of 东区's officer, repeated until about 3,000 mutations, pushed in batches of 200 as a phone's outbox
sends them: a patrol round at each key location with its whole checklist and 2 defects (each deriving a
finding), 2 renovation inspections each raising a violation, 8 quick notes. The same run pushes as many
quick notes alone, and measures the floor: SQLAlchemy Core executemany re-inserting, verbatim, every row the
mixed push wrote (records, derived findings and violations, mutation log, change log). On SQLite, and on
PostgreSQL when DATABASE_URL (or the local one) answers. Prints figures; asserts only that all applied.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, insert, select, tuple_

from sync import engine
from tests.live_server import note_batches, seeded_database
from tests.perf.test_sync_http_perf import database_name, rate, timed
from webapp.areas.models import Area, KeyLocation
from webapp.auth.models import User
from webapp.extensions import db
from webapp.kernel.demo import ZONE
from webapp.kernel.scopes import actor_for
from webapp.kernel.syncing import entities
from webapp.patrol import queries as patrol_queries
from webapp.renovation.models import Renovation, Status

pytestmark = pytest.mark.perf
WANTED, BATCH, DEFECTS, INSPECTIONS, NOTES = 3_000, 200, 2, 2, 8


def mutation(entity: str, fields: dict) -> dict:
    return {"mutation_id": str(uuid.uuid4()), "entity": entity, "record_id": str(uuid.uuid4()), "op": "create",
            "base_version": None, "fields": fields, "observed_at": datetime.now(UTC).isoformat()}


def a_day(area: Area, checklists: dict[int, list[int]], renovations: list[Renovation], day: int) -> list[dict]:
    """One day's work of the area's officer, in the order it was done."""
    now = datetime.now(UTC).isoformat()
    found = [mutation("patrol_round", {
        "area_id": area.id, "key_location_id": location, "kind": "key", "start_method": "qr", "started_at": now,
        "checks": [{"item_id": item, "result": "defect", "note": f"第{day}天 缺陷{n}"} if n < DEFECTS
                   else {"item_id": item, "result": "ok"} for n, item in enumerate(items)]})
        for location, items in checklists.items()]
    deadline = (datetime.now(ZONE).date() + timedelta(days=3)).isoformat()
    found += [mutation("renovation_inspection", {
        "estate_id": area.estate_id, "area_id": area.id, "renovation_id": ren.id, "kind": "daily",
        "failed": ["debris"], "violation_item": "debris", "violation_text": f"第{day}天 装修垃圾堆放在电梯厅",
        "violation_deadline": deadline}) for ren in renovations[:INSPECTIONS]]
    found += [mutation("quick_note", {"area_id": area.id, "text": f"第{day}天 第{n}条：3栋走廊灯不亮，已报工程部"})
              for n in range(NOTES)]
    return found


def in_batches(mutations: list[dict]) -> list[list[dict]]:
    return [mutations[i:i + BATCH] for i in range(0, len(mutations), BATCH)]


def rows_by_table() -> dict:
    """Every row of every table, keyed by its primary key: what a push added is the difference."""
    found = {}
    for table in db.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        found[table] = {tuple(r._mapping[c.name] for c in key): dict(r._mapping) for r in db.session.execute(select(table))}
    return found


def floor_seconds(before: dict, after: dict) -> tuple[float, int]:
    """Delete what the push added, then time Core executemany putting it back (parents first)."""
    added = {t: [row for k, row in after[t].items() if k not in before[t]] for t in db.metadata.sorted_tables}
    added = {t: rows for t, rows in added.items() if rows}
    for table in reversed(list(added)):
        key = list(table.primary_key.columns)
        keys = [tuple(row[c.name] for c in key) for row in added[table]]
        for start in range(0, len(keys), 500):
            db.session.execute(delete(table).where(tuple_(*key).in_(keys[start:start + 500])))
    db.session.commit()

    def put_back():
        for table, rows in added.items():
            for start in range(0, len(rows), BATCH):
                db.session.execute(insert(table), rows[start:start + BATCH])
        db.session.commit()

    _, seconds = timed(put_back)
    return seconds, sum(len(rows) for rows in added.values())


def test_a_mixed_day_against_quick_notes_and_the_floor(tmp_path, database_url):
    with seeded_database(tmp_path, "pbmixed", database_url) as (app, _env), app.test_request_context():
        officer = db.session.scalar(select(User).where(User.username == "wangxm"))
        area = db.session.scalar(select(Area).where(Area.name == "东区"))
        locations = db.session.scalars(select(KeyLocation).where(KeyLocation.area_id == area.id,
                                                                 KeyLocation.active.is_(True))).all()
        checklists = {loc.id: [i.id for t in patrol_queries.current_templates(area.estate_id, patrol_queries.round_kinds(loc))
                               for i in t.items] for loc in locations}
        renovations = db.session.scalars(select(Renovation).where(Renovation.area_id == area.id,
                                                                  Renovation.status == Status.IN_PROGRESS)).all()
        mixed, day = [], 0
        while len(mixed) < WANTED:
            mixed += a_day(area, checklists, renovations, day)
            day += 1
        actor = actor_for(officer, "bench-mixed")
        before = rows_by_table()
        results, seconds = timed(lambda: [engine.push(db.session, actor, entities(), {"device_id": "bench-mixed",
                                                                                       "mutations": b})
                                          for b in in_batches(mixed)])
        statuses = [r["status"] for page in results for r in page["results"]]
        assert set(statuses) == {"applied"}, {s: statuses.count(s) for s in set(statuses)}
        floor, rows = floor_seconds(before, rows_by_table())
        notes = [m for batch in note_batches(area.id, len(mixed) // BATCH + 1, BATCH) for m in batch][:len(mixed)]
        _, note_seconds = timed(lambda: [engine.push(db.session, actor, entities(), {"device_id": "bench-notes",
                                                                                     "mutations": b})
                                         for b in in_batches(notes)])
    kinds = {e: sum(1 for m in mixed if m["entity"] == e) for e in ("patrol_round", "renovation_inspection", "quick_note")}
    checks = sum(len(m["fields"]["checks"]) for m in mixed if m["entity"] == "patrol_round")
    name = database_name(app)
    print(f"\n[{name}] a mixed day × {day}: {len(mixed):,} mutations ({kinds['patrol_round']} rounds with {checks:,} checks"
          f" and {kinds['patrol_round'] * DEFECTS:,} findings derived, {kinds['renovation_inspection']} inspections with"
          f" a violation each, {kinds['quick_note']} notes), {rows:,} rows written"
          f"\n[{name}] engine in-process: mixed {rate(len(mixed), seconds):,.0f} mutations/s"
          f" · quick notes alone {rate(len(notes), note_seconds):,.0f}/s (mixed = {note_seconds / seconds:.2f}× notes)"
          f" · floor (Core executemany of the mixed push's {rows:,} rows) {rate(len(mixed), floor):,.0f} mutations/s"
          f" (engine/floor {floor / seconds:.2f})")

"""Benchmark, on demand (PATROLBOOK_PERF=1 python -m pytest tests/perf/test_media_store_perf.py -s): the figures
behind README "Deploying for a large group".

- the media stores in-process (sync.media.save_media, then open and read): the folder against the database,
  on SQLite (a file) and PostgreSQL (DATABASE_URL if it names one, else the local default; skipped when it
  does not answer) — MB/s put and get of phone photos (300 KB, what the phone's shrinking leaves);
- over HTTP through gunicorn with 2 workers: 4 phones uploading photos at once, then reading them back,
  with each store; 8 phones pushing batches of 50 quick notes at once (mutations/s, push latency).
Prints figures; asserts nothing about time (machines are noisy).
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, text

from sync.actor import Actor
from sync.blobs import MediaStores
from sync.media import save_media
from sync.models import Media
from tests.live_server import Phone, Server, note_batches, seeded_database, wait_for
from webapp.areas.models import Area
from webapp.extensions import db

pytestmark = pytest.mark.perf
PHOTO_BYTES, PHOTOS, ROUNDS = 300 * 1024, 100, 3
MB = 1024 * 1024


def photo() -> bytes:
    return b"\xff\xd8\xff\xe0" + os.urandom(PHOTO_BYTES - 6) + b"\xff\xd9"  # JPEG does not compress


def backend(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]


@pytest.mark.parametrize("kind", ["local", "database"])
def test_store_put_and_get_in_process(tmp_path, database_url, kind):
    photos = [photo() for _ in range(PHOTOS)]
    actor = Actor(1, "officer", "bench", frozenset(), frozenset())
    with seeded_database(tmp_path, "pbmedia", database_url) as (app, _env), app.app_context():
        stores = MediaStores(tmp_path / "media", kind)
        ids = [str(uuid.uuid4()) for _ in photos]
        start = time.perf_counter()
        for media_id, data in zip(ids, photos, strict=True):
            save_media(db.session, actor, media_id, data, "image/jpeg", hashlib.sha256(data).hexdigest(), stores)
        put = time.perf_counter() - start
        keys = db.session.scalars(select(Media.path).where(Media.id.in_(ids))).all()
        start = time.perf_counter()
        for key in keys:
            with stores.open(db.session, key) as found:
                assert len(found.read()) == PHOTO_BYTES
        get = time.perf_counter() - start
        db.session.rollback()
    total = PHOTOS * PHOTO_BYTES / MB
    print(f"\n[{backend(app)}, {kind} store, in-process] put {total / put:,.1f} MB/s ({PHOTOS / put:,.0f} photos/s)"
          f" · get {total / get:,.1f} MB/s ({PHOTOS / get:,.0f} photos/s) · {PHOTOS} photos of {PHOTO_BYTES // 1024} KB")


class Fleet:
    """Phones logged in to one server, each on its own thread."""

    def __init__(self, server: Server, count: int):
        self.phones = [Phone(server, f"phone-{i}") for i in range(count)]
        for p in self.phones:
            p.login()
        self.pool = ThreadPoolExecutor(count)

    def each(self, work) -> list:
        return [f.result() for f in [self.pool.submit(work, p, i) for i, p in enumerate(self.phones)]]


def upload(phone: Phone, data: bytes) -> str:
    media_id = str(uuid.uuid4())
    request = urllib.request.Request(phone.url(f"/sync/media/{media_id}"), data=data, method="PUT", headers={
        "Content-Type": "image/jpeg", "X-Content-SHA256": hashlib.sha256(data).hexdigest(), "X-CSRFToken": phone.token})
    with phone.opener.open(request, timeout=60) as response:
        assert response.status == 201
    return media_id


def download(phone: Phone, media_id: str) -> int:
    with phone.opener.open(phone.url(f"/sync/media/{media_id}"), timeout=60) as response:
        return len(response.read())


APP_NAME = "pbperf-media"  # the server's PostgreSQL sessions, found again in pg_stat_activity


def gunicorn(tmp_path, env, kind: str) -> Server:
    options = json.loads(env["PATROLBOOK_SQLALCHEMY_ENGINE_OPTIONS"])
    if options:
        options["connect_args"]["application_name"] = APP_NAME
    server = Server({**env, "PATROLBOOK_MEDIA_STORE": kind, "PATROLBOOK_MEDIA_ROOT": str(tmp_path / f"m-{kind}"),
                     "PATROLBOOK_SQLALCHEMY_ENGINE_OPTIONS": json.dumps(options)},
                    tmp_path, gunicorn=True, workers=2)
    server.start()
    assert wait_for(f"http://127.0.0.1:{server.port}/login", seconds=60), "the server did not answer"
    return server


def server_cpu(server: Server) -> float:
    """CPU seconds spent so far by gunicorn's workers: a figure load on a shared machine disturbs less than time."""
    import psutil

    return sum(sum(c.cpu_times()[:2]) for c in psutil.Process(server.proc.pid).children())


class DatabaseMeter:
    """On PostgreSQL: CPU seconds of the server's database sessions and bytes of WAL written (what a replica
    receives), between two readings. Every PostgreSQL run holds /tmp/pg.lock: the WAL is ours alone."""

    def __init__(self, app):
        self.app, self.on = app, backend(app) == "postgresql"

    def reading(self) -> tuple[float, int]:
        import psutil

        if not self.on:
            return 0.0, 0
        with self.app.app_context():
            pids = db.session.scalars(text("SELECT pid FROM pg_stat_activity WHERE application_name = :n"),
                                      {"n": APP_NAME}).all()
            wal = db.session.scalar(text("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')"))
            db.session.remove()
        return sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in pids), int(wal)


def rounds(measure, count: int = ROUNDS) -> str:
    """`measure()` → a rate, `count` times: "median (best)" — the machine is shared, the best is the least disturbed."""
    rates = [measure() for _ in range(count)]
    return f"{statistics.median(rates):,.1f} (best {max(rates):,.1f})"


@pytest.mark.parametrize("kind", ["local", "database"])
def test_media_over_http_with_two_workers(tmp_path, database_url, kind):
    phones, per_phone = 4, PHOTOS // 4
    cpu = {"upload": [], "read": [], "db upload": [], "db read": [], "wal": []}
    with seeded_database(tmp_path, "pbmedia", database_url) as (app, env):
        server, meter = gunicorn(tmp_path, env, kind), DatabaseMeter(app)
        try:
            fleet = Fleet(server, phones)
            ids: list[list[str]] = []

            def uploads() -> float:
                photos = [[photo() for _ in range(per_phone)] for _ in range(phones)]
                before, (db_before, wal_before), start = server_cpu(server), meter.reading(), time.perf_counter()
                ids[:] = fleet.each(lambda p, i: [upload(p, data) for data in photos[i]])
                took = time.perf_counter() - start
                db_after, wal_after = meter.reading()
                cpu["upload"].append((server_cpu(server) - before) / PHOTOS)
                cpu["db upload"].append((db_after - db_before) / PHOTOS)
                cpu["wal"].append((wal_after - wal_before) / PHOTOS)
                return PHOTOS * PHOTO_BYTES / MB / took

            def reads() -> float:
                before, (db_before, _), start = server_cpu(server), meter.reading(), time.perf_counter()
                sizes = fleet.each(lambda p, i: [download(p, m) for m in ids[i]])
                took = time.perf_counter() - start
                assert sum(map(sum, sizes)) == PHOTOS * PHOTO_BYTES
                cpu["read"].append((server_cpu(server) - before) / PHOTOS)
                cpu["db read"].append((meter.reading()[0] - db_before) / PHOTOS)
                return PHOTOS * PHOTO_BYTES / MB / took

            put, get = rounds(uploads), rounds(reads)
        finally:
            server.kill()
    print(f"\n[{backend(app)}, {kind} store, HTTP, gunicorn 2 workers, {phones} phones at once, {ROUNDS} rounds of"
          f" {PHOTOS} photos] upload MB/s {put} · read MB/s {get} · app-server CPU per photo: upload"
          f" {statistics.median(cpu['upload']) * 1000:.1f} ms, read {statistics.median(cpu['read']) * 1000:.1f} ms"
          + (f" · PostgreSQL CPU per photo: upload {statistics.median(cpu['db upload']) * 1000:.1f} ms, read"
             f" {statistics.median(cpu['db read']) * 1000:.1f} ms · WAL per upload"
             f" {statistics.median(cpu['wal']) / 1024:,.1f} KB" if meter.on else ""))


def test_concurrent_pushes_with_two_workers(tmp_path, database_url):
    phones, batches, size = 8, 10, 50
    latencies: list[float] = []
    cost = {"app": [], "db": [], "wal": []}
    with seeded_database(tmp_path, "pbmedia", database_url) as (app, env):
        with app.app_context():
            area = db.session.scalar(select(Area.id).where(Area.name == "东区"))
        server, meter = gunicorn(tmp_path, env, "database"), DatabaseMeter(app)
        try:
            fleet = Fleet(server, phones)

            def push_all(phone: Phone, work: list[list[dict]]) -> list[float]:
                took = []
                for batch in work:
                    start = time.perf_counter()
                    assert set(phone.push(batch)) == {"applied"}
                    took.append(time.perf_counter() - start)
                return took

            def pushes() -> float:
                work = [note_batches(area, batches, size) for _ in range(phones)]
                before, (db_before, wal_before), start = server_cpu(server), meter.reading(), time.perf_counter()
                latencies.extend(t for took in fleet.each(lambda p, i: push_all(p, work[i])) for t in took)
                took = time.perf_counter() - start
                db_after, wal_after = meter.reading()
                n = phones * batches * size
                cost["app"].append((server_cpu(server) - before) / n)
                cost["db"].append((db_after - db_before) / n)
                cost["wal"].append((wal_after - wal_before) / n)
                return n / took

            rate = rounds(pushes)
        finally:
            server.kill()
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(f"\n[{backend(app)}, HTTP, gunicorn 2 workers, {phones} phones pushing {size} notes at a time, {ROUNDS}"
          f" rounds] mutations/s {rate} · push latency median {statistics.median(latencies) * 1000:,.0f} ms,"
          f" p95 {p95 * 1000:,.0f} ms · CPU per mutation: app server {statistics.median(cost['app']) * 1000:.2f} ms"
          + (f", PostgreSQL {statistics.median(cost['db']) * 1000:.2f} ms · WAL per mutation"
             f" {statistics.median(cost['wal']) / 1024:,.1f} KB" if meter.on else ""))

"""Benchmark, on demand (pip install -e '.[perf]' && PATROLBOOK_PERF=1 python -m pytest tests/perf -s):
10,000 quick-note mutations.

Side by side in one run, on SQLite (a file) and on PostgreSQL (DATABASE_URL if it names one, else
postgresql://postgres@127.0.0.1:5432/test; skipped when it does not answer), then a table of both:
- the engine in-process (sync.engine.push, batches of 200) against the floor: SQLAlchemy Core executemany
  writing the very rows the engine wrote (record, mutation log, change log), re-inserted verbatim;
- end to end over HTTP (gunicorn, one worker; session cookie + CSRF; batches of 200) and a replay of it;
- pull of all of them (pages of 500, gzip);
- Kinto (memory backend) receiving the same records through /v1/batch over HTTP;
- the server's peak RSS (VmHWM), and the bytes a phone downloads for the officer's home page.
Prints figures; asserts nothing about time (machines are noisy).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import delete, func, insert, select

from sync import engine
from sync.models import AppliedMutation, Change
from tests.live_server import (
    Phone,
    Server,
    free_port,
    note_batches,
    seeded_database,
    wait_for,
)
from webapp.areas.models import Area
from webapp.extensions import db
from webapp.kernel.scopes import actor_for
from webapp.kernel.syncing import entities
from webapp.notes.models import QuickNote

N, BATCH = 10_000, 200
pytestmark = pytest.mark.perf
RESULTS: dict[str, dict[str, str]] = {}  # backend → figure → text, for the closing table


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a process and its children (gunicorn's worker), from /proc."""
    import psutil

    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    peaks = []
    for proc in procs:
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks)


class PatientServer(Server):
    """gunicorn's master accepts connections before its worker has booted: a read can time out
    while the app is still starting, so wait through timeouts too."""

    def start(self) -> None:
        deadline = time.monotonic() + 60
        self.proc = subprocess.Popen(self.command(), env=self.env, cwd=self.cwd,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not wait_for(f"http://127.0.0.1:{self.port}/login", seconds=5, alive=lambda: self.proc.poll() is None):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"the server on port {self.port} did not answer")


def database_name(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]


def test_engine_in_process_against_the_floor(tmp_path, database_url):
    from webapp.auth.models import User

    with seeded_database(tmp_path, "pbperf", database_url) as (app, _env), app.test_request_context():
        officer = db.session.scalar(select(User).where(User.username == "wangxm"))
        area = db.session.scalar(select(Area.id).where(Area.name == "东区"))
        batches = note_batches(area, N // BATCH, BATCH)
        actor = actor_for(officer, "bench")
        _, first = timed(lambda: [engine.push(db.session, actor, entities(), {"device_id": "bench", "mutations": b}) for b in batches])
        _, replay = timed(lambda: [engine.push(db.session, actor, entities(), {"device_id": "bench", "mutations": b}) for b in batches])
        pulled, pull = timed(lambda: _pull_all(actor))
        assert pulled == N
        tables = (QuickNote.__table__, AppliedMutation.__table__, Change.__table__)
        rows = {t: [dict(r._mapping) for r in db.session.execute(select(t))] for t in tables}
        for t in reversed(tables):
            db.session.execute(delete(t))
        db.session.commit()
        _, floor = timed(lambda: _floor_insert(rows))
        assert db.session.scalar(select(func.count()).select_from(QuickNote)) == N
    RESULTS.setdefault(database_name(app), {}).update({
        "engine in-process, mutations/s": f"{rate(N, first):,.0f}",
        "floor (Core executemany), rows/s": f"{rate(N, floor):,.0f}",
        "engine / floor (≥ 0.25)": f"{floor / first:.2f}",
        "in-process replay / first push (≥ 2)": f"{first / replay:.1f}×",
        "in-process pull, records/s": f"{rate(pulled, pull):,.0f}",
    })
    print(f"\n[{database_name(app)}] engine in-process: {rate(N, first):,.0f} mutations/s"
          f" · floor (Core executemany of the same rows): {rate(N, floor):,.0f} mutations/s"
          f" · engine/floor {floor / first:.2f} (target ≥ 0.25)"
          f"\n[{database_name(app)}] in-process replay {rate(N, replay):,.0f}/s = {first / replay:.1f}× first push"
          f" (target ≥ 2) · pull {rate(pulled, pull):,.0f} records/s")


def _pull_all(actor) -> int:
    cursor, seen, more = 0, 0, True
    while more:
        page = engine.pull(db.session, actor, entities(), cursor, 500)
        db.session.rollback()  # end the read transaction, as a request would
        seen += len(page["changes"])
        cursor, more = page["cursor"], page["more"]
    return seen


def _floor_insert(rows: dict) -> None:
    for table, table_rows in rows.items():
        for start in range(0, len(table_rows), BATCH):
            db.session.execute(insert(table), table_rows[start:start + BATCH])
    db.session.commit()


def test_http_end_to_end_against_kinto(tmp_path, database_url):
    with seeded_database(tmp_path, "pbperf", database_url) as (app, env):
        with app.app_context():
            area = db.session.scalar(select(Area.id).where(Area.name == "东区"))
        batches = note_batches(area, N // BATCH, BATCH)
        server = PatientServer(env, tmp_path, gunicorn=True)
        server.start()
        try:
            phone = Phone(server)
            phone.login()
            _, push = timed(lambda: [phone.push(b) for b in batches])
            _, replay = timed(lambda: [phone.push(b) for b in batches])
            pulled, pull = timed(phone.pull_all)
            rss = peak_rss_mb(server.proc.pid)
        finally:
            server.kill()
    kinto = kinto_records_per_second(tmp_path, batches)
    ours, name = rate(N, push), database_name(app)
    RESULTS.setdefault(name, {}).update({
        "HTTP push (gunicorn, 1 worker), mutations/s": f"{ours:,.0f}",
        "HTTP replay / first push (≥ 2)": f"{push / replay:.1f}×",
        "HTTP pull (pages of 500, gzip), records/s": f"{rate(pulled, pull):,.0f}",
        "Kinto /v1/batch (memory), records/s": f"{kinto:,.0f}",
        "Patrolbook / Kinto (≥ 10)": f"{ours / kinto:.1f}×",
        "server peak RSS, MB (< 200)": f"{rss:.0f}",
    })
    print(f"\n[{name}] HTTP push (gunicorn, 1 worker, batches of {BATCH}): {ours:,.0f} mutations/s"
          f" · replay {rate(N, replay):,.0f}/s = {push / replay:.1f}× first push (target ≥ 2)"
          f" · pull {rate(pulled, pull):,.0f} records/s ({pulled} records, pages of 500, gzip)"
          f"\n[{name}] Kinto /v1/batch (memory backend): {kinto:,.0f} records/s"
          f" · Patrolbook/Kinto = {ours / kinto:.1f}× (target ≥ 10)"
          f"\n[{name}] server peak RSS: {rss:.0f} MB (target < 200)")
    assert pulled == N


# `python -m kinto` defines main() without calling it: call it ourselves (same interpreter as the suite).
KINTO = [sys.executable, "-c", "import sys; from kinto.__main__ import main; sys.exit(main())"]


def kinto_records_per_second(tmp_path: Path, batches: list[list[dict]]) -> float:
    folder = tmp_path / "kinto"
    folder.mkdir()
    subprocess.run([*KINTO, "init", "--backend", "memory", "--cache-backend", "memory",
                    "--host", "127.0.0.1"], cwd=folder, check=True, capture_output=True)
    port = free_port()
    env = {**os.environ, "KINTO_BATCH_MAX_REQUESTS": str(BATCH), "KINTO_BUCKET_CREATE_PRINCIPALS": "system.Authenticated"}
    proc = subprocess.Popen([*KINTO, "start", "--ini", "config/kinto.ini", "--port", str(port)],
                            cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        assert wait_for(base + "/"), "Kinto did not answer"
        auth = {"Authorization": "Basic " + base64.b64encode(b"bench:s3cret-bench").decode(), "Content-Type": "application/json"}
        send("PUT", f"{base}/accounts/bench", {"data": {"password": "s3cret-bench"}}, {"Content-Type": "application/json"})
        send("PUT", f"{base}/buckets/pb", {}, auth)
        send("PUT", f"{base}/buckets/pb/collections/notes", {}, auth)
        body = [{"requests": [{"method": "PUT", "path": f"/buckets/pb/collections/notes/records/{m['record_id']}",
                               "body": {"data": {**m["fields"], "observed_at": m["observed_at"]}}} for m in b]}
                for b in batches]
        _, seconds = timed(lambda: [send("POST", f"{base}/batch", b, auth) for b in body])
        return rate(sum(len(b) for b in batches), seconds)
    finally:
        proc.kill()
        proc.wait()


def send(method: str, url: str, body: dict, headers: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method=method, headers=headers)
    return json.loads(urllib.request.urlopen(request, timeout=120).read())


def test_zz_side_by_side():
    """The figures of both databases in one table (runs last in this module)."""
    if not RESULTS:
        pytest.skip("nothing measured")
    backends = sorted(RESULTS)
    figures = list(dict.fromkeys(f for b in backends for f in RESULTS[b]))
    width = max(len(f) for f in figures)
    print("\n" + " " * width + "".join(f"{b:>14}" for b in backends))
    for figure in figures:
        print(f"{figure:<{width}}" + "".join(f"{RESULTS[b].get(figure, '—'):>14}" for b in backends))

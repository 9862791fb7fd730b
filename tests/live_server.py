"""A real server process on a database of its own, and a Python 'phone' that speaks the sync protocol.

Used by the fault tests (SIGKILL mid-batch) and the HTTP benchmarks.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from webapp import create_app
from webapp.config import database_url_from_env
from webapp.extensions import db

REPO = Path(__file__).resolve().parent.parent


DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_reachable(url: str | None = None) -> str | None:
    """DATABASE_URL when it names PostgreSQL, else the local default — if it answers; else None."""
    url = os.environ.get("DATABASE_URL", "") if url is None else url
    url = url if url.startswith("postgres") else DEFAULT_POSTGRES
    probe = create_engine(database_url_from_env(url), connect_args={"connect_timeout": 3})
    try:
        with probe.connect():
            return url
    except Exception:  # noqa: BLE001 - any failure to connect means "not here"
        return None
    finally:
        probe.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def seeded_database(tmp_path, prefix="pblive", url: str | None = None):
    """Yield (app, env): a seeded demo database (SQLite file, or a private PostgreSQL schema when
    `url` — by default DATABASE_URL — names PostgreSQL) and the environment a server process needs to
    serve it."""
    url = os.environ.get("DATABASE_URL", "") if url is None else url
    options, schema, admin = {}, None, None
    if url.startswith("postgres"):
        url = database_url_from_env(url)
        schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        options = {"connect_args": {"options": f"-csearch_path={schema}"}}
    else:
        url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    config = {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": options, "SECRET_KEY": "live-secret",
              "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "MEDIA_ROOT": str(tmp_path / "media")}
    app = create_app(config)
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        db.create_all()
        from webapp.demo import seed

        seed(db.session)
        db.session.remove()
        db.engine.dispose()
    env = {**os.environ, **{f"PATROLBOOK_{k}": v if isinstance(v, str) else json.dumps(v) for k, v in config.items()}}
    env.pop("DATABASE_URL", None)
    try:
        yield app, env
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if schema:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


class Server:
    """`flask run` (or gunicorn) in a child process, started and SIGKILLed at will."""

    def __init__(self, env, cwd, gunicorn=False, workers=1):
        # The child imports this checkout's webapp, whatever `pip install -e` last pointed at.
        env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))}
        self.env, self.cwd, self.port, self.gunicorn = env, cwd, free_port(), gunicorn
        self.proc, self.workers = None, workers

    def command(self) -> list[str]:
        if self.gunicorn:
            return [sys.executable, "-m", "gunicorn", "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}", "webapp:create_app()"]
        return [sys.executable, "-m", "flask", "--app", "webapp", "run", "--port", str(self.port), "--no-reload"]

    def start(self) -> None:
        self.launch()
        self.wait()

    def launch(self) -> None:
        """Start the process without waiting for it (start several, then wait for each)."""
        self.log = Path(self.cwd) / f"server-{self.port}.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(self.command(), env=self.env, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT)

    def wait(self, tries: int = 3) -> None:
        """Until it answers. The free port it was given can be taken by another process before it binds
        (other test runs on the machine): then it starts again on another port, instead of a 30 s wait."""
        for _ in range(tries):
            if wait_for(f"http://127.0.0.1:{self.port}/login", alive=lambda: self.proc.poll() is None):
                return
            said = self.log.read_text(errors="replace")
            if self.proc.poll() is None or "in use" not in said:
                raise RuntimeError(f"the server on port {self.port} did not answer:\n{said[-2000:]}")
            self.port = free_port()
            self.launch()
        raise RuntimeError(f"no free port after {tries} tries")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


@contextmanager
def served_through(app, middleware):
    """The app (in this process) served on a free loopback port from a thread, through a WSGI middleware
    wrapped around its wsgi_app (a counter); yields the base URL."""
    from werkzeug.serving import make_server

    app.wsgi_app = middleware
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        app.wsgi_app = middleware.app


def wait_for(url: str, seconds: float = 60, alive=lambda: True) -> bool:
    """Whether the URL answered within `seconds`; False at once when `alive()` says its server has exited."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and alive():
        try:
            urllib.request.urlopen(url, timeout=1)
            return True
        except urllib.error.HTTPError:
            return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    return False


class Phone:
    """The offline client's protocol in Python: session cookie + CSRF header; batches replayed until confirmed."""

    def __init__(self, server: Server, device_id: str = "phone-1"):
        self.server, self.device_id = server, device_id
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.port}{path}"

    def login(self, username: str = "wangxm") -> None:
        page = self.opener.open(self.url("/login")).read().decode()
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": username, "password": "patrol123", "csrf_token": token}).encode()
        self.opener.open(self.url("/login"), data=data)
        self.token = json.loads(self.opener.open(self.url("/sync/whoami")).read())["csrf_token"]

    def push(self, mutations: list[dict], headers: dict | None = None) -> list[str]:
        body = json.dumps({"device_id": self.device_id, "mutations": mutations}).encode()
        request = urllib.request.Request(self.url("/sync/push"), data=body, method="POST",
                                         headers={"Content-Type": "application/json", "X-CSRFToken": self.token,
                                                  **(headers or {})})
        return [r["status"] for r in json.loads(self.opener.open(request, timeout=120).read())["results"]]

    def push_and_hang_up(self, mutations: list[dict]) -> None:
        """Send a push whole, then close the socket without reading a byte of the answer: the phone
        lost its signal (or gave up waiting) while the server was working."""
        body = json.dumps({"device_id": self.device_id, "mutations": mutations}).encode()
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        head = (f"POST /sync/push HTTP/1.1\r\nHost: 127.0.0.1:{self.server.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                f"X-CSRFToken: {self.token}\r\nCookie: {cookies}\r\nConnection: close\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as sock:
            sock.sendall(head + body)  # then closed at once: nothing of the answer is ever read

    def pull_all(self, limit: int = 500) -> int:
        import gzip

        cursor, seen, more = 0, 0, True
        while more:
            request = urllib.request.Request(self.url(f"/sync/pull?cursor={cursor}&limit={limit}"),
                                             headers={"Accept-Encoding": "gzip"})
            response = self.opener.open(request, timeout=120)
            raw = response.read()
            page = json.loads(gzip.decompress(raw) if response.headers.get("Content-Encoding") == "gzip" else raw)
            seen += len(page["changes"])
            cursor, more = page["cursor"], page["more"]
        return seen


def note_batches(area_id: int, batches: int, size: int) -> list[list[dict]]:
    now = datetime.now(UTC).isoformat()
    return [[{"mutation_id": str(uuid.uuid4()), "entity": "quick_note", "record_id": str(uuid.uuid4()), "op": "create",
              "base_version": None, "fields": {"area_id": area_id, "text": f"批次{b}第{i}条：3栋12层走廊灯不亮，已报工程部"},
              "observed_at": now} for i in range(size)] for b in range(batches)]

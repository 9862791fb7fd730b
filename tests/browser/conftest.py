"""Real-Chromium fixtures (Playwright + Debian's /usr/bin/chromium, see BROWSER.md).

The app from tests/conftest.py is served by werkzeug on a free loopback port for the whole session;
every test gets a fresh browser context (no worker, caches or IndexedDB: free isolation).

Helpers (the `pwa` fixture):
    pwa.login(page, "officer")           log in through the real form
    pwa.controlled(page)                 wait until the service worker controls the page (reloads once)
    pwa.idb(page, "outbox")              every record of an IndexedDB store, read directly
    pwa.wait_idb(page, "outbox", n)      wait until a store holds n records
    pwa.offline(context) / pwa.online(context)
    pwa.ready_offline(page, "officer", "/notes/new")   logged in, worker in control, that page cached
    pwa.phone(browser, browser_context_args, "supervisor")   another person's phone (a new context)
    pwa.put_down(page)                   done with a phone: close its page, cut its network
    png(2400, 1800)                      a plain PNG of that size, for set_input_files
    db_query(app, fn) / db_wait(app, fn)  read the live server's database (wait: poll until truthy)

The CSP forbids eval: give page.wait_for_function a function ("() => …"), never a bare expression.
"""

from __future__ import annotations

import os
import struct
import threading
import time
import zlib
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEMO_PASSWORD = "patrol123"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM=...)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A mid-range phone: 360 px wide, touch, Chinese.
    return {
        **browser_context_args,
        "viewport": {"width": 360, "height": 740},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
    }


def whole_bodies(app):
    """Each answer read to its end, its file closed, before werkzeug's development server writes it.
    Chromium drops requests it no longer needs (an icon, on the next navigation); werkzeug's server
    then fails draining the reset socket before it closes the response, and the open static file is
    reported at garbage collection — in whichever test runs then (filterwarnings = error). Production
    runs gunicorn, which closes it."""

    def wsgi(environ, start_response):
        answer = app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()

    return wsgi


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, whole_bodies(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


READ_STORE = """async (store) => {
  const db = await new Promise((resolve) => {
    const req = indexedDB.open("patrolbook");
    // Never create the database here: an empty v1 made by the test would spoil the app's own upgrade.
    req.onupgradeneeded = () => req.transaction.abort();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(null);
  });
  if (!db) return [];
  if (!db.objectStoreNames.contains(store)) { db.close(); return []; }
  const rows = await new Promise((resolve, reject) => {
    const req = db.transaction(store).objectStore(store).getAll();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  db.close();
  return rows.map((row) => row && row.blob ? { ...row, blob: { size: row.blob.size, type: row.blob.type } } : row);
}"""


# Whether the worker keeps a page, under its key (sw.js pageKey: the query sorted).
CACHED = """(path) => {
  const url = new URL(path, location.href);
  url.searchParams.sort();
  return caches.match(url.href).then((r) => Boolean(r));
}"""


WORKER_READY = """(ms) => Promise.race([
  navigator.serviceWorker.ready.then(() => "ready"),
  new Promise((resolve) => setTimeout(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    resolve(JSON.stringify({registered: Boolean(reg), installing: reg?.installing?.state,
                            waiting: reg?.waiting?.state, active: reg?.active?.state}));
  }, ms)),
])"""


def png(width: int, height: int) -> bytes:
    """A plain grey PNG as big as a phone camera's picture (no imaging library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def db_query(app, fn):
    """fn() inside an app context, its session removed after (the live server writes in its own threads)."""
    from webapp.extensions import db

    with app.app_context():
        try:
            return fn()
        finally:
            db.session.remove()


def db_wait(app, fn, timeout: float = 15.0):
    """Poll db_query(app, fn) until it is truthy (or the timeout passes); its last value."""
    end = time.monotonic() + timeout
    while not (value := db_query(app, fn)) and time.monotonic() < end:
        time.sleep(0.1)
    return value


class Pwa:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.contexts = []

    def login(self, page, who: str = "officer", password: str = DEMO_PASSWORD, next_path: str | None = None):
        from tests.conftest import DEMO

        page.goto("/login" + (f"?next={next_path}" if next_path else ""))
        page.fill("input[name=username]", DEMO.get(who, who))
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("form [type=submit]")
        return page

    def controlled(self, page, timeout: float = 15_000):
        """The worker is installed and controls this page (BROWSER.md: ready, reload, controller)."""
        # `ready` never resolves if the worker fails to install: bound the wait, and say what went wrong.
        ready = page.evaluate(WORKER_READY, timeout)
        assert ready == "ready", f"the service worker never became ready: {ready}"
        if not page.evaluate("navigator.serviceWorker.controller !== null"):
            page.reload()
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=timeout)
        return page

    def ready_offline(self, page, who: str, path: str, timeout: float = 15.0):
        """Logged in, the worker controls the page, and `path`, the page itself and every page the
        server lists for offline use are in the offline cache."""
        self.login(page, who)
        self.controlled(page)
        end = time.monotonic() + timeout
        here = page.evaluate("() => location.pathname")  # a reload offline needs the current page too
        warmed = page.evaluate("() => fetch('/pwa/offline-pages').then((r) => r.json()).then((j) => j.urls)")
        for wanted in dict.fromkeys((path, *warmed)):  # the worker warms them three at a time
            while not page.evaluate(CACHED, wanted):
                assert time.monotonic() < end, f"{wanted} never reached the offline cache"
                page.wait_for_timeout(100)
        # A landing page the worker does not warm (a desk role's /overview, reached by a redirect) is kept
        # when opened through the worker; the login's navigation may have come before the worker took over.
        if not page.evaluate(CACHED, here):
            page.reload()
            while not page.evaluate(CACHED, here):
                assert time.monotonic() < end, f"{here} never reached the offline cache"
                page.wait_for_timeout(100)
        return page

    def phone(self, browser, context_args: dict, who: str):
        """Another person's phone (a fresh context), logged in, its worker in control."""
        context = browser.new_context(**context_args)
        self.contexts.append(context)
        page = context.new_page()
        self.login(page, who)
        return self.controlled(page)

    @staticmethod
    def put_down(page):
        put_down(page.context)

    def idb(self, page, store: str) -> list:
        return page.evaluate(READ_STORE, store)

    def wait_idb(self, page, store: str, count: int, timeout: float = 10_000):
        """Poll from here: page.wait_for_function takes a returned Promise as truthy at once."""
        end = time.monotonic() + timeout / 1000
        while len(rows := self.idb(page, store)) != count:
            assert time.monotonic() < end, f"IndexedDB {store!r} holds {len(rows)} records, not {count}"
            page.wait_for_timeout(50)
        return rows

    @staticmethod
    def offline(context):
        context.set_offline(True)

    @staticmethod
    def online(context):
        context.set_offline(False)


def put_down(context):
    """Close a phone's pages and cut its network, but never dispose of the context itself.

    Chromium's Target.disposeBrowserContext can hang for good while a service worker is busy (an
    upstream bug: puppeteer#11627); it hung CI twice in context.close(). Contexts are cheap and are
    all freed when the session's browser closes; offline, a left-over worker cannot reach the server.
    """
    context.set_offline(True)
    for page in context.pages:
        page.close()


@pytest.fixture
def context(browser, browser_context_args):
    """pytest-playwright's context, put down rather than closed (see put_down)."""
    context = browser.new_context(**browser_context_args)
    yield context
    put_down(context)


@pytest.fixture
def pwa(base_url):
    pwa = Pwa(base_url)
    yield pwa
    for context in pwa.contexts:
        put_down(context)

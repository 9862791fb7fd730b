"""Bytes a phone downloads for the officer's home page on first load (target ≤ 30 KB gzipped in all).

On demand: PATROLBOOK_PERF=1 python -m pytest tests/perf/test_page_weight.py -s
A new phone (fresh browser context, empty caches) opens the login page, logs in and lands on /today.
The server counts what it sends (a 304 sends no body), each body raw and gzip -9 (what a compressing
proxy sends), in two parts: what the pages load to be shown (HTML, CSS, scripts, icons, the first sync
calls), and what the service worker downloads in the background to work offline later (its precache and
the pages the officer needs today) — the price of offline, paid once, not part of showing the page.
"""

from __future__ import annotations

import gzip
import time

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.conftest import ARGS, CHROMIUM
from tests.live_server import served_through

pytestmark = pytest.mark.perf


class Counter:
    """WSGI middleware: every response's time, path, status and body."""

    def __init__(self, app):
        self.app, self.seen = app, []

    def __call__(self, environ, start_response):
        status = []
        result = self.app(environ, lambda s, h, *a: status.append(s) or start_response(s, h, *a))
        try:
            body = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
        path = environ["PATH_INFO"] + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
        self.seen.append((time.monotonic(), path, status[0][:3], body))
        return [body]


def table(title: str, rows: list) -> int:
    print(f"\n{title}:")
    total = 0
    for _, path, status, body in sorted(rows, key=lambda r: -len(r[3])):
        packed = len(gzip.compress(body, 9)) if body else 0
        total += packed
        print(f"  {packed:>7,} B gz  {len(body):>8,} B  {status}  {path}")
    print(f"  = {total:,} B gzipped ({total / 1024:.1f} KB), {len(rows)} responses")
    return total


def test_officer_home_page_weight(app):
    counter = Counter(app.wsgi_app)
    with served_through(app, counter) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN").new_page()
        asked: list[str] = []  # what the page itself asked for (served by the network or by its worker)
        page.on("request", lambda r: asked.append(r.url.replace(base, "")))
        page.goto(base + "/login", wait_until="networkidle")
        page.fill("input[name=username]", "wangxm")
        page.fill("input[name=password]", "patrol123")
        logged_in = time.monotonic()
        with page.expect_navigation(url="**/today"):
            page.click("form [type=submit]")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(3000)  # the worker's background downloads
        browser.close()
    pages, worker, wanted = [], [], set(asked)
    for row in counter.seen:  # the first time the server sent something the page asked for counts for the page
        (pages if row[1] in wanted else worker).append(row)
        wanted.discard(row[1])
    login = table("login page, first visit", [r for r in pages if r[0] < logged_in])
    home = table("officer home page /today after login", [r for r in pages if r[0] >= logged_in])
    worker = table("service worker, in the background (offline copies)", worker)
    print(f"\nfirst load, login page + home page: {login + home:,} B gzipped ({(login + home) / 1024:.1f} KB;"
          f" target ≤ 30 KB); with the offline copies the worker fetches: {(login + home + worker) / 1024:.1f} KB")
    assert pages, "nothing was fetched"

"""A new customer's first run, on a phone-sized Chromium, from an EMPTY store: the schema by
`flask db upgrade`, the administrator by `flask create-admin`, then everything else on the pages —
the estate, its households (a small spreadsheet), a supervisor and an officer, an area; the officer
logs in and sees their 今日.

The session's live server serves the seeded demo; this test starts a server of its own
(tests/live_server.Server) on a SQLite file that holds nothing but the schema.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import create_engine, func, select

from tests.browser.conftest import put_down
from tests.live_server import REPO, Server
from webapp.areas.models import Area
from webapp.auth.models import User
from webapp.estate.models import Estate, Household

SHOTS = Path(os.environ.get("PATROLBOOK_SHOTS", "")) if os.environ.get("PATROLBOOK_SHOTS") else None
HOUSEHOLDS = "楼栋,楼层,房号,业户姓名,身份,电话\n1,3,301,周敏,业主,13900001111\n1,3,302,钱力,租户,13900002222\n" \
             "2,1,101,孙婷,业主,13900003333\n"


@pytest.fixture
def empty_server(tmp_path):
    """A server process on a store holding just the schema, and its administrator made by the CLI."""
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'new.sqlite3'}", "SECRET_KEY": "first-run-secret",
              "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "MEDIA_ROOT": str(tmp_path / "media")}
    env = {**os.environ, "PYTHONPATH": str(REPO),
           **{f"PATROLBOOK_{k}": v if isinstance(v, str) else json.dumps(v) for k, v in config.items()}}
    env.pop("DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "webapp"]
    for args in (["db", "upgrade"], ["create-admin", "--username", "it", "--name", "系统管理员",
                                     "--password", "first-run-1"]):
        done = subprocess.run(flask + args, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    server = Server(env, tmp_path)
    server.start()
    engine = create_engine(config["SQLALCHEMY_DATABASE_URI"])
    yield f"http://127.0.0.1:{server.port}", engine
    server.kill()
    engine.dispose()


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(model.__table__))


def phone(browser, browser_context_args, base):
    context = browser.new_context(**{**browser_context_args, "base_url": base})
    context.set_default_timeout(15_000)
    return context, context.new_page()


def log_in(page, username, password):
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form [type=submit]")


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×)" for v in results.response["violations"]
            if v.get("impact") in {"serious", "critical"}]


def fits_and_is_accessible(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{page.url} overflows a 360 px screen"
    assert serious_violations(page) == [], page.url


def shot(page, name):
    fits_and_is_accessible(page)
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def add_person(page, username, name, role):
    page.goto("/people/new")
    page.fill("#f-username", username)
    page.fill("#f-display_name", name)
    page.select_option("#f-role", role)
    page.fill("#f-password", "initial-123")
    with page.expect_navigation():
        page.click("form [type=submit]")
    assert page.locator(".flash-error, .field-error").count() == 0, page.content()


def choose_own_password(page):
    """A password someone else chose is replaced first (the app sends them to 我的)."""
    page.fill("#old_password", "initial-123")
    page.fill("#new_password", "my-own-123")
    with page.expect_navigation():
        page.click("#password [type=submit]")


def test_a_new_customer_sets_up_their_estate_from_nothing(browser, browser_context_args, empty_server):
    base, engine = empty_server
    context, page = phone(browser, browser_context_args, base)
    try:
        log_in(page, "it", "first-run-1")
        assert page.get_by_role("heading", name="请先创建项目").is_visible()
        shot(page, "first-run-1-overview")
        page.get_by_role("link", name="创建项目").click()
        page.wait_for_url("**/estate/new")
        page.fill("#f-name", "翠湖苑")
        page.fill("#f-code", "J")  # too short: refused, nothing stored
        with page.expect_navigation():
            page.get_by_role("button", name="创建项目").click()
        assert page.locator("#e-code").is_visible() and count(engine, Estate) == 0
        shot(page, "first-run-2-estate-form-error")
        page.fill("#f-code", "CHY")
        page.fill("#f-address", "杭州市西湖区翠湖路8号")
        page.select_option("#f-time_zone", "Asia/Shanghai")
        with page.expect_navigation():
            page.get_by_role("button", name="创建项目").click()
        page.wait_for_url("**/estate/import")
        assert "项目“翠湖苑”已创建" in page.inner_text("body")

        page.set_input_files("#f-file", files=[{"name": "业户.csv", "mimeType": "text/csv",
                                                "buffer": HOUSEHOLDS.encode("utf-8")}])
        with page.expect_navigation():
            page.get_by_role("button", name="检查并导入").click()
        assert count(engine, Household) == 3, page.inner_text("main")

        add_person(page, "chenhu", "陈湖", "supervisor")
        add_person(page, "lihu", "李湖", "officer")
        page.goto("/estate/settings")
        shot(page, "first-run-3-estate-settings")
        assert page.locator("#f-name").input_value() == "翠湖苑"
    finally:
        put_down(context)

    context, page = phone(browser, browser_context_args, base)
    try:
        log_in(page, "chenhu", "initial-123")
        choose_own_password(page)
        page.goto("/areas/new")
        page.fill("#f-code", "A1")
        page.fill("#f-name", "湖东区")
        page.get_by_label("1栋").check()
        with page.expect_navigation():
            page.click("form [type=submit]")
        assert count(engine, Area) == 1, page.inner_text("main")
    finally:
        put_down(context)

    context, page = phone(browser, browser_context_args, base)
    try:
        log_in(page, "lihu", "initial-123")
        choose_own_password(page)
        page.goto("/")
        page.wait_for_url("**/today")
        assert page.get_by_role("heading", name="今日").is_visible()
        shot(page, "first-run-4-officer-today")
        with engine.connect() as conn:
            officer = conn.execute(select(User.__table__).where(User.__table__.c.username == "lihu")).one()
        assert officer.password_must_change is False
    finally:
        put_down(context)

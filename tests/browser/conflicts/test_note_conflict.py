"""Issue 3 in real Chromium, when the world moves on while the phone is offline: a colleague edits the same
note (→ the conflicts inbox, both values, resolved by the supervisor) and the session expires (→ the app
asks to log in, then syncs; nothing lost)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from sync import engine
from sync.models import Conflict
from tests.browser.conftest import db_query, db_wait
from webapp.areas.models import Area
from webapp.auth.models import User
from webapp.extensions import db
from webapp.kernel.scopes import actor_for
from webapp.kernel.syncing import entities
from webapp.notes.models import QuickNote

PENDING = "() => document.querySelector('[data-outbox-count]')?.textContent === '1'"
CLEARED = "() => document.querySelector('[data-outbox-count]')?.hidden === true"


def seed_note(app, text: str, who: str = "wangxm") -> str:
    """A note already on the server, created by that officer's phone yesterday."""
    def push():
        user = db.session.scalar(select(User).where(User.username == who))
        area = db.session.scalar(select(Area.id).where(Area.name == "东区"))
        record = str(uuid.uuid4())
        mutation = {"mutation_id": str(uuid.uuid4()), "entity": "quick_note", "record_id": record, "op": "create",
                    "base_version": None, "fields": {"area_id": area, "text": text},
                    "observed_at": datetime.now(UTC).isoformat()}
        [result] = engine.push(db.session, actor_for(user, "seed"), entities(), {"device_id": "seed", "mutations": [mutation]})[
            "results"]
        assert result["status"] == "applied", result
        return record

    return db_query(app, push)


def edit_note(page, note_id: str, text: str):
    page.goto(f"/notes/{note_id}/edit")
    page.fill("#f-text", text)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/notes/")


def note_text(app, note_id):
    return db_query(app, lambda: db.session.get(QuickNote, note_id).text)


def test_same_field_edited_offline_and_online_reaches_the_conflicts_inbox(page, context, pwa, app, browser,
                                                                          browser_context_args):
    note_id = seed_note(app, "二楼消防门关不上")
    pwa.ready_offline(page, "officer", "/notes/new")
    page.goto(f"/notes/{note_id}/edit")  # opened once with a signal: the page is on the phone now
    pwa.offline(context)
    edit_note(page, note_id, "二楼消防门已自行修好")
    page.wait_for_function(PENDING)
    [entry] = pwa.idb(page, "outbox")
    assert entry["op"] == "update" and entry["base_version"] == 1 and entry["record_id"] == note_id

    boss = pwa.phone(browser, browser_context_args, "supervisor")
    edit_note(boss, note_id, "二楼消防门已报修，待维修")  # online: reaches the server at once
    assert db_wait(app, lambda: note_text(app, note_id) == "二楼消防门已报修，待维修", timeout=20)

    pwa.online(context)
    page.wait_for_function(CLEARED, timeout=30_000)
    assert pwa.wait_idb(page, "outbox", 0) == []
    [notice] = pwa.wait_idb(page, "notices", 1, timeout=20_000)
    assert notice["kind"] == "conflict" and notice["conflict_id"]
    page.goto("/outbox")
    page.locator("[data-outbox-notices] .flash").wait_for()
    assert "主管" in page.locator("[data-outbox-notices]").inner_text()
    assert note_text(app, note_id) == "二楼消防门已报修，待维修", "the server's value stands until resolved"

    boss.goto("/conflicts/")
    boss.locator(f"a[href='/conflicts/{notice['conflict_id']}']").click()
    boss.wait_for_url(f"**/conflicts/{notice['conflict_id']}")
    assert boss.locator("td[data-side=server]").first.inner_text() == "二楼消防门已报修，待维修"
    assert boss.locator("td[data-side=device]").first.inner_text() == "二楼消防门已自行修好"
    boss.get_by_role("button", name="采用手机上的版本").click()
    boss.wait_for_url("**/conflicts/")
    assert db_query(app, lambda: db.session.get(Conflict, notice["conflict_id"]).status) == "resolved"
    boss.goto(f"/notes/{note_id}")
    assert boss.locator(".note-text").inner_text() == "二楼消防门已自行修好"
    pwa.put_down(boss)


def test_expired_session_offline_asks_to_log_in_then_syncs(page, context, pwa, app):
    pwa.ready_offline(page, "officer", "/notes/new")
    pwa.offline(context)
    page.goto("/notes/new")
    page.fill("#f-text", "会话过期时写下的记录")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/notes/")
    page.wait_for_function(PENDING)
    context.clear_cookies()  # the session ran out while the phone was in the basement

    pwa.online(context)
    banner = page.locator("[data-login-banner]")
    banner.wait_for(state="visible", timeout=15_000)
    assert pwa.idb(page, "outbox")[0]["status"] == "pending", "nothing is dropped while logged out"
    assert db_query(app, lambda: db.session.scalars(select(QuickNote)).all()) == []

    with page.expect_navigation():
        page.locator("[data-login-link]").click()
    assert "/login" in page.url and "next=" in page.url
    page.fill("input[name=username]", "wangxm")
    page.fill("input[name=password]", "patrol123")
    with page.expect_navigation():
        page.click("form [type=submit]")
    assert "/notes/" in page.url, "back where the officer was"
    page.wait_for_function(CLEARED, timeout=30_000)
    assert pwa.wait_idb(page, "outbox", 0) == []
    [note] = db_wait(app, lambda: [n.text for n in db.session.scalars(select(QuickNote))])
    assert note == "会话过期时写下的记录"
    banner.wait_for(state="hidden", timeout=10_000)  # cleared once a sync has gone through

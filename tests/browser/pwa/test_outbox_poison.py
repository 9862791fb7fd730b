"""A batch the server keeps failing on must not block the outbox (audit, issue 3): in real Chromium, the
push of one entry always answers 500 (page.route); the client halves the batch until that entry travels
alone, the others reach the server, and the poison entry waits under 需处理 with the server's message.
A 503 (server busy) is never blamed on an entry."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.browser.conftest import db_query, db_wait
from tests.browser.pwa.test_shell import save_note
from webapp.extensions import db
from webapp.notes.models import QuickNote

POISON = "这一条让服务器出错"
SERVER_SAYS = "服务器出错了（测试）"


def notes(app) -> list[str]:
    return db_query(app, lambda: sorted(n.text for n in db.session.scalars(select(QuickNote))))


def failing_for(marker: str, status: int, sent: list[int]):
    """A route handler: a push whose batch holds `marker` fails with `status`; others reach the server."""
    def handle(route):
        body = route.request.post_data or ""
        mutations = json.loads(body)["mutations"] if body else []
        sent.append(len(mutations))
        if marker in body:
            route.fulfill(status=status, content_type="application/json",
                          body=json.dumps({"error": {"status": status, "message": SERVER_SAYS}}, ensure_ascii=False))
        else:
            route.continue_()
    return handle


def sync_until(page, pwa, done, tries: int = 30):
    """Press 同步 until done() holds (the client backs off between runs on its own)."""
    for _ in range(tries):
        if done():
            return True
        page.locator("[data-status-line] [data-sync-now]").click()
        page.wait_for_timeout(300)
    return done()


def test_a_poison_entry_is_isolated_and_the_rest_syncs(page, context, pwa, app):
    pwa.ready_offline(page, "officer", "/notes/new")
    sent: list[int] = []
    context.route("**/sync/push", failing_for(POISON, 500, sent))
    pwa.offline(context)
    for text in ("一楼走廊灯不亮", POISON, "三楼消防门未关", "四楼窗户破损"):
        save_note(page, text)
    assert len(pwa.idb(page, "outbox")) == 4
    pwa.online(context)

    def settled():
        entries = pwa.idb(page, "outbox")
        return len(entries) == 1 and entries[0]["status"] == "attention"

    assert sync_until(page, pwa, settled), pwa.idb(page, "outbox")
    [entry] = pwa.idb(page, "outbox")
    assert entry["fields"]["text"] == POISON and entry["last_error"] == SERVER_SAYS and entry["attempts"] >= 5
    assert db_wait(app, lambda: len(notes(app)) == 3) and notes(app) == sorted(
        ["一楼走廊灯不亮", "三楼消防门未关", "四楼窗户破损"])
    assert 4 in sent and 1 in sent and max(sent) == 4, f"whole batch first, then halves down to one: {sent}"

    page.goto("/outbox")
    attention = page.locator("[data-outbox-attention]")
    attention.get_by_text(SERVER_SAYS).first.wait_for()
    assert "需处理 (1)" in attention.inner_text() and POISON in attention.inner_text()
    context.unroute("**/sync/push")


def test_a_busy_server_blames_no_entry(page, context, pwa, app):
    pwa.ready_offline(page, "officer", "/notes/new")
    sent: list[int] = []
    context.route("**/sync/push", failing_for("", 503, sent))  # every push: 503
    pwa.offline(context)
    for text in ("五楼灯不亮", "六楼灯不亮"):
        save_note(page, text)
    pwa.online(context)
    sync_until(page, pwa, lambda: len(sent) >= 7, tries=20)
    entries = pwa.idb(page, "outbox")
    assert [e["status"] for e in entries] == ["pending", "pending"] and min(e["attempts"] for e in entries) >= 6
    assert set(sent) == {2}, "a busy server is retried with the same batch, never split"
    context.unroute("**/sync/push")
    page.locator("[data-status-line] [data-sync-now]").click()
    pwa.wait_idb(page, "outbox", 0, timeout=15_000)
    assert db_wait(app, lambda: len(notes(app)) == 2)


QUEUE_PHOTO = """async () => {
  const { putMedia } = await import("/static/js/device-store.js");
  const { currentUser } = await import("/static/js/config.js");
  const blob = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9])], { type: "image/jpeg" });
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  const sha256 = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  await putMedia({ id: "7d3c2b1a-0f9e-4d8c-8b7a-6f5e4d3c2b1a", blob, type: "image/jpeg", size: blob.size, sha256,
    user_id: currentUser(), created_at: new Date().toISOString(), mutation_id: "a-saved-note", status: "pending" });
}"""
SYNC_STATE = """() => new Promise((resolve) => {
  const req = indexedDB.open("patrolbook");
  req.onsuccess = () => {
    const get = req.result.transaction("meta").objectStore("meta").get("sync");
    get.onsuccess = () => { req.result.close(); resolve(get.result || null); };
  };
})"""


def test_a_photo_the_server_keeps_failing_on_does_not_stop_the_sync(page, context, pwa):
    """Uploads come before the pull: a photo answered 500 every time is set aside after 5 tries, then the
    sync completes (the pull runs again) instead of retrying forever."""
    context.route("**/sync/media/*", lambda route: route.fulfill(  # before the photo exists: no upload escapes
        status=500, content_type="application/json",
        body=json.dumps({"error": {"status": 500, "message": SERVER_SAYS}}, ensure_ascii=False)))
    pwa.login(page, "officer")
    page.evaluate(QUEUE_PHOTO)

    def set_aside():
        [photo] = pwa.idb(page, "media")
        return photo["status"] == "attention"

    assert sync_until(page, pwa, set_aside)
    [photo] = pwa.idb(page, "media")
    assert photo["attempts"] == 5 and photo["message"] == SERVER_SAYS
    page.locator("[data-status-line] [data-sync-now]").click()
    for _ in range(50):
        state = page.evaluate(SYNC_STATE)
        if state and state["state"] == "ok":
            break
        page.wait_for_timeout(100)
    assert state["state"] == "ok", state
    context.unroute("**/sync/media/*")

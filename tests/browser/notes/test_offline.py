"""Issue 3 in real Chromium: a quick note with a photo written offline reaches the supervisor exactly once.

Every step is what a person does on a 360 px phone; what is queued is read from IndexedDB directly.
"""

from __future__ import annotations

from sqlalchemy import select

from sync.models import AppliedMutation, Media
from tests.browser.conftest import db_query as query
from tests.browser.conftest import db_wait as wait_for
from tests.browser.conftest import png
from webapp.extensions import db
from webapp.notes.models import QuickNote

BIG_PHOTO = {"name": "stairwell.png", "mimeType": "image/png", "buffer": png(2400, 1800)}
BADGE = "nav.bottom-nav [data-outbox-count]"
IMG_SIZE = """async (blob) => { const b = await createImageBitmap(blob); return [b.width, b.height]; }"""


def notes_with(app, text: str):
    return wait_for(app, lambda: [(n.id, list(n.photo_ids), n.version) for n in
                                  db.session.scalars(select(QuickNote).where(QuickNote.text == text))])


def write_note(page, text: str, photo: dict | None = None):
    page.goto("/notes/new")
    page.fill("#f-text", text)
    if photo:
        page.set_input_files("#f-photos", files=[photo])
        page.wait_for_selector("[data-photo-thumbs] img")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/notes/")


def badge(page) -> str:
    return page.locator(BADGE).first.inner_text() if page.locator(BADGE).first.is_visible() else ""


def test_note_with_photo_offline_reaches_the_supervisor(page, context, pwa, app, browser, browser_context_args):
    pwa.ready_offline(page, "officer", "/notes/new")
    pwa.offline(context)
    page.reload()  # the cached page opens with no connection
    assert page.locator("h1").first.inner_text().startswith("今日")
    write_note(page, "三楼楼梯间灯不亮", BIG_PHOTO)
    page.wait_for_function("() => document.querySelector('[data-outbox-count]')?.textContent === '1'")
    [entry] = pwa.idb(page, "outbox")
    assert entry["entity"] == "quick_note" and entry["status"] == "pending" and len(entry["photo_ids"]) == 1
    [photo] = pwa.idb(page, "media")
    assert photo["id"] == entry["photo_ids"][0] and photo["mutation_id"] == entry["mutation_id"]
    assert photo["blob"]["type"] == "image/jpeg" and photo["blob"]["size"] < len(BIG_PHOTO["buffer"])

    page.close()  # the phone is put away; the outbox survives the closed tab
    again = context.new_page()
    again.goto("/notes/")
    again.wait_for_function("() => document.querySelector('[data-outbox-count]')?.textContent === '1'")
    assert "离线" in again.locator("[data-status-text]").inner_text()

    pwa.online(context)  # no click: the `online` event sends it
    again.wait_for_function("() => document.querySelector('[data-outbox-count]')?.hidden === true", timeout=15_000)
    assert pwa.wait_idb(again, "outbox", 0) == [] and pwa.wait_idb(again, "media", 0) == []
    [(note_id, photo_ids, _)] = notes_with(app, "三楼楼梯间灯不亮")
    assert photo_ids == entry["photo_ids"]
    stored = query(app, lambda: db.session.get(Media, photo_ids[0]))
    assert stored.content_type == "image/jpeg" and stored.size < len(BIG_PHOTO["buffer"])
    assert query(app, lambda: db.session.scalar(select(db.func.count()).select_from(AppliedMutation)
                                                .where(AppliedMutation.record_id == note_id))) == 1

    boss = pwa.phone(browser, browser_context_args, "supervisor")
    boss.goto(f"/notes/{note_id}")
    assert boss.get_by_text("三楼楼梯间灯不亮").is_visible()
    img = boss.locator(".photos img")
    img.wait_for()
    boss.wait_for_function("() => document.querySelector('.photos img').naturalWidth > 0")
    size = boss.evaluate("() => [document.querySelector('.photos img').naturalWidth,"
                         " document.querySelector('.photos img').naturalHeight]")
    assert max(size) <= 1600 and size == [1600, 1200], "shrunk on the phone, aspect kept"
    pwa.put_down(boss)


def test_photo_arriving_after_its_record_shows_pending(page, context, pwa, app, browser, browser_context_args):
    pwa.ready_offline(page, "officer", "/notes/new")
    pwa.offline(context)
    write_note(page, "地下车库积水", {"name": "small.png", "mimeType": "image/png", "buffer": png(640, 480)})
    context.route("**/sync/media/**", lambda route: route.abort())  # the photo cannot get through yet
    pwa.online(context)
    [(note_id, photo_ids, _)] = notes_with(app, "地下车库积水")
    pwa.wait_idb(page, "outbox", 0)
    assert len(pwa.idb(page, "media")) == 1, "the photo waits on the phone"

    boss = pwa.phone(browser, browser_context_args, "supervisor")
    boss.goto(f"/notes/{note_id}")
    assert boss.locator(f"[data-photo-pending='{photo_ids[0]}']").is_visible()

    context.unroute("**/sync/media/**")
    page.locator("[data-sync-now]").first.click()
    pwa.wait_idb(page, "media", 0)
    assert query(app, lambda: db.session.get(Media, photo_ids[0])) is not None, "kept until stored"
    boss.reload()
    boss.locator(".photos img").wait_for()
    boss.wait_for_function("() => [...document.querySelectorAll('.photos img')].map((i) => i.naturalWidth).join() === '640'")
    assert boss.locator("[data-photo-pending]").count() == 0
    pwa.put_down(boss)

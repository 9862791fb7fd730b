"""Issue 10.11: photos go up a few at a time (sync-client.js UPLOADS), and a failure among them loses
nothing: what the server confirmed leaves the phone, the rest waits for the next run, none arrives twice."""

from __future__ import annotations

from sqlalchemy import func, select

from sync.models import Media
from tests.browser.conftest import db_query, png
from tests.browser.pwa.test_shell import SYNC_META, sync_meta_when
from webapp.extensions import db
from webapp.notes.models import QuickNote

PHOTOS = 6  # a note takes at most 6
# Every page counts the photo uploads it has in flight (the sync client runs in the page).
COUNT_UPLOADS = """(() => {
  const fetch = window.fetch;
  window.pbUploads = { now: 0, most: 0 };
  window.fetch = async (url, init) => {
    const upload = init?.method === "PUT" && String(url).includes("/sync/media/");
    if (upload) window.pbUploads.most = Math.max(window.pbUploads.most, ++window.pbUploads.now);
    try { return await fetch(url, init); } finally { if (upload) window.pbUploads.now--; }
  };
})();"""


def media_on_server(app) -> int:
    return db_query(app, lambda: db.session.scalar(select(func.count()).select_from(Media)))


def test_photos_go_up_four_at_a_time_and_a_failure_loses_none(page, context, pwa, app):
    before = media_on_server(app)
    context.add_init_script(COUNT_UPLOADS)
    pwa.ready_offline(page, "officer", "/notes/new")
    pwa.offline(context)
    page.goto("/notes/new")
    page.fill("#f-text", "地下车库一排灯不亮，拍了几处")
    page.set_input_files("#f-photos", files=[{"name": f"p{i}.png", "mimeType": "image/png", "buffer": png(320 + i, 240)}
                                             for i in range(PHOTOS)])
    page.wait_for_function("(n) => document.querySelectorAll('[data-photo-thumbs] img').length === n", arg=PHOTOS)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/notes/")
    assert len(pwa.idb(page, "media")) == PHOTOS

    arrived: list[str] = []

    def second_fails(route):  # the second photo never gets through (the signal drops under it, every time)
        arrived.append(route.request.url.rsplit("/", 1)[1])
        return route.abort("internetdisconnected") if len(arrived) > 1 and arrived[-1] == arrived[1] else route.fallback()

    context.route("**/sync/media/*", second_fails)
    pwa.online(context)  # the `online` event syncs
    assert sync_meta_when(page, lambda s: s["state"] == "retry"), page.evaluate(SYNC_META)
    assert page.evaluate("() => window.pbUploads.most") == 4, "four photos in flight at once, never more"
    assert arrived[1] in {m["id"] for m in pwa.idb(page, "media")}, "the photo that did not get through is kept"
    for _ in range(100):  # the client retries on its own meanwhile: every other photo reaches the server
        if media_on_server(app) - before == PHOTOS - 1 and len(pwa.idb(page, "media")) == 1:
            break
        page.wait_for_timeout(100)
    assert [m["id"] for m in pwa.idb(page, "media")] == [arrived[1]] and media_on_server(app) - before == PHOTOS - 1

    context.unroute("**/sync/media/*", second_fails)
    page.locator("[data-status-line] [data-sync-now]").click()
    pwa.wait_idb(page, "media", 0)
    assert sync_meta_when(page, lambda s: s["state"] == "ok")
    assert media_on_server(app) - before == PHOTOS
    [photos] = db_query(app, lambda: [n.photo_ids for n in db.session.scalars(
        select(QuickNote).where(QuickNote.text == "地下车库一排灯不亮，拍了几处"))])
    assert len(photos) == PHOTOS


def test_a_seventh_photo_is_refused_on_the_phone_not_by_the_sync(page, context, pwa):
    """The server takes at most 6 photos a note: the phone says so when the 7th is taken, and keeps 6."""
    pwa.ready_offline(page, "officer", "/notes/new")
    pwa.offline(context)
    page.goto("/notes/new")
    page.set_input_files("#f-photos", files=[{"name": f"p{i}.png", "mimeType": "image/png", "buffer": png(320 + i, 240)}
                                             for i in range(PHOTOS + 1)])
    page.get_by_text("这里最多 6 张照片").wait_for()
    assert page.locator("[data-photo-thumbs] img").count() == PHOTOS
    assert len(pwa.idb(page, "media")) == PHOTOS

"""Issue 10.11: pages whose URL has a query string, offline on a 360 px phone.

随手记 from a round form opens /notes/new?location_id=N: the worker answers it from the cached note form (the
query only pre-fills it) and the page picks the key location; a spot-check saved offline lands on its result
URL, answered from the cached waiting page. The filtered findings lists an officer reaches from 今日 and 巡查
are kept as they are. A query the worker cannot answer shows the offline page.
"""

from __future__ import annotations

from sqlalchemy import select

from tests.browser.conftest import db_query
from webapp.areas.models import Area, KeyLocation
from webapp.extensions import db


def key_location_of(app, area_name: str = "东区") -> tuple[int, int, str]:
    def find():
        area = db.session.scalar(select(Area).where(Area.name == area_name))
        loc = db.session.scalars(select(KeyLocation).where(KeyLocation.area_id == area.id, KeyLocation.active.is_(True))
                                 .order_by(KeyLocation.id.desc())).first()
        return area.id, loc.id, loc.name

    return db_query(app, find)


def test_a_quick_note_from_a_round_form_opens_offline_with_its_key_location(page, context, pwa, app):
    area_id, location_id, name = key_location_of(app)
    pwa.ready_offline(page, "officer", f"/patrol/round/new?location_id={location_id}")
    pwa.offline(context)
    page.goto(f"/patrol/round/new?location_id={location_id}")
    with page.expect_navigation():
        page.locator("[data-fab-note]").click()
    assert page.url.endswith(f"/notes/new?location_id={location_id}")
    assert page.locator("h1").first.inner_text() == "随手记"
    page.wait_for_function("(id) => document.querySelector('#f-location').value === String(id)", arg=location_id)
    assert page.locator("#f-location option:checked").inner_text() == name
    assert page.locator("#f-area").input_value() == str(area_id)
    page.screenshot(path="/tmp/offline/note-from-round-offline.png")
    page.fill("#f-text", "消防通道堆放杂物")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/notes/")
    [entry] = pwa.wait_idb(page, "outbox", 1)
    assert (entry["fields"]["area_id"], entry["fields"]["key_location_id"]) == (area_id, location_id)


def test_the_findings_an_officer_opens_from_today_are_kept_offline(page, context, pwa):
    pwa.ready_offline(page, "officer", "/patrol/")
    pwa.offline(context)
    page.goto("/patrol/")
    with page.expect_navigation():
        page.locator(".page a[href*='/patrol/findings?']").first.click()  # 巡查 → 问题跟进 (the open ones)
    assert page.locator("h1").first.inner_text() == "问题跟进"
    page.goto("/patrol/findings?residents=1&status=open_all")  # 今日's link, its query in another order
    assert page.locator("h1").first.inner_text() == "问题跟进"
    page.select_option("#f-status", "")  # a filter offline says it cannot update, instead of doing nothing
    page.get_by_text("没有网络，现在无法更新列表").wait_for()


def test_an_unknown_query_offline_shows_the_offline_page(page, context, pwa):
    pwa.ready_offline(page, "officer", "/notes/new")
    pwa.offline(context)
    page.goto("/notes/new?text=x")  # not a pre-fill the note form declares: never a wrong page
    assert page.locator("[data-offline-page] h1").inner_text() == "此页面未保存，离线时无法打开"
    page.goto("/patrol/findings?area_id=999999")
    assert page.locator("[data-offline-page] h1").inner_text() == "此页面未保存，离线时无法打开"
    page.screenshot(path="/tmp/offline/offline-page.png")


def test_a_spot_check_saved_offline_lands_on_its_waiting_page_and_opens_once_it_arrives(page, context, pwa, app):
    """R-SUP-1: the spot-check's result URL (area, location, since) is answered offline from the cached
    waiting page, which asks again at its own URL and shows the comparison once the round has arrived."""
    _, location_id, _ = key_location_of(app)
    form = f"/patrol/round/new?location_id={location_id}"
    pwa.ready_offline(page, "supervisor", "/patrol/spot-check/result")
    pwa.offline(context)
    page.goto(form + "#list")
    page.locator("[data-all-ok]").click()
    page.locator("form[data-patrol-round] button[type=submit]").click()
    page.wait_for_url("**/patrol/spot-check/result?*")
    assert f"location_id={location_id}" in page.url and "since=" in page.url
    assert page.locator("h1").first.inner_text() == "巡查记录尚未到达"
    page.screenshot(path="/tmp/offline/spot-check-waiting.png")
    pwa.online(context)
    page.wait_for_url("**/patrol/rounds/*", timeout=20_000)
    assert page.locator("[data-comparison]").is_visible()

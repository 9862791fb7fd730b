"""Issue 10 points 4 and the photo stamp, on a 360 × 740 phone in Chinese (UX.md "Field screen rules"): a
round's 正常 / 有问题 are two big buttons whose chosen state shows without colour alone, a defect turns its
item red and opens its fields; "已检查 3/8" follows every answer next to the submit button; a save with an
item left out names it next to the item, in view and not under the bottom bar; a photo is stamped with time,
place and person in a band at its bottom (水印相机) and carries its capture time; the fix form's required
photo is asked for next to the photo button. PB_SHOTS=<dir> keeps screenshots of each state."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sync.exif import captured_at
from tests.browser.app.test_phone_layout_browser import demo_ids, serious_violations
from tests.browser.conftest import db_query as query
from tests.browser.conftest import png
from webapp.areas.models import KeyLocation
from webapp.extensions import db

TAKEN = datetime(2026, 12, 6, 0, 30, 5, tzinfo=UTC)  # 08:30:05 in Shanghai


def shot(page, name: str) -> None:
    if os.environ.get("PB_SHOTS"):
        page.screenshot(path=str(Path(os.environ["PB_SHOTS"]) / f"{name}.png"))


@pytest.fixture
def round_page(page, pwa, app):
    ids = demo_ids(app)
    location = query(app, lambda: db.session.get(KeyLocation, ids["location"]).name)
    pwa.login(page, "officer")
    page.goto(f"/patrol/round/new?location_id={ids['location']}")
    page.wait_for_function("() => document.querySelector('form[data-patrol-round]')?.dataset.roundBound")
    page.location_name = location
    return page


def items(page):
    return page.locator("[data-check-item]")


def looks(page, label):
    """What a chosen / unchosen button looks like: checked, its fill, its mark."""
    return label.evaluate("""(l) => ({checked: l.querySelector('input').checked,
        bg: getComputedStyle(l).backgroundColor, mark: getComputedStyle(l, '::before').content,
        height: l.getBoundingClientRect().height})""")


def progress(page) -> str:
    return page.locator("[data-progress]").inner_text()


def hit(page, locator) -> bool:
    """The element drawn at the middle of `locator` is it (nothing — bottom bar, submit bar — covers it)."""
    return locator.evaluate("""(el) => { const r = el.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return r.top >= 0 && r.bottom <= innerHeight && (top === el || el.contains(top)); }""")


def test_answers_are_unmistakable_and_counted(round_page):
    page = round_page
    total = items(page).count()
    assert total >= 3
    shot(page, "round-unanswered")
    assert f"已检查 0/{total}" in progress(page) and f"还有 {total} 项未检查" in progress(page)
    first, second = items(page).nth(0), items(page).nth(1)
    ok, bad = first.locator("label.seg-good"), first.locator("label.seg-bad")
    assert (ok.inner_text().strip(), bad.inner_text().strip()) == ("正常", "有问题")
    before = looks(page, ok)
    assert before["height"] >= 48 and before["bg"] == looks(page, bad)["bg"]
    ok.click()
    chosen, other = looks(page, ok), looks(page, bad)
    assert chosen["checked"] and not other["checked"]
    assert chosen["bg"] != other["bg"] and chosen["mark"] == '"✓"' and other["mark"] != '"✓"'  # not colour alone
    assert f"已检查 1/{total}" in progress(page)

    second.locator("label.seg-bad").click()
    assert second.evaluate("(el) => el.classList.contains('is-bad')")
    assert second.evaluate("(el) => getComputedStyle(el).backgroundColor") != first.evaluate(
        "(el) => getComputedStyle(el).backgroundColor")
    assert second.locator("[data-defect-details]").is_visible()
    assert looks(page, second.locator("label.seg-bad"))["bg"] != chosen["bg"]  # red, not the green of 正常
    assert f"已检查 2/{total}" in progress(page)
    assert hit(page, page.locator("[data-progress]"))  # next to the submit button, on screen
    second.locator("textarea").fill("灯管不亮")
    shot(page, "round-problem")
    page.locator("[data-all-ok]").click()
    assert f"已检查 {total}/{total}" in progress(page) and "全部已检查" in progress(page)
    assert serious_violations(page) == []


def test_an_item_left_out_is_named_next_to_it_in_view(round_page, pwa):
    page = round_page
    items(page).nth(0).locator("label.seg-good").click()
    page.locator("form[data-patrol-round] button[type=submit]").click()
    missing = items(page).nth(1)
    message = missing.locator(":scope > [data-problem]")
    message.wait_for(state="visible")
    assert message.inner_text() == "请选择这一项正常或有问题。"
    assert hit(page, message) and hit(page, missing.locator("label.seg-good"))
    assert page.evaluate("() => document.activeElement.name") == missing.locator("input").first.get_attribute("name")
    shot(page, "round-missing")
    assert pwa.idb(page, "outbox") == []
    missing.locator("label.seg-good").click()
    assert message.is_hidden()

    # A defect without its note: said under the note.
    page.locator("[data-all-ok]").click()
    last = items(page).last
    last.locator("label.seg-bad").click()
    page.locator("form[data-patrol-round] button[type=submit]").click()
    note = last.locator("[data-defect-details] > [data-problem]")
    note.wait_for(state="visible")
    assert note.inner_text() == "请写明问题。" and hit(page, note)
    assert page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"


def test_a_photo_is_stamped_with_time_place_and_person_and_keeps_its_capture_time(round_page, tmp_path):
    page = round_page
    picture = tmp_path / "lobby.png"
    picture.write_bytes(png(1200, 900))
    os.utime(picture, (TAKEN.timestamp(), TAKEN.timestamp()))
    item = items(page).nth(0)
    item.locator("label.seg-bad").click()
    button = item.locator("label.btn-photo")
    assert button.inner_text().strip().endswith("拍照") and button.bounding_box()["height"] >= 48
    assert item.locator("input[type=file]").get_attribute("data-stamp-person") == "王晓明"
    item.locator("input[type=file]").set_input_files(str(picture))
    item.locator("[data-photo-thumbs] img").wait_for()
    assert item.locator("[data-photo-count]").inner_text() == "已拍 1 张"
    # The stored photo: the band at the bottom is drawn over the plain grey picture, the top is not.
    found = page.evaluate("""async () => {
      const db = await new Promise((ok) => { const r = indexedDB.open("patrolbook"); r.onsuccess = () => ok(r.result); });
      const [row] = await new Promise((ok) => { const r = db.transaction("media").objectStore("media").getAll();
        r.onsuccess = () => ok(r.result); });
      const bitmap = await createImageBitmap(row.blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext("2d");
      ctx.drawImage(bitmap, 0, 0);
      const stats = (y0, y1) => { const d = ctx.getImageData(0, y0, bitmap.width, y1 - y0).data;
        let sum = 0, light = 0; for (let i = 0; i < d.length; i += 4) { sum += d[i]; if (d[i] > 200) light += 1; }
        return {mean: sum / (d.length / 4), light}; };
      return {top: stats(0, 40), band: stats(bitmap.height - 200, bitmap.height - 10), height: bitmap.height,
              bytes: Array.from(new Uint8Array(await row.blob.arrayBuffer()))};
    }""")
    assert abs(found["top"]["mean"] - 128) < 3 and found["top"]["light"] == 0
    assert found["band"]["mean"] < 90 and found["band"]["light"] > 50  # a dark band with white text in it
    assert captured_at(bytes(found["bytes"])) == TAKEN
    text = page.evaluate("""async () => (await import('/static/js/photo-stamp.js')).stampLines(
        document.querySelector('input[type=file][data-photo-field]'), Date.parse('2026-12-06T00:30:05Z'))""")
    assert text == ["2026-12-06 08:30", f"东区 · {page.location_name}", "王晓明"]
    item.locator("[data-photo-thumbs]").scroll_into_view_if_needed()
    shot(page, "round-photo")
    if os.environ.get("PB_SHOTS"):
        (Path(os.environ["PB_SHOTS"]) / "stamped.jpg").write_bytes(bytes(found["bytes"]))
    item.locator("button.thumb").click()  # remove it again
    assert item.locator("[data-photo-count]").is_hidden()
    assert item.locator("input[type=hidden][name^='photos-']").input_value() == "[]"


def test_a_cameras_own_capture_time_wins_over_the_files(round_page):
    """A picture from the gallery (or through WeChat) may carry a file time of when it was copied: the
    camera's EXIF DateTimeOriginal is the time it was taken."""
    page = round_page
    camera = page.evaluate("""async () => {
      const canvas = new OffscreenCanvas(640, 480);
      const ctx = canvas.getContext("2d"); ctx.fillStyle = "#808080"; ctx.fillRect(0, 0, 640, 480);
      const {withCaptureTime} = await import('/static/js/photo-stamp.js');
      const jpeg = await withCaptureTime(await canvas.convertToBlob({type: "image/jpeg"}),
                                         Date.parse('2026-12-06T00:30:05Z'), 'Asia/Shanghai');
      return Array.from(new Uint8Array(await jpeg.arrayBuffer()));
    }""")
    item = items(page).nth(0)
    item.locator("label.seg-bad").click()
    item.locator("input[type=file]").set_input_files({"name": "IMG_0001.jpg", "mimeType": "image/jpeg",
                                                      "buffer": bytes(camera)})  # its file time: now
    item.locator("[data-photo-thumbs] img").wait_for()
    stored = page.evaluate("""async () => {
      const db = await new Promise((ok) => { const r = indexedDB.open("patrolbook"); r.onsuccess = () => ok(r.result); });
      const [row] = await new Promise((ok) => { const r = db.transaction("media").objectStore("media").getAll();
        r.onsuccess = () => ok(r.result); });
      return Array.from(new Uint8Array(await row.blob.arrayBuffer()));
    }""")
    assert captured_at(bytes(stored)) == TAKEN


def test_the_fix_form_asks_for_its_photo_next_to_the_button(page, pwa, app):
    ids = demo_ids(app)
    pwa.login(page, "team")
    page.goto(f"/patrol/findings/{ids['finding']}")
    page.fill("#f-fixed-note", "已更换灯管")
    page.get_by_role("button", name="标记为已修复").click()
    box = page.locator(".photo-input").filter(has=page.locator("#f-fixed-photos"))
    message = box.locator("[data-problem]")
    message.wait_for(state="visible")
    assert message.inner_text() == "请添加修复后的照片。" and hit(page, message)
    assert page.evaluate("() => document.activeElement.id") == "f-fixed-photos"
    assert pwa.idb(page, "outbox") == []
    shot(page, "fix-photo-required")
    assert serious_violations(page) == []

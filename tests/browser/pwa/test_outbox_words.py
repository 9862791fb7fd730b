"""Issue 10 (7, 9) in real Chromium: the outbox of an officer offline with several records speaks plain
Chinese — what each entry is (巡查, 装修巡查, 随手记, 紧急上报), which (place, unit, the note's first
words), its state in words — and never the sync codes (quick_note, patrol_round, ·新建). 立即同步 is the
loud action; 放弃 is quiet, asks first and says what will be lost; 立即同步 offline says it sends later."""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy import select

from tests.browser.app.test_phone_layout_browser import serious_violations
from tests.browser.conftest import db_query
from tests.browser.pwa.test_outbox_attention import refused_note
from webapp.areas.models import Area, KeyLocation
from webapp.extensions import db
from webapp.renovation.models import Renovation

CODES = ("quick_note", "patrol_round", "patrol_emergency", "renovation_inspection", "·新建", "· 新建", "create")
NOTE = "三号楼东侧路灯不亮，已报修，明早再看一次"
SHOTS = os.environ.get("PB_SHOTS")  # a folder: save the phone's screens there (PB_SHOTS=/tmp/words)

QUEUE = """async (items) => {
  const { makeMutation } = await import("/static/js/mutation.js");
  const { addEntry } = await import("/static/js/outbox-store.js");
  const { deviceId } = await import("/static/js/device-store.js");
  const { currentUser } = await import("/static/js/config.js");
  for (const item of items) {
    await addEntry(makeMutation({ device_id: await deviceId(), user_id: currentUser(), op: "create", ...item }));
  }
}"""


def places(app) -> dict:
    def find():
        area = db.session.scalar(select(Area).where(Area.code == "A1"))
        lobby = db.session.scalar(select(KeyLocation).where(KeyLocation.area_id == area.id,
                                                            KeyLocation.kind == "lobby").order_by(KeyLocation.id))
        ren = db.session.scalar(select(Renovation).where(Renovation.area_id == area.id,
                                                         Renovation.status == "in_progress").order_by(Renovation.id))
        return {"area": area.id, "estate": area.estate_id, "lobby": lobby.id, "renovation": ren.id,
                "unit": ren.unit.label}

    return db_query(app, find)


def offline_label(page, path: str) -> str:
    page.goto(path)
    return page.locator("form[data-offline-entity]").get_attribute("data-offline-label")


def shot(page, name: str, full_page: bool = True) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=full_page)


def outbox_with_four_records(page, pwa, app) -> dict:
    """Offline: a note typed in the real form, then a round, an inspection and an emergency queued with
    the labels their own forms give them."""
    where = places(app)
    pwa.ready_offline(page, "officer", "/notes/new")
    labels = {"round": offline_label(page, f"/patrol/round/new?location_id={where['lobby']}"),
              "inspection": offline_label(page, f"/renovation/{where['renovation']}/inspect"),
              "emergency": offline_label(page, "/patrol/emergency/new")}
    pwa.offline(page.context)
    page.goto("/notes/new")
    page.fill("#f-text", NOTE)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/notes/")
    page.evaluate(QUEUE, [
        {"entity": "patrol_round", "label": labels["round"],
         "fields": {"area_id": where["area"], "key_location_id": where["lobby"], "checks": []}},
        {"entity": "renovation_inspection", "label": labels["inspection"],
         "fields": {"renovation_id": where["renovation"], "kind": "daily"}},
        {"entity": "patrol_emergency", "label": labels["emergency"], "priority": "high",
         "fields": {"estate_id": where["estate"], "kind": "fire", "description": "3栋楼顶冒烟，已报119"}},
    ])
    pwa.wait_idb(page, "outbox", 4)
    page.goto("/outbox")
    page.locator("[data-outbox-pending] li").nth(3).wait_for()
    return where


def test_the_outbox_names_each_record_in_chinese_and_never_its_code(page, pwa, app):
    where = outbox_with_four_records(page, pwa, app)
    shot(page, "outbox-offline")
    text = page.locator("[data-outbox-page]").inner_text()
    for code in CODES:
        assert code not in text, f"{code!r} is shown on the outbox"
    items = page.locator("[data-outbox-pending] li")
    assert items.count() == 4
    whole = [items.nth(i).inner_text() for i in range(4)]
    assert any("随手记" in t and NOTE[:12] in t for t in whole), "the note says which note it is: its first words"
    assert any("装修巡查" in t and where["unit"] in t for t in whole)
    assert any("紧急上报" in t and "楼顶冒烟" in t for t in whole)
    assert any(t.startswith("巡查") and "东区" in t for t in whole)
    assert all("待同步" in t for t in whole), "each entry says its state in words"
    assert serious_violations(page) == []


def is_red(css_colour: str) -> bool:
    r, g, b = (int(v) for v in re.findall(r"\d+", css_colour)[:3])
    return r > 150 and g < 90 and b < 90


def test_discard_is_quiet_and_asks_what_will_be_lost_sync_now_offline_says_later(page, pwa, app):
    outbox_with_four_records(page, pwa, app)
    note = page.locator("[data-outbox-pending] li", has_text="随手记")
    discard = note.get_by_role("button", name="放弃")
    assert not is_red(discard.evaluate("(b) => getComputedStyle(b).backgroundColor")), "放弃 is no solid red button"
    primary = page.locator("[data-outbox-page] [data-sync-now]")
    assert "btn-primary" in primary.get_attribute("class")
    assert primary.is_visible()

    primary.click()  # offline: it says, and keeps saying, that the records go once the phone is back online
    waiting = page.locator("[data-outbox-offline]")
    waiting.wait_for()
    assert "恢复网络" in waiting.inner_text()

    discard.click()
    dialog = page.locator("[data-discard-dialog]")
    dialog.wait_for()
    said = dialog.inner_text()
    assert "随手记" in said and NOTE[:12] in said, "the confirmation names what will be lost"
    shot(page, "outbox-discard-confirm")
    assert serious_violations(page) == []
    dialog.get_by_role("button", name="取消").click()
    assert len(pwa.idb(page, "outbox")) == 4
    discard.click()
    dialog.get_by_role("button", name="放弃").click()
    pwa.wait_idb(page, "outbox", 3)


def test_a_refused_entry_names_its_fields_by_their_labels(page, pwa):
    pwa.login(page, "officer")
    refused_note(page, pwa)
    page.goto("/outbox")
    attention = page.locator("[data-outbox-attention]")
    attention.locator("dt").first.wait_for()
    assert "内容" in attention.locator("dt").all_inner_texts() and "text" not in attention.locator("dt").all_inner_texts()
    attention.get_by_role("button", name="修改后重新提交").click()
    assert attention.locator("label[for$='-text']").inner_text() == "内容"
    attention.scroll_into_view_if_needed()
    shot(page, "outbox-attention", full_page=False)

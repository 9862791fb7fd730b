"""Issue 10, point 3, on a 360 × 740 phone in Chinese (R-REN-1, R-REN-2): an inspection saved offline is in its
unit's file at once — its kind and time, what failed, the violation raised, 待同步 — and Today's renovation list
counts the unit inspected; after the sync the file shows the stored record, once.
PATROLBOOK_SHOTS=<folder> keeps screenshots of the steps."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.app.test_phone_layout_browser import serious_violations
from tests.browser.patrol.test_today_after_save import shot

ALL_INSPECTED = "今日所有装修户均已巡查。"


def assert_inspected_on_today(page, ren: str, left: int) -> None:
    row = page.locator(f"[data-renovation-today] [data-renovation='{ren}']")
    expect(row).to_have_attribute("data-status", "done")
    expect(row.locator(".chip-done:visible:not([data-overlay-chip])")).to_have_text("今日已巡查")
    expect(row.locator(".chip-due:visible")).to_have_count(0)
    expect(row.get_by_role("link", name="巡查", exact=True)).to_have_count(0)
    expect(page.locator("[data-renovation-today] [data-remaining]")).to_have_text(str(left))
    sentence = f"今日尚有 {left} 户未巡查" if left else ALL_INSPECTED
    expect(page.locator("[data-renovation-today] > p.muted")).to_have_text(sentence)


def test_an_inspection_saved_offline_is_in_its_file_and_counted_on_today_at_once(page, context, pwa):
    pwa.ready_offline(page, "officer", "/today")
    page.goto("/today")
    ren = page.locator("[data-renovation-today] [data-renovation][data-status=due]").first.get_attribute("data-renovation")
    left = int(page.locator("[data-renovation-today] [data-remaining]").inner_text())

    pwa.offline(context)
    page.goto(f"/renovation/{ren}/inspect")
    debris = page.locator("[data-check-item=debris]")
    debris.locator("label.seg-bad").click()
    page.locator("[data-all-pass]").click()  # the rest 合格
    failed = debris.locator(".check-label").inner_text().strip()
    page.locator("[data-violation-part] summary").click()
    page.select_option("#f-violation_item", "debris")
    page.fill("#f-violation_text", "装修垃圾堆放在电梯厅")
    deadline = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=1)).isoformat()
    page.fill("#f-violation_deadline", deadline)
    page.get_by_role("button", name="保存巡查").click()
    page.wait_for_url(f"**/renovation/{ren}")  # the file, from the offline cache
    [entry] = pwa.wait_idb(page, "outbox", 1)

    pending = page.locator("[data-history] > [data-overlay-entry]")
    expect(pending).to_have_count(1)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    for text in (f"日常巡查 · {today}", f"不合格： {failed}", "违章事项 装修垃圾堆放在电梯厅", f"整改期限 {deadline}", "待同步"):
        expect(pending).to_contain_text(text)
    expect(page.locator("[data-history] > [data-overlay-empty]")).to_have_count(0)  # the file had inspections
    pending.scroll_into_view_if_needed()
    assert serious_violations(page) == []
    shot(page, "4-renovation-file-saved-offline")

    page.goto("/today")
    assert_inspected_on_today(page, ren, left - 1)
    assert serious_violations(page) == []

    pwa.online(context)
    pwa.wait_idb(page, "outbox", 0, timeout=15_000)
    assert_inspected_on_today(page, ren, left - 1)
    page.goto(f"/renovation/{ren}")  # online: the server's file holds the record, shown once
    stored = page.locator(f"[data-history] > [data-inspection='{entry['record_id']}']")
    expect(stored).to_contain_text(f"日常巡查 · {today}")
    expect(stored).to_contain_text(failed)
    expect(page.locator("[data-history] > [data-overlay-entry]")).to_have_count(0)
    expect(page.locator("[data-violations]")).to_contain_text("装修垃圾堆放在电梯厅")
    stored.scroll_into_view_if_needed()
    shot(page, "5-renovation-file-synced")

"""Issue 10, point 3, on a 360 × 740 phone in Chinese: right after a round is saved offline, during its sync and
after it — the page reloaded offline and online, the offline copy refreshed or not yet — Today shows the key
location done for today (已完成, no 逾期, no 开始巡查) and its counts count it (R-PAT-1).
PATROLBOOK_SHOTS=<folder> keeps screenshots of the steps."""

from __future__ import annotations

import os
import re
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.app.test_phone_layout_browser import serious_violations

SHOTS = Path(os.environ["PATROLBOOK_SHOTS"]) if os.environ.get("PATROLBOOK_SHOTS") else None
ALL_DONE = "今日巡查任务已全部完成。"


def shot(page, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))  # what the phone shows: 360 × 740


def counts(page, area: str) -> tuple[int, int, int]:
    """(still to do today, key locations done, key locations due) as Today shows them."""
    remaining = int(page.locator("[data-patrol-today] [data-remaining]").inner_text())
    heading = page.locator(f"[data-patrol-today] h3:has(+ [data-area-due='{area}'])").inner_text()
    done, due = re.search(r"(\d+)/(\d+)", heading).groups()
    return remaining, int(done), int(due)


def assert_done(page, location: str, area: str, expected: tuple[int, int, int], chip: str | None) -> None:
    row = page.locator(f"[data-patrol-today] [data-location='{location}']")
    expect(row).to_have_attribute("data-status", "done")
    expect(row.locator(".chip-done:visible:not([data-overlay-chip])")).to_have_text("已完成")
    expect(row.locator(".chip-overdue:visible, .chip-due:visible")).to_have_count(0)
    expect(row.get_by_role("link", name="开始巡查")).to_have_count(0)
    if chip:
        expect(row.locator("[data-overlay-chip]")).to_have_text(chip)
        expect(row.get_by_text("上次巡查")).to_be_hidden()  # the round before is no longer the last
    else:  # the server's page: this round is the last
        expect(row).to_contain_text(f"上次巡查 {datetime.now(ZoneInfo('Asia/Shanghai')):%m-%d}")
    remaining, done, due = expected
    expect(page.locator("[data-patrol-today] [data-remaining]")).to_have_text(str(remaining))
    sentence = f"今日还剩 {remaining} 项" if remaining else ALL_DONE
    expect(page.locator("[data-patrol-today] > p.muted").first).to_have_text(sentence)
    expect(page.locator(f"[data-patrol-today] h3:has(+ [data-area-due='{area}'])")).to_contain_text(f"{done}/{due}")


def cached_today(page) -> str:
    return page.evaluate("() => caches.match('/today').then((r) => (r ? r.text() : ''))")


def test_today_shows_a_round_saved_offline_done_before_during_and_after_the_sync(page, context, pwa):
    pwa.ready_offline(page, "officer", "/today")
    page.goto("/today")
    row = page.locator("[data-patrol-today] [data-location]:is([data-status=due], [data-status=overdue])").first
    location = row.get_attribute("data-location")
    area = row.locator("xpath=..").get_attribute("data-area-due")
    remaining, done, due = counts(page, area)
    after = (remaining - 1, done + 1, due)
    shot(page, "1-today-before")
    stale = cached_today(page)
    assert f'data-location="{location}"' in stale

    pwa.offline(context)
    page.goto(f"/patrol/round/new?location_id={location}#list")
    page.locator("[data-all-ok]").click()
    page.locator("form[data-patrol-round] button[type=submit]").click()
    page.wait_for_url("**/today")
    pwa.wait_idb(page, "outbox", 1)
    assert_done(page, location, area, after, "待同步")
    assert serious_violations(page) == []
    shot(page, "2-today-saved-offline")
    page.reload()  # still offline: the copy from before the round, and the outbox
    assert_done(page, location, area, after, "待同步")

    held = []  # the push waits here: the page as it is while the round travels
    context.route("**/sync/push", lambda route: held.append(route))
    pwa.online(context)
    end = time.monotonic() + 15
    while not held:
        assert time.monotonic() < end, "the sync never pushed"
        page.wait_for_timeout(50)
    assert_done(page, location, area, after, "待同步")
    held[0].continue_()
    pwa.wait_idb(page, "outbox", 0, timeout=15_000)
    assert_done(page, location, area, after, "已同步")
    shot(page, "3-today-synced")

    # The offline copy is refreshed from the server, which agrees.
    end = time.monotonic() + 15
    while not re.search(rf'data-location="{location}" data-status="done"', cached_today(page)):
        assert time.monotonic() < end, "the offline copy of Today was never refreshed"
        page.wait_for_timeout(100)
    pwa.offline(context)
    page.reload()
    assert_done(page, location, area, after, None)

    # A copy from before the sync (its refresh had not arrived yet) shows it done too.
    page.evaluate("""(html) => caches.open("pb-pages-v1").then((c) => c.put(location.origin + "/today",
      new Response(html, {headers: {"Content-Type": "text/html; charset=utf-8"}})))""", stale)
    page.reload()
    assert_done(page, location, area, after, "已同步")
    pwa.online(context)
    page.reload()
    assert_done(page, location, area, after, None)

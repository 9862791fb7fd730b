"""Issue 14 in real Chromium on a 360 × 740 phone: an officer offline completes the day's work record (R-REC-1);
online it syncs; the supervisor reads it and replies to a line of it (R-REC-3); the officer sees the reply with
a badge on Today and answers back. Screens pass axe (serious/critical) and fit the phone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.browser.conftest import db_query as query
from tests.browser.conftest import db_wait as wait_for
from tests.browser.residents.test_visits import serious_violations, shot
from webapp.auth.models import User
from webapp.extensions import db
from webapp.kernel.dates import local_date
from webapp.kernel.demo import ZONE
from webapp.records import rules
from webapp.records.models import DailyRecord, RecordReply


def officer_id(app) -> int:
    return query(app, lambda: db.session.scalar(select(User.id).where(User.username == "wangxm")))


def test_an_offline_days_record_is_read_and_replied_to_and_the_officer_answers(page, context, pwa, app, browser,
                                                                               browser_context_args):
    today = local_date(datetime.now(UTC), ZONE)
    record_id = rules.record_id(officer_id(app), today)
    day_url = f"/records/day/{today.isoformat()}"
    pwa.ready_offline(page, "officer", day_url)
    pwa.offline(context)
    page.goto(day_url)  # from the offline cache
    page.wait_for_load_state()
    page.locator("#f-notes").wait_for()
    assert serious_violations(page) == []
    page.fill("#f-notes", "上午参加部门例会，下午协助工程部检查5栋电梯")
    page.fill("#f-follow", "5栋电梯异响，明天回复业主")
    shot(page, "record-offline-form")
    with page.expect_navigation():  # saved, the form reloads its own day page (its return URL)
        page.get_by_role("button", name="提交今日记录").click()
    page.wait_for_load_state()
    page.wait_for_function("() => document.querySelector('[data-outbox-count]')?.textContent === '1'")
    [entry] = pwa.idb(page, "outbox")
    assert entry["entity"] == "daily_record" and entry["record_id"] == record_id
    assert entry["fields"]["day"] == today.isoformat() and entry["fields"]["officer_id"] == officer_id(app)
    page.goto("/today")  # offline: Today shows the record done while it waits
    page.locator("[data-today-record] [data-overlay-show]").wait_for()
    shot(page, "record-waiting")

    pwa.online(context)
    page.wait_for_function("() => document.querySelector('[data-outbox-count]')?.hidden === true", timeout=15_000)
    assert wait_for(app, lambda: db.session.get(DailyRecord, record_id).follow_up) == "5栋电梯异响，明天回复业主"

    boss = pwa.phone(browser, browser_context_args, "supervisor")
    boss.goto(f"/records/review?day={today.isoformat()}")
    shot(boss, "record-review")
    boss.locator(f"[data-review-officer='{officer_id(app)}'] a").click()
    boss.wait_for_url(f"**/records/{record_id}")
    assert serious_violations(boss) == []
    boss.locator("[data-added=follow_up] summary").click()
    boss.fill("#rf", "电梯问题今天务必回复业主")
    boss.locator("form[data-reply-form='follow_up'] button").click()
    boss.wait_for_url(f"**/records/{record_id}#replies")
    shot(boss, "record-replied")
    pwa.put_down(boss)

    page.goto("/today")
    page.locator("[data-reply-badge]").wait_for()
    shot(page, "record-badge")
    page.locator(f"[data-unseen-reply='{record_id}']").click()
    page.get_by_text("电梯问题今天务必回复业主").first.wait_for()
    page.locator("#replies summary").click()
    page.fill("#rr", "好的，已约工程部明早九点")
    page.locator("#replies form button").click()
    page.wait_for_url("**#replies")
    shot(page, "record-answered")
    replies = wait_for(app, lambda: [(r.line, r.text) for r in db.session.scalars(
        select(RecordReply).where(RecordReply.record_id == record_id).order_by(RecordReply.id))])
    assert replies == [("follow_up", "电梯问题今天务必回复业主"), (None, "好的，已约工程部明早九点")]
    page.goto("/today")
    assert page.locator(f"[data-unseen-reply='{record_id}']").count() == 0


def yesterday() -> str:
    return (local_date(datetime.now(UTC), ZONE) - timedelta(days=1)).isoformat()


def test_the_records_screens_pass_axe_and_fit_the_phone(page, pwa, app, browser, browser_context_args):
    record_id = query(app, lambda: db.session.scalar(select(DailyRecord.id).where(DailyRecord.version > 1)))
    pwa.login(page, "officer")
    for path, name in (("/records/", "records"), ("/today", "today-records"), (f"/records/day/{yesterday()}", "day")):
        page.goto(path)
        shot(page, name)
        assert serious_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    boss = pwa.phone(browser, browser_context_args, "supervisor")
    for path, name in (("/overview", "overview-records"), ("/records/review", "review"),
                       (f"/records/{record_id}", "record"), (f"/records/{record_id}/print", "record-print")):
        boss.goto(path)
        shot(boss, name)
        assert serious_violations(boss) == [], path
        assert boss.evaluate("document.documentElement.scrollWidth") <= 360, path
    boss.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi, as printed
    boss.emulate_media(media="print")
    shot(boss, "record-print-a4")
    assert boss.locator("nav.bottom-nav").is_hidden() and boss.locator("[data-record-print] .btn").is_hidden()
    assert boss.locator(".paper-lines").first.is_visible()
    pwa.put_down(boss)

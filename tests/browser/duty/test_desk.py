"""Issue 15 in real Chromium: the front desk writes a duty log entry offline on a 360 × 740 phone, it joins the chain
when it reaches the server (R-DUTY-1); a handover signed by two people on one desk screen, each with their own
password, the first staying logged in (R-DUTY-2); the desk's screens pass axe (serious/critical) on the phone and
at desk width."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from tests.browser.conftest import db_query as query
from tests.browser.conftest import db_wait as wait_for
from tests.browser.residents.test_visits import serious_violations, shot
from webapp.duty import chain
from webapp.duty.models import DutyEntry, Handover
from webapp.estate.models import Estate
from webapp.extensions import db
from webapp.kernel.demo import ZONE

DESK = {"width": 1280, "height": 900}


def demo_estate(app) -> int:
    return query(app, lambda: db.session.scalar(select(Estate.id).where(Estate.code == "JXHY")))


def test_an_entry_written_offline_joins_the_chain_when_it_reaches_the_server(page, context, pwa, app):
    estate_id = demo_estate(app)
    pwa.ready_offline(page, "frontdesk", "/duty/new")
    pwa.offline(context)
    page.goto("/duty/new")  # from the offline cache
    page.select_option("#f-category", "incident")
    page.fill("#f-what", "7栋电梯困人一名，已通知维保单位")
    page.fill("#f-handled", "孙丽：安抚被困人员")
    shot(page, "duty-form")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/duty/")
    [entry] = pwa.wait_idb(page, "outbox", 1)
    assert entry["entity"] == "duty_entry" and entry["fields"]["occurred_at"] != ""
    pwa.online(context)
    stored = wait_for(app, lambda: db.session.scalar(select(DutyEntry).where(
        DutyEntry.what == "7栋电梯困人一名，已通知维保单位")))
    assert stored.seq is not None and stored.estate_id == estate_id
    assert query(app, lambda: chain.verify(db.session, estate_id)) is None


def test_a_handover_signed_by_two_people_on_one_desk_screen(page, pwa, app):
    page.set_viewport_size(DESK)
    pwa.login(page, "frontdesk")
    page.goto("/duty/handover")
    page.fill("#f-text", "5栋电梯按钮失灵：维保明早到")
    page.get_by_label("重要：办完之前不能交接").check()
    page.get_by_role("button", name="添加").click()
    page.locator("[data-blocked]").wait_for()
    assert page.get_by_role("button", name="签字交接").is_disabled()
    page.locator("[data-item]", has_text="5栋电梯按钮失灵").get_by_role("button", name="已办完").click()
    page.wait_for_url("**/duty/handover#work")
    assert page.locator("[data-blocked]").count() == 0
    page.fill("#f-anomalies", "大堂消防通道有杂物")
    page.fill("#f-explanation", "保洁已清走")
    page.fill("#f-outgoing_password", "patrol123")  # 孙丽, who is logged in
    page.fill("#f-incoming", "chenjing")  # 陈静 types her own
    page.fill("#f-incoming_password", "patrol123")
    shot(page, "duty-handover-desk")
    page.get_by_role("button", name="签字交接").click()
    page.wait_for_url("**/duty/handovers/*")
    assert page.locator("[data-signed=outgoing]").inner_text() == "孙丽"
    assert page.locator("[data-signed=incoming]").inner_text() == "陈静"
    shot(page, "duty-handover-sheet")
    assert serious_violations(page) == []
    assert page.locator(".topbar-user").inner_text() == "孙丽"  # nobody was logged out or in
    signed = query(app, lambda: db.session.scalar(select(Handover).order_by(Handover.id.desc())))
    assert signed.anomalies == "大堂消防通道有杂物"


def test_the_desk_screens_pass_axe_on_a_phone_and_at_desk_width(page, pwa, app, browser, browser_context_args):
    entry_id = query(app, lambda: db.session.scalar(select(DutyEntry.corrects_id).where(
        DutyEntry.corrects_id.is_not(None)).order_by(DutyEntry.seq.desc())))
    pwa.login(page, "supervisor")
    yesterday = (datetime.now(ZONE).date() - timedelta(days=1)).isoformat()
    pages = (("/overview", "overview"), ("/duty/", "log"), (f"/duty/?day={yesterday}", "log-yesterday"), ("/duty/new", "new"), (f"/duty/entries/{entry_id}", "entry"),
             (f"/duty/new?corrects={entry_id}", "correct"), ("/duty/handover", "handover"), ("/duty/roster", "roster"),
             ("/duty/verify", "verify"))
    for width, suffix in ((None, "phone"), (DESK, "desk")):
        if width:
            page.set_viewport_size(width)
        for path, name in pages:
            page.goto(path)
            shot(page, f"duty-{name}-{suffix}")
            assert serious_violations(page) == [], path
            if not width:
                assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    desk = pwa.phone(browser, browser_context_args, "frontdesk")
    for width, suffix in ((None, "phone"), (DESK, "desk")):
        if width:
            desk.set_viewport_size(width)
        desk.goto("/overview")
        shot(desk, f"duty-overview-frontdesk-{suffix}")
        assert serious_violations(desk) == []
    pwa.put_down(desk)

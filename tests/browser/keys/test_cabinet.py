"""Issue 15's keys in real Chromium at the desk: a key lent through the form, a key returned late (counted and
countersigned) and handed back to the customer against an ID, of which only the kind and last four are kept
(R-KEY-3, R-KEY-5). The cabinet passes axe on a phone and at desk width."""

from __future__ import annotations

from sqlalchemy import select

from tests.browser.conftest import db_query as query
from tests.browser.conftest import db_wait as wait_for
from tests.browser.residents.test_visits import serious_violations, shot
from webapp.extensions import db
from webapp.keys.models import HandBack, Key, KeyLoan

DESK = {"width": 1280, "height": 900}


def key_named(app, unit: str) -> int:
    return query(app, lambda: db.session.scalar(select(Key.id).where(Key.unit_label == unit)))


def test_a_key_lent_one_returned_late_and_handed_back_against_an_id(page, pwa, app):
    page.set_viewport_size(DESK)
    pwa.login(page, "frontdesk")
    page.goto("/keys/")
    lent, late = key_named(app, "3栋1单元202"), key_named(app, "7栋1单元602")
    page.locator(f"[data-key='{lent}']").get_by_role("link", name="借出").click()
    page.fill("#f-borrower", "张师傅（物业工程部）")
    page.fill("#f-phone", "13900002222")
    page.fill("#f-purpose", "更换水表")
    page.get_by_role("button", name="借出").click()
    page.wait_for_url("**/keys/")
    wait_for(app, lambda: db.session.scalar(select(KeyLoan.id).where(KeyLoan.key_id == lent)))

    row = page.locator(f"[data-key='{late}']")
    assert row.locator(".chip-overdue").is_visible()
    row.locator("input[name=returned_count]").fill("1")
    shot(page, "keys-return")
    row.get_by_role("button", name="已归还，接收签字").click()
    page.wait_for_url("**/keys/")
    row = page.locator(f"[data-key='{late}']")
    row.get_by_text("交还客户").click()
    row.get_by_label("领取人").fill("业主本人")
    row.get_by_label("出示的证件").select_option("id_card")
    row.get_by_label("证件号码后四位").fill("123X")
    shot(page, "keys-hand-back")
    row.get_by_role("button", name="交还").click()
    page.wait_for_url("**/keys/")
    assert page.locator(f"[data-key='{late}']").count() == 0
    back = query(app, lambda: db.session.scalar(select(HandBack).where(HandBack.key_id == late)))
    assert (back.document, back.document_last4, back.collector) == ("id_card", "123X", "业主本人")
    loan = query(app, lambda: db.session.scalar(select(KeyLoan).where(KeyLoan.key_id == late)))
    assert loan.returned_count == 1 and loan.received_by is not None


def test_the_cabinet_passes_axe_on_a_phone_and_at_desk_width(page, pwa, app):
    key = key_named(app, "8栋2单元903")
    pwa.login(page, "frontdesk")
    for width, suffix in ((None, "phone"), (DESK, "desk")):
        if width:
            page.set_viewport_size(width)
        for path, name in (("/keys/", "cabinet"), (f"/keys/{key}/lend", "lend"), (f"/keys/{key}/memo", "memo"),
                           ("/keys/memos", "memos"), ("/overview", "overview")):
            page.goto(path)
            shot(page, f"keys-{name}-{suffix}")
            assert serious_violations(page) == [], path
            if not width:
                assert page.evaluate("document.documentElement.scrollWidth") <= 360, path

"""Issue 13 in real Chromium on a 360 × 740 phone, in Chinese: an officer offline records a phone chase with a
promise and a visit nobody answered; online, the chase list and the month's long-term table show them
(R-FEE-2, R-FEE-3, R-FEE-4). Screens pass axe
(serious/critical)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import delete, select

from tests.browser.conftest import db_query as query
from tests.browser.conftest import db_wait as wait_for
from webapp.estate.models import Building, Household, Unit
from webapp.extensions import db
from webapp.fees.models import Arrear, ArrearsList, ChaseAttempt
from webapp.fees.rules import month_key

SHOTS = os.environ.get("PB_SHOTS")
SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×)" for v in results.response["violations"]
            if v.get("impact") in SERIOUS]


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def listed(app) -> list[tuple[int, int, str]]:
    """This month's list from finance: two long-term owners of building 1 (东区), counted 20 days ago."""
    def make():
        today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
        owners = db.session.execute(select(Household.id, Unit.id, Building.area_id).join(Household.unit)
                                    .join(Unit.building).where(Building.code == "1", Household.phone.is_not(None))
                                    .order_by(Unit.id).limit(2)).all()
        made = db.session.scalar(select(ArrearsList).where(ArrearsList.month == month_key(today)))  # the demo's
        made = made or ArrearsList(estate_id=1, month=month_key(today), imported_by=1, filename="欠费清单.csv")
        db.session.execute(delete(ChaseAttempt))  # the demo's chases: only this test's are counted
        made.rows = [Arrear(area_id=area, unit_id=unit, household_id=household, fee_type="property", months_owed=8 + i,
                            amount_fen=345_650 + i * 10_000, as_of=today - timedelta(days=20))
                     for i, (household, unit, area) in enumerate(owners)]
        db.session.add(made)
        db.session.commit()
        return [(unit, household, db.session.get(Household, household).name) for household, unit, _area in owners]
    return query(app, make)


def test_an_offline_phone_promise_and_a_visit_nobody_answered_reach_the_chase_list(page, context, pwa, app):
    (unit_a, household_a, name_a), (unit_b, household_b, name_b) = listed(app)
    pwa.ready_offline(page, "officer", "/fees/")
    pwa.offline(context)
    page.goto("/fees/")  # from the offline cache
    assert page.locator("[data-debtor]").count() == 2
    assert page.locator(f"[data-debtor='{unit_a}-{household_a}'] a[href^='tel:']").count() == 1
    assert serious_violations(page) == []
    shot(page, "fees-chases")

    page.locator(f"[data-debtor='{unit_a}-{household_a}']").get_by_role("link", name="记录催缴").click()
    page.wait_for_url(f"**/fees/units/{unit_a}/chase/{household_a}")
    assert serious_violations(page) == []
    page.get_by_label("电话催缴").check()
    page.get_by_label("承诺缴费", exact=True).check()
    promised = (datetime.now(UTC) + timedelta(days=10)).date()
    page.fill("#f-promised_on", promised.isoformat())
    page.fill("#f-promised_yuan", "3000")
    page.fill("#f-note", "业主说月底前先交一部分")
    shot(page, "fees-chase-form")
    page.get_by_role("button", name="保存催缴记录").click()
    page.wait_for_url("**/fees/")
    row = page.locator(f"[data-debtor='{unit_a}-{household_a}']")  # at once: waiting, no longer overdue
    row.get_by_text("待同步").wait_for()
    assert row.locator(".chip-overdue").first.is_hidden() and row.locator("[data-next]").is_hidden()

    page.locator(f"[data-debtor='{unit_b}-{household_b}']").get_by_role("link", name="记录催缴").click()
    page.wait_for_url(f"**/fees/units/{unit_b}/chase/{household_b}")
    page.get_by_label("上门催缴").check()
    page.get_by_label("家中无人").check()
    page.get_by_role("button", name="保存催缴记录").click()
    page.wait_for_url("**/fees/")
    entries = pwa.wait_idb(page, "outbox", 2)
    assert sorted((e["fields"]["method"], e["fields"]["outcome"]) for e in entries) == [("phone", "promised"),
                                                                                        ("visit", "nobody_home")]
    promise = next(e for e in entries if e["fields"]["outcome"] == "promised")
    assert promise["fields"]["promised_yuan"] == 3000 and promise["fields"]["promised_on"] == promised.isoformat()
    shot(page, "fees-chases-waiting")

    pwa.online(context)
    page.wait_for_function("() => document.querySelector('[data-outbox-count]')?.hidden === true", timeout=15_000)
    stored = wait_for(app, lambda: sorted((c.unit_id, c.method, c.outcome, c.promised_yuan) for c in db.session.scalars(
        select(ChaseAttempt))) if len(db.session.scalars(select(ChaseAttempt)).all()) == 2 else [])
    assert stored == sorted([(unit_a, "phone", "promised", 3000), (unit_b, "visit", "nobody_home", None)])

    page.goto("/fees/")
    row_a = page.locator(f"[data-debtor='{unit_a}-{household_a}'] [data-last]").inner_text()
    row_b = page.locator(f"[data-debtor='{unit_b}-{household_b}'] [data-last]").inner_text()
    assert "电话催缴 · 承诺缴费" in row_a and promised.strftime("%m-%d") in row_a
    assert "上门催缴 · 家中无人" in row_b
    shot(page, "fees-chases-synced")

    page.get_by_role("link", name="长期欠费业户情况统计表").click()  # the month's long-term table (R-FEE-3)
    page.wait_for_url("**/fees/long-term/*")
    table = page.locator("[data-area-table]").first.inner_text()
    assert "电话催缴 1" in table and "上门催缴 1" in table and "家中无人" in table
    assert serious_violations(page) == []
    shot(page, "fees-long-term")


def test_the_desk_pages_read_at_phone_width_and_pass_axe(page, pwa, app):
    """Finance's lists, a month, the long-term table to confirm, the charts; a unit's history for its officer."""
    month = query(app, lambda: db.session.scalar(select(ArrearsList.month).order_by(ArrearsList.month.desc())))
    unit = query(app, lambda: db.session.scalar(select(Arrear.unit_id).join(Arrear.arrears_list)
                                                .where(ArrearsList.month == month, Arrear.area_id == 1).limit(1)))
    pwa.login(page, "finance")
    for name, path in (("fees-lists", "/fees/lists"), ("fees-month", f"/fees/lists/{month}"),
                       ("fees-long-term-finance", f"/fees/long-term/{month}"), ("fees-glance", "/fees/glance"),
                       ("fees-finance-today", "/today")):
        page.goto(path)
        assert serious_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path  # nothing wider than the phone
        shot(page, name)
    page.context.clear_cookies()
    pwa.login(page, "officer")
    page.goto(f"/estate/units/{unit}")
    page.locator("[data-unit-arrears]").wait_for()
    assert serious_violations(page) == []
    shot(page, "fees-unit-history")

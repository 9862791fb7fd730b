"""Issue 5 in real Chromium (R-REN-1, R-REN-2): an officer inside a unit with no signal inspects it and
raises a violation with a photo — the phone checks it next to the fields first (only failed items, a
deadline required and not in the past); the follow-up form of an open violation opens offline too; back
online it syncs; the supervisor sees the escalation (a repeat violation); the printable notice renders;
the follow-up inspection records the fix."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.browser.conftest import db_query as query
from tests.browser.conftest import db_wait as wait_for
from tests.browser.conftest import png
from webapp.areas.models import Area
from webapp.extensions import db
from webapp.renovation.models import Inspection, Renovation, Violation

PHOTO = {"name": "corridor.png", "mimeType": "image/png", "buffer": png(1200, 900)}


def first_renovation(app) -> tuple[int, str, str]:
    """东区's first unit in progress: the demo already has an open debris violation there, so another
    is a repeat; its id too (its follow-up form is cached for offline use)."""
    def find():
        area = db.session.scalar(select(Area).where(Area.name == "东区"))
        ren = db.session.scalar(select(Renovation).where(Renovation.area_id == area.id, Renovation.status == "in_progress")
                                .order_by(Renovation.id))
        open_one = db.session.scalar(select(Violation.id).where(Violation.renovation_id == ren.id,
                                                                Violation.fixed_at.is_(None)))
        return ren.id, ren.unit.label, open_one
    return query(app, find)


def test_offline_inspection_violation_notice_escalation_and_follow_up(page, context, pwa, app, browser,
                                                                     browser_context_args, tmp_path):
    ren_id, unit_label, demo_violation = first_renovation(app)
    path = f"/renovation/{ren_id}/inspect"
    pwa.ready_offline(page, "officer", path)
    pwa.offline(context)
    page.goto(f"{path}?kind=follow_up&violation={demo_violation}")  # cached: follow-ups work in a basement too
    assert page.locator("input[name=follow_up_result]").count() == 2
    page.goto(path)
    page.check("input[name=failed][value=debris]")
    page.locator("[data-all-pass]").click()  # every other item 合格
    page.locator("[data-violation-part] summary").click()
    assert page.locator("#f-violation_item option[value=fire]").is_disabled()  # only failed items (R-REN-2)
    page.select_option("#f-violation_item", "debris")
    page.fill("#f-violation_text", "装修垃圾堆放在电梯厅")
    page.get_by_role("button", name="保存巡查").click()  # no deadline yet: said next to the field, nothing saved
    error = page.locator("#e-violation_deadline")
    error.wait_for(state="visible")
    assert "开具违章必须填写整改期限" in error.inner_text()
    page.fill("#f-violation_deadline", (date.today() - timedelta(days=3)).isoformat())
    page.get_by_role("button", name="保存巡查").click()
    page.wait_for_function("() => document.querySelector('#e-violation_deadline').textContent.includes('不能早于')")
    assert pwa.idb(page, "outbox") == []
    deadline = (date.today() + timedelta(days=1)).isoformat()
    page.fill("#f-violation_deadline", deadline)
    assert error.is_hidden()
    page.set_input_files("#f-photos", files=[PHOTO])
    page.wait_for_selector("[data-photo-thumbs] img")
    page.get_by_role("button", name="保存巡查").click()
    page.wait_for_url(f"**/renovation/{ren_id}")  # back to the unit's file, from the offline cache
    page.wait_for_load_state()
    page.wait_for_function("() => document.querySelector('[data-outbox-count]')?.textContent === '1'")
    [entry] = pwa.idb(page, "outbox")
    assert entry["entity"] == "renovation_inspection" and entry["fields"]["failed"] == ["debris"]
    assert len(entry["photo_ids"]) == 1

    pwa.online(context)
    page.wait_for_function("() => document.querySelector('[data-outbox-count]')?.hidden === true", timeout=20_000)
    violation = wait_for(app, lambda: db.session.scalar(select(Violation).where(
        Violation.description == "装修垃圾堆放在电梯厅")))
    assert violation.repeat and violation.deadline.isoformat() == deadline
    assert violation.photo_ids == entry["photo_ids"]

    boss = pwa.phone(browser, browser_context_args, "supervisor")
    boss.goto("/overview")
    escalated = boss.locator("[data-escalated]")
    assert unit_label in escalated.inner_text()

    boss.goto(f"/renovation/violations/{violation.id}/notice")
    notice = boss.locator("[data-notice]")
    assert "违章处理通知单" in notice.inner_text() and "装修垃圾堆放在电梯厅" in notice.inner_text()
    boss.emulate_media(media="print")
    shot = tmp_path / "notice.png"
    boss.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    boss.emulate_media(media="screen")

    page.goto(f"/renovation/{ren_id}/inspect?kind=follow_up&violation={violation.id}")
    page.check("input[name=follow_up_result][value=fixed]")
    page.fill("#f-note", "已清运")
    page.get_by_role("button", name="保存巡查").click()
    fixed = wait_for(app, lambda: db.session.get(Violation, violation.id).fixed_at)
    assert fixed is not None
    assert query(app, lambda: db.session.scalar(select(Inspection.follow_up_result).where(
        Inspection.follow_up_of == violation.id))) == "fixed"
    boss.goto(f"/renovation/{ren_id}")
    assert boss.locator(f"[data-violation='{violation.id}']").get_attribute("data-fixed") == "yes"
    pwa.put_down(boss)

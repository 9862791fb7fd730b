"""Issue 10 point 5 on a 360 × 740 phone in Chinese (UX.md "ticks mean the same thing on every form"): the
renovation inspection answers each item 合格 / 不合格 with the patrol round's buttons, items named as the
thing checked; what is stored keeps its meaning (`failed`: the codes answered 不合格, R-REN-1); an item left
unanswered is named next to it on save, in view."""

from __future__ import annotations

from tests.browser.app.test_phone_layout_browser import serious_violations
from tests.browser.patrol.test_checklist import hit, looks, progress, shot
from tests.browser.renovation.test_inspection import first_renovation


def test_each_item_is_answered_pass_or_fail_and_only_fails_are_recorded(page, context, pwa, app):
    ren_id, _, _ = first_renovation(app)
    path = f"/renovation/{ren_id}/inspect"
    pwa.ready_offline(page, "officer", path)
    pwa.offline(context)  # nothing reaches the shared server: the outbox is read instead
    page.goto(path)
    page.wait_for_selector("[data-all-pass]:not([hidden])")
    assert "勾选" not in page.locator("[data-checklist] legend").inner_text()
    structure = page.locator("[data-check-item=structure]")
    assert structure.locator(".check-label").inner_text() == "承重墙等主体结构"
    good, bad = structure.locator("label.seg-good"), structure.locator("label.seg-bad")
    assert (good.inner_text().strip(), bad.inner_text().strip()) == ("合格", "不合格")
    total = page.locator("[data-check-item]").count()
    shot(page, "renovation-unanswered")

    bad.click()
    assert looks(page, bad)["checked"] and looks(page, bad)["mark"] == '"✓"' and not looks(page, good)["checked"]
    assert structure.evaluate("(el) => el.classList.contains('is-bad')")
    assert f"已检查 1/{total}" in progress(page)
    good.click()  # one answer per item: 合格 takes 不合格 away
    assert looks(page, good)["checked"] and not looks(page, bad)["checked"]
    assert not structure.evaluate("(el) => el.classList.contains('is-bad')")
    bad.click()
    shot(page, "renovation-partly")

    page.get_by_role("button", name="保存巡查").click()
    first = page.locator("[data-check-item]").first
    message = first.locator(":scope > [data-problem]")
    message.wait_for(state="visible")
    assert message.inner_text() == "请选择这一项合格或不合格。" and hit(page, message)
    assert pwa.idb(page, "outbox") == []
    shot(page, "renovation-missing")
    assert serious_violations(page) == []

    page.locator("[data-all-pass]").click()
    assert f"已检查 {total}/{total}" in progress(page) and message.is_hidden()
    assert looks(page, bad)["checked"]  # "the rest" leaves a 不合格 as it is
    page.get_by_role("button", name="保存巡查").click()
    page.wait_for_url(f"**/renovation/{ren_id}")
    [entry] = pwa.wait_idb(page, "outbox", 1)
    assert entry["fields"]["failed"] == ["structure"] and "passed_item" not in entry["fields"]

"""Issue 10 point 5 on a 360 × 740 phone in Chinese (UX.md "ticks mean the same thing on every form"): the
renovation inspection answers each item 合格 / 不合格 with the patrol round's buttons, items named as the
thing checked; what is stored keeps its meaning (`failed`: the codes answered 不合格, R-REN-1); an item left
unanswered is named next to it on save, in view; a half-done list survives a closed tab."""

from __future__ import annotations

import time

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
    page.locator("[data-check-item=permit] label.seg-good").click()
    shot(page, "renovation-partly")

    # A closed tab keeps both answers (a draft): 合格 too, though only 不合格 is ever sent.
    end = time.monotonic() + 10
    while not any("permit" in (d.get("values", {}).get("passed_item") or []) for d in pwa.idb(page, "drafts")):
        assert time.monotonic() < end, "the draft never kept the 合格 answer"
        page.wait_for_timeout(100)
    page.reload()
    page.wait_for_function("() => document.querySelector('[data-check-item=permit] .seg-good input').checked")
    assert looks(page, bad)["checked"] and f"已检查 2/{total}" in progress(page)
    assert looks(page, page.locator("[data-check-item=permit] label.seg-good"))["mark"] == '"✓"'

    page.get_by_role("button", name="保存巡查").click()
    # The first item left: 施工时间, after 许可证张贴 (answered 合格).
    assert page.locator("[data-check-item]:not(:has(input:checked))").first.get_attribute("data-check-item") == "hours"
    message = page.locator("[data-check-item=hours] > [data-problem]")
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

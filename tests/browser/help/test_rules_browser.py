"""A supervisor on a phone taps a rule id on a desk page and reads the rule, clear of the top bar."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe


def test_a_rule_link_opens_the_rule_in_view(page, pwa):
    pwa.login(page, "supervisor")
    page.goto("/patrol/templates")
    with page.expect_navigation():
        page.locator('a.rule-link[href="/help/rules#R-PAT-2"]').click()
    assert page.url.endswith("/help/rules#R-PAT-2")
    heading = page.locator("#h-R-PAT-2")
    page.wait_for_function("() => document.querySelector('#R-PAT-2').getBoundingClientRect().top < 200")
    bar = page.locator("header.topbar").bounding_box()
    assert heading.bounding_box()["y"] >= bar["y"] + bar["height"], "the rule's id is hidden under the top bar"
    assert "巡查内容" in page.locator("#R-PAT-2").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    serious = [v["id"] for v in Axe().run(page).response["violations"] if v.get("impact") in {"serious", "critical"}]
    assert serious == []

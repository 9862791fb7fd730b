"""An officer on a 360 × 740 phone: log in, walk the home page, no serious accessibility problems (axe-core)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×)" for v in results.response["violations"]
            if v.get("impact") in SERIOUS]


def test_officer_logs_in_on_a_phone_and_walks_today(page, pwa):
    page.goto("/")
    assert "/login" in page.url
    assert serious_violations(page) == []
    pwa.login(page, "officer")
    assert page.url.endswith("/today")
    assert page.locator("h1").first.inner_text().startswith("今日")
    assert page.get_by_text("1栋首层大堂").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "nothing overflows a 360 px screen"
    nav = page.locator("nav.bottom-nav a")
    assert 2 <= nav.count() <= 5, "UX.md: at most five items in the officer's bottom bar"
    targets = page.locator("nav.bottom-nav a, [data-fab-emergency], [data-fab-note], main .btn")
    for i in range(targets.count()):
        box = targets.nth(i).bounding_box()
        assert box and box["height"] >= 48, f"thumb-sized targets (UX.md: ≥ 48 px): {targets.nth(i).inner_text()}"
    assert serious_violations(page) == []
    page.locator("nav.bottom-nav a", has_text="我的").click()
    page.wait_for_url("**/me")
    assert serious_violations(page) == []


@pytest.mark.parametrize("who", ["supervisor", "manager", "frontdesk"])
def test_desk_home_pages_are_accessible_on_a_phone(page, pwa, who):
    pwa.login(page, who)
    assert page.url.endswith("/overview")
    assert serious_violations(page) == []


def test_language_switch_to_english_and_back(page, pwa):
    pwa.login(page, "officer")
    page.goto("/me")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("Change password").first.is_visible()
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-CN"

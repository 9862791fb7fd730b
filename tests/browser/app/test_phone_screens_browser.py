"""Issue 10, points 9 (colours), 10 and 12, on a 360 × 740 phone in Chinese: colours mean one thing each and
立即同步 offline says so; every phone number that matters is a tel: button ≥ 48 px and an emergency says how
long ago; the building page is a compact grid that counts the units under renovation; the login page has no
sync bar; a team member's 我的 has no officer-only lobby-card text."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.app.test_phone_layout_browser import serious_violations
from tests.browser.conftest import db_query as query
from webapp.areas.models import Area
from webapp.estate.models import Building, Unit
from webapp.extensions import db
from webapp.patrol.models import Emergency
from webapp.renovation.models import Renovation

DANGER_RED = "rgb(179, 38, 30)"  # --danger: only for what needs someone now


def background(locator) -> str:
    return locator.evaluate("(el) => getComputedStyle(el).backgroundColor")


def assert_call_button(page, number: str):
    link = page.locator(f'a[href="tel:{number}"]').first
    assert link.is_visible(), f"no tel:{number} button"
    assert link.bounding_box()["height"] >= 48


def test_emergency_numbers_are_call_buttons(page, pwa):
    pwa.login(page, "officer")
    page.goto("/patrol/emergency/new")
    for number in ("110", "119", "120"):
        assert_call_button(page, number)
    assert serious_violations(page) == []


def test_the_renovation_file_calls_the_owner_and_the_foreman(page, pwa, app):
    def file():
        east = db.session.scalar(select(Area).where(Area.name == "东区"))
        ren = db.session.scalar(select(Renovation).where(Renovation.area_id == east.id,
                                                         Renovation.status == "in_progress").order_by(Renovation.id))
        return ren.id, ren.owner_phone, ren.foreman_phone
    ren_id, owner, foreman = query(app, file)
    assert owner and foreman
    pwa.login(page, "officer")
    page.goto(f"/renovation/{ren_id}")
    assert_call_button(page, owner)
    assert_call_button(page, foreman)
    assert serious_violations(page) == []


def test_an_emergency_says_how_long_ago_and_calls_its_reporter(page, pwa, app):
    mobile = query(app, lambda: db.session.scalar(select(Emergency).where(Emergency.acknowledged_at.is_(None)))
                   .reporter.mobile)
    pwa.login(page, "supervisor")
    card = page.locator("[data-emergency]").first
    assert re.fullmatch(r"\d+\s*(分钟|小时|天)前|刚刚", card.locator("[data-ago]").inner_text().strip())
    assert_call_button(page, mobile)


def test_red_means_needs_someone_now_and_sync_now_offline_says_so(page, context, pwa):
    pwa.ready_offline(page, "officer", "/notes/new")
    pwa.offline(context)
    page.goto("/notes/new")
    page.fill("#f-text", "3栋楼道灯不亮")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/notes/")
    page.goto("/outbox")
    discard = page.get_by_role("button", name="放弃")
    discard.wait_for()
    assert background(discard) != DANGER_RED, "放弃 is not the loudest thing on the outbox"
    page.locator("[data-status-line] [data-sync-now]").click()
    expect(page.locator(".toast")).to_contain_text("当前离线，联网后会自动同步")  # filled after insertion
    assert serious_violations(page) == []


def test_ordinary_facts_are_plain_chips(page, pwa):
    pwa.login(page, "supervisor")
    page.goto("/patrol/findings?residents=1")
    residents = page.locator("[data-finding-list] .chip", has_text="涉及业户").first
    residents.wait_for()
    assert background(residents) != DANGER_RED
    page.goto("/patrol/rounds")
    manual = page.locator("[data-round-list] .chip", has_text="手动开始").first
    manual.wait_for()
    assert background(manual) != DANGER_RED
    assert serious_violations(page) == []


def test_the_building_page_is_a_compact_grid_that_counts_renovations(page, pwa, app):
    def building():
        found = db.session.scalar(select(Building).order_by(Building.id))
        under_way = db.session.scalars(select(Renovation.id).join(Unit, Unit.id == Renovation.unit_id).where(
            Unit.building_id == found.id, Renovation.status == "in_progress")).all()
        return found.id, len(found.units), len(under_way)
    building_id, units, renovating = query(app, building)
    assert units >= 40 and renovating >= 1
    pwa.login(page, "officer")
    page.goto(f"/estate/buildings/{building_id}")
    assert page.locator(".row .chip", has_text="装修中").inner_text().split()[-1] == str(renovating)
    assert page.locator("[data-unit-state=renovating]").count() == renovating
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < units * 25, f"{units} units take {height} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_violations(page) == []


def test_a_unit_under_renovation_says_so_on_its_page(page, pwa, app):
    unit_id = query(app, lambda: db.session.scalar(select(Renovation.unit_id).where(Renovation.status == "in_progress")
                                                   .order_by(Renovation.id)))
    pwa.login(page, "officer")
    page.goto(f"/estate/units/{unit_id}")
    assert page.locator("[data-unit-state]").inner_text().strip().endswith("装修中")


def test_the_login_page_has_no_sync_bar(page):
    page.goto("/login")
    assert page.locator("[data-status-line]").count() == 0
    assert page.get_by_text("立即同步").count() == 0


def test_a_team_members_me_has_no_lobby_card_text(page, pwa):
    pwa.login(page, "team")
    page.goto("/me")
    assert "公示卡" not in page.locator("main").inner_text()
    assert serious_violations(page) == []


def test_the_assignment_table_is_cards_that_keep_their_width(page, pwa):
    pwa.login(page, "supervisor")
    page.goto("/areas/tables")
    page.locator("main a[href^='/areas/tables/']").first.click()
    page.wait_for_selector("table.responsive")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the table scrolls sideways"
    narrow = page.locator("table.responsive td").evaluate_all("""(cells) => cells.filter((td) =>
        td.getBoundingClientRect().width < 8 * parseFloat(getComputedStyle(td).fontSize)).length""")
    assert narrow == 0
    assert serious_violations(page) == []

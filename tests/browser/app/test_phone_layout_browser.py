"""Issue 10 on a 360 × 740 phone in Chinese (UX.md "Field screen rules"): nothing floats over a form's primary
button, list titles keep their width, desk roles get a phone layout, colours mean one thing each, phone numbers
are tap-to-call buttons, and the small things of point 12 (the building grid, the login page, a team's 我的)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from tests.browser.conftest import db_query as query
from webapp.areas.models import Area, KeyLocation
from webapp.auth.models import User
from webapp.extensions import db
from webapp.patrol.models import Finding, FindingStatus
from webapp.renovation.models import Renovation

SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×)" for v in results.response["violations"]
            if v.get("impact") in SERIOUS]


def demo_ids(app) -> dict:
    def find():
        east = db.session.scalar(select(Area).where(Area.name == "东区"))
        team = db.session.scalar(select(User).where(User.username == "zhouqiang"))
        return {
            "area": east.id,
            "location": db.session.scalar(select(KeyLocation.id).where(KeyLocation.area_id == east.id,
                                                                       KeyLocation.active).order_by(KeyLocation.id)),
            "finding": db.session.scalar(select(Finding.id).where(
                Finding.team == team.team, Finding.status.in_((FindingStatus.OPEN, FindingStatus.ASSIGNED)))
                .order_by(Finding.observed_at)),
            "renovation": db.session.scalar(select(Renovation.id).where(
                Renovation.area_id == east.id, Renovation.status == "in_progress").order_by(Renovation.id)),
        }
    return query(app, find)


# Every form page of every role, with its primary button (the submit of its .form-actions unless named).
FORMS = [
    ("officer", "/patrol/round/new?location_id={location}", None),
    ("officer", "/patrol/round/full?area_id={area}", None),
    ("officer", "/notes/new", None),
    ("officer", "/patrol/emergency/new", None),
    ("officer", "/renovation/{renovation}/inspect", None),
    ("team", "/patrol/findings/{finding}", None),
    ("supervisor", "/patrol/round/new?location_id={location}", None),
    ("manager", "/policies/", None),
    ("supervisor", "/overview", "[data-emergency] form button[type=submit]"),
    ("supervisor", "/areas/new", None),
    ("frontdesk", "/renovation/new", None),
    ("admin", "/people/new", None),
]

# Where the finger lands: the centre, the right quarter (the old 紧急上报 button) and the left quarter (随手记).
HIT_TEST = """(button) => {
  const box = button.getBoundingClientRect();
  const y = box.top + box.height / 2;
  return [0.25, 0.5, 0.75].map((at) => {
    const hit = document.elementFromPoint(box.left + box.width * at, y);
    return hit && (hit === button || button.contains(hit)) ? null : `${at}: ${hit ? hit.outerHTML.slice(0, 120) : "nothing"}`;
  }).filter(Boolean);
}"""


@pytest.mark.parametrize("who,path,button", FORMS)
def test_nothing_covers_a_forms_primary_button(page, pwa, app, who, path, button):
    pwa.login(page, who)
    page.goto(path.format(**demo_ids(app)))
    target = page.locator(button or "main form .form-actions [type=submit]").first
    target.wait_for()
    for block in ("nearest", "center"):  # as it first appears while scrolling down, and in mid-screen
        page.evaluate("() => window.scrollTo(0, 0)")
        target.evaluate(f"(el) => el.scrollIntoView({{block: '{block}'}})")
        covered = target.evaluate(HIT_TEST)
        assert covered == [], f"{who} {path}: {target.inner_text()!r} is covered at {covered} ({block})"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "nothing overflows a 360 px screen"
    assert serious_violations(page) == []


@pytest.mark.parametrize("who,path", [("officer", "/today"), ("supervisor", "/overview"), ("team", "/patrol/findings"),
                                      ("frontdesk", "/estate/")])
def test_the_emergency_form_is_one_tap_from_every_page_of_every_role(page, pwa, who, path):
    pwa.login(page, who)
    page.goto(path)
    button = page.locator("[data-fab-emergency]")
    box = button.bounding_box()
    assert box and box["height"] >= 48 and box["y"] + box["height"] <= 740, box
    assert button.get_attribute("href") == "/patrol/emergency/new"


@pytest.mark.parametrize("who,path,titles", [
    ("supervisor", "/patrol/findings", "[data-finding-list] .list-link"),  # 问题跟进
    ("officer", "/patrol/findings", "[data-finding-list] .list-link"),
    ("supervisor", "/patrol/rounds", "[data-round-list] .list-link"),  # 最近巡查
    ("supervisor", "/areas/", "main .list .list-link"),  # the area list ("东/区")
])
def test_list_titles_keep_eight_characters_of_width(page, pwa, who, path, titles):
    pwa.login(page, who)
    page.goto(path)
    titles = page.locator(titles)
    assert titles.count() >= 4
    narrow = titles.evaluate_all("""(links) => links.map((a) => {
        const width = a.getBoundingClientRect().width, font = parseFloat(getComputedStyle(a).fontSize);
        return width >= 8 * font ? null : `${a.textContent.trim().slice(0, 20)}: ${Math.round(width)} px`;
    }).filter(Boolean)""")
    assert narrow == [], f"UX.md: a title gets the full card width; squeezed: {narrow[:5]}"
    assert serious_violations(page) == []


def test_a_supervisor_on_a_phone_gets_a_bottom_bar_and_a_folded_menu(page, pwa):
    pwa.login(page, "supervisor")
    assert page.url.endswith("/overview")
    bar = page.locator("nav.bottom-nav")
    assert bar.is_visible()
    items = bar.locator("a")
    assert 3 <= items.count() <= 5
    assert "现场抽查" in bar.inner_text(), "the spot-check is one tap away"
    menus = page.locator("header.topbar ~ nav.desk-nav, header.topbar ~ [data-desk-menu]")
    height = sum(box["height"] for i in range(menus.count()) if (box := menus.nth(i).bounding_box()))
    assert height < 120, f"the menu takes {height} px of a 740 px screen"
    page.locator("[data-desk-menu] summary").click()
    page.locator("[data-desk-menu] a", has_text="制度参数").click()
    page.wait_for_url("**/policies/")
    assert serious_violations(page) == []


@pytest.mark.parametrize("who,count", [("manager", 4), ("frontdesk", 4), ("admin", 3)])
def test_desk_roles_get_a_bottom_bar_of_their_most_used_places(page, pwa, who, count):
    pwa.login(page, who)
    bar = page.locator("nav.bottom-nav")
    assert bar.is_visible() and bar.locator("a").count() == count
    assert bar.locator("a", has_text="我的").count() == 1
    assert serious_violations(page) == []


def test_the_desk_layout_stays_at_a_desk(browser, browser_context_args, pwa):
    wide = browser.new_context(**{**browser_context_args, "viewport": {"width": 1280, "height": 800},
                                  "is_mobile": False, "has_touch": False})
    pwa.contexts.append(wide)
    page = wide.new_page()
    pwa.login(page, "supervisor")
    assert page.locator("nav.desk-nav").is_visible()
    assert page.locator("nav.bottom-nav").is_hidden() and page.locator("[data-desk-menu]").is_hidden()

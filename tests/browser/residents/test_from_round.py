"""顺访业户 offline (R-VIS-3): on a round at a key location with no signal, the officer opens the visit form
from the round, records a visit of a household of the round's area, comes back to the round with its ticks
and finishes it; the visit and the round reach the server, the visit naming the round."""

from __future__ import annotations

from sqlalchemy import select

from tests.browser.conftest import db_query as query
from tests.browser.conftest import db_wait as wait_for
from tests.browser.residents.test_visits import SHOTS, serious_violations, shot
from webapp.areas.models import Area, KeyLocation
from webapp.extensions import db
from webapp.patrol.models import PatrolRound
from webapp.residents.models import Visit


def east_lobby(app):
    def find():
        east = db.session.scalar(select(Area).where(Area.code == "A1"))
        location = db.session.scalar(select(KeyLocation.id).where(
            KeyLocation.area_id == east.id, KeyLocation.kind == "lobby").order_by(KeyLocation.id))
        return east.id, location
    return query(app, find)


def test_a_visit_from_a_round_offline_names_the_round(page, pwa, app):
    area_id, location_id = east_lobby(app)
    url = f"/patrol/round/new?location_id={location_id}"
    pwa.ready_offline(page, "officer", url)
    pwa.offline(page.context)
    page.goto(url)
    first = page.locator("[data-check-item]").first
    first.locator("label.seg-good").click()
    round_id = page.evaluate("document.querySelector('form[data-patrol-round]').dataset.recordId")
    link = page.locator("a[data-visit-from-round]")
    assert link.is_visible() and link.inner_text() == "顺访业户"
    link.scroll_into_view_if_needed()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/round-form-visit-link.png")
    assert page.evaluate("""() => { const r = document.querySelector('a[data-visit-from-round]').getBoundingClientRect();
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return top.closest('a[data-visit-from-round]') !== null; }""")  # nothing covers it
    link.click()
    page.wait_for_url("**/residents/visit?**")  # answered from the cached plain form
    assert page.locator("input[name=round_id]").input_value() == round_id
    plan = page.locator("[data-results] [data-pick]")
    plan.first.wait_for()
    areas = page.evaluate("""() => { const rows = JSON.parse(document.getElementById('households-data').textContent);
      return [...document.querySelectorAll('[data-results] [data-pick]')]
        .map((b) => rows.find((h) => String(h.id) === b.dataset.pick).area); }""")
    assert set(areas) == {area_id}  # the round's area only
    assert serious_violations(page) == []
    shot(page, "visit-from-round")
    household_id = int(plan.first.get_attribute("data-pick"))
    plan.first.click()
    page.get_by_role("button", name="保存家访记录").click()
    page.wait_for_url("**/patrol/round/new?**")  # back on the round
    [visit] = pwa.wait_idb(page, "outbox", 1)
    assert visit["fields"]["round_id"] == round_id and visit["fields"]["household_id"] == household_id
    # the same round, its tick kept
    assert page.evaluate("document.querySelector('form[data-patrol-round]').dataset.recordId") == round_id
    assert first.locator("input[value=ok]").is_checked()
    page.locator("[data-all-ok]").click()
    page.locator("form[data-patrol-round] button[type=submit]").click()
    entries = pwa.wait_idb(page, "outbox", 2)
    assert [e["record_id"] for e in entries if e["entity"] == "patrol_round"] == [round_id]

    pwa.online(page.context)
    pwa.wait_idb(page, "outbox", 0, timeout=15_000)
    assert wait_for(app, lambda: db.session.get(PatrolRound, round_id) is not None)
    assert wait_for(app, lambda: db.session.scalar(
        select(Visit.round_id).where(Visit.household_id == household_id, Visit.round_id.is_not(None)))) == round_id

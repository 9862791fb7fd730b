"""Patrol on a real phone-sized Chromium (R-PAT-1…5): a round opened offline from a location's QR URL,
with a defect and a photo, pending, then synced; the supervisor sees the finding and the coverage; the
team marks it fixed with a photo; the officer verifies it. An emergency reported offline reaches the
supervisor's home page on reconnect."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from sync.models import Media
from tests.browser.conftest import db_query as query
from tests.browser.conftest import db_wait as wait_for
from tests.browser.conftest import png
from webapp.areas.models import Area, KeyLocation
from webapp.extensions import db
from webapp.patrol.models import ChecklistTemplate, Emergency, Finding, PatrolRound

PHOTO = {"name": "defect.png", "mimeType": "image/png", "buffer": png(2400, 1800)}
SMALL_PHOTO = {"name": "fixed.png", "mimeType": "image/png", "buffer": png(64, 48)}


@pytest.fixture
def lobby(app):
    def find():
        area = db.session.scalar(select(Area).where(Area.code == "A1"))
        location = db.session.scalar(select(KeyLocation).where(KeyLocation.area_id == area.id,
                                                               KeyLocation.kind == "lobby").order_by(KeyLocation.id))
        template = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.kind == "lobby",
                                                                     ChecklistTemplate.retired_at.is_(None)))
        lighting = next(i for i in template.items if i.code == "lighting")
        return {"area": area.id, "id": location.id, "name": location.name, "item": lighting.id,
                "url": f"/patrol/round/new?location_id={location.id}"}

    return query(app, find)


def test_offline_round_from_a_qr_code_to_a_verified_fix(page, pwa, app, lobby, browser, browser_context_args):
    pwa.ready_offline(page, "officer", lobby["url"])
    pwa.offline(page.context)

    # The phone's camera opens the printed code's URL: the cached round form, started by QR.
    page.goto(lobby["url"] + "#qr")
    assert page.locator("[data-start-method]").input_value() == "qr"
    assert page.locator("[data-start-chip]").is_hidden()
    box = page.locator(f"[data-check-item='{lobby['item']}']")
    box.locator("label.seg-bad").click()  # 有问题
    box.locator("textarea").fill("两盏灯管不亮")
    box.locator("input[type=file]").set_input_files(PHOTO)
    page.wait_for_function("(id) => document.querySelector(`input[name='photos-${id}']`).value !== '[]'",
                           arg=lobby["item"])
    page.locator("[data-all-ok]").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("form[data-patrol-round] button[type=submit]").click()
    page.wait_for_url("**/today")  # back to Today, from the cache

    [entry] = pwa.wait_idb(page, "outbox", 1)
    fields = entry["fields"]
    assert (entry["entity"], fields["start_method"], fields["key_location_id"]) == ("patrol_round", "qr", lobby["id"])
    [defect] = [c for c in fields["checks"] if c["result"] == "defect"]
    assert defect["item_id"] == lobby["item"] and len(defect["photo_ids"]) == 1 and fields["started_at"]
    assert all(c["result"] == "ok" for c in fields["checks"] if c is not defect)
    [photo] = pwa.idb(page, "media")
    # Shrunk to a JPEG (the plain test PNG compresses better than any photo; its raw pixels are 13 MB).
    assert photo["blob"]["type"] == "image/jpeg" and photo["blob"]["size"] < 2400 * 1800 * 3 // 50
    page.wait_for_selector(f"[data-location='{lobby['id']}'].is-pending")  # 待同步 on the due list
    assert query(app, lambda: db.session.get(PatrolRound, entry["record_id"])) is None

    pwa.online(page.context)
    pwa.wait_idb(page, "outbox", 0, timeout=15_000)
    finding_id = wait_for(app, lambda: db.session.scalar(
        select(Finding.id).where(Finding.round_id == entry["record_id"])))
    assert wait_for(app, lambda: db.session.get(Media, defect["photo_ids"][0]) is not None)
    done = query(app, lambda: db.session.get(PatrolRound, entry["record_id"]).start_method)
    assert done == "qr"

    # The supervisor sees the new finding and today's cell of the heat-map with one round done.
    lead = pwa.phone(browser, browser_context_args, "supervisor")
    lead.goto(f"/patrol/findings?area_id={lobby['area']}&status=open")
    assert lead.locator(f"[data-finding='{finding_id}']").is_visible()
    lead.goto(f"/patrol/findings/{finding_id}")
    lead.wait_for_function("() => document.querySelector('.thumbs img')?.naturalWidth > 0")
    size = lead.evaluate("() => [document.querySelector('.thumbs img').naturalWidth,"
                         " document.querySelector('.thumbs img').naturalHeight]")
    assert size == [1600, 1200], "shrunk on the phone, aspect kept"
    assert lead.locator("[data-captured-at]").first.inner_text().startswith("拍摄于")  # the phone's capture time
    if os.environ.get("PB_SHOTS"):
        lead.screenshot(path=str(Path(os.environ["PB_SHOTS"]) / "finding-desk.png"))
    lead.goto(f"/patrol/coverage/{lobby['area']}")
    today = lead.locator("[data-heatmap] g[data-day]").last
    assert today.get_attribute("data-done") == "1"
    assert lead.evaluate("document.documentElement.scrollWidth") <= 360  # the heat-map fits a phone
    assert lead.locator("[data-heatmap]").bounding_box()["width"] >= 300
    pwa.put_down(lead)

    # The engineering team marks it fixed, with a photo.
    team = pwa.phone(browser, browser_context_args, "team")
    team.goto(f"/patrol/findings/{finding_id}")
    team.locator("#f-fixed-note").fill("已更换灯管")
    team.locator("#f-fixed-photos").set_input_files(SMALL_PHOTO)
    team.wait_for_function("() => document.querySelector(\"input[name='fixed_photo_ids']\").value !== '[]'")
    team.locator("#fix-h ~ form button[type=submit]").click()
    assert wait_for(app, lambda: db.session.get(Finding, finding_id).status == "fixed")
    pwa.put_down(team)

    # The officer verifies it.
    page.goto(f"/patrol/findings/{finding_id}")
    page.locator("#verify-h ~ form").first.locator("button[type=submit]").click()
    assert wait_for(app, lambda: db.session.get(Finding, finding_id).status == "verified")
    verified = query(app, lambda: db.session.get(Finding, finding_id))
    assert verified.verified_by is not None and verified.fixed_photo_ids


def test_a_spot_check_lands_on_its_comparison_with_the_officers_round(pwa, app, lobby, browser, browser_context_args):
    """R-SUP-1: the supervisor's round at a location, queued like any other, opens the comparison with
    the officer's latest round there as soon as it has reached the server; a disagreement is marked."""
    officer_checks = query(app, lambda: db.session.scalar(
        select(PatrolRound).where(PatrolRound.purpose == "patrol", PatrolRound.key_location_id == lobby["id"])
        .order_by(PatrolRound.observed_at.desc())).checks)
    said_ok = next(c["item_id"] for c in officer_checks if c["result"] == "ok")  # the spot-check finds it wrong
    page = pwa.phone(browser, browser_context_args, "supervisor")
    page.goto(lobby["url"] + "#list")
    box = page.locator(f"[data-check-item='{said_ok}']")
    box.locator("label.seg-bad").click()  # 有问题
    box.locator("textarea").fill("现场检查发现问题")
    page.locator("[data-all-ok]").click()
    page.locator("form[data-patrol-round] button[type=submit]").click()
    page.wait_for_url("**/patrol/rounds/*", timeout=20_000)
    assert page.locator("[data-comparison]").is_visible()
    spot = query(app, lambda: db.session.scalar(select(PatrolRound).where(
        PatrolRound.purpose == "spot_check", PatrolRound.key_location_id == lobby["id"])))
    assert page.url.endswith(f"/patrol/rounds/{spot.id}") and spot.start_method == "list"
    differ = 1 + sum(1 for c in officer_checks if c["result"] == "defect")  # the officer's defects are OK now
    assert page.locator("[data-disagrees]").count() == differ
    pwa.put_down(page)


def test_an_emergency_reported_offline_reaches_the_supervisor_on_reconnect(page, pwa, app, browser,
                                                                          browser_context_args):
    pwa.ready_offline(page, "officer", "/patrol/emergency/new")
    lead = pwa.phone(browser, browser_context_args, "supervisor")
    assert "楼顶冒烟" not in lead.content()

    pwa.offline(page.context)
    page.locator("[data-fab-emergency]").click()
    page.wait_for_url("**/patrol/emergency/new")
    page.locator("input[name=kind][value=fire]").check()
    page.locator("#f-description").fill("3栋楼顶冒烟，已报119")
    page.locator("form[data-offline-entity=patrol_emergency] button[type=submit]").click()
    page.wait_for_url("**/today")
    [entry] = pwa.wait_idb(page, "outbox", 1)
    assert entry["entity"] == "patrol_emergency"

    pwa.online(page.context)
    pwa.wait_idb(page, "outbox", 0, timeout=15_000)
    assert wait_for(app, lambda: db.session.get(Emergency, entry["record_id"]) is not None)
    card = lead.locator(f"[data-emergency='{entry['record_id']}']")
    card.wait_for(timeout=30_000)  # no reload: the section polls every 15 s (data-poll)
    assert "楼顶冒烟" in card.inner_text()
    card.locator("textarea[name=ack_note]").fill("已通知消防中控室")
    card.locator("button[type=submit]").click()
    assert wait_for(app, lambda: db.session.get(Emergency, entry["record_id"]).acknowledged_at is not None)
    assert query(app, lambda: db.session.get(Emergency, entry["record_id"]).ack_note) == "已通知消防中控室"
    pwa.put_down(lead)

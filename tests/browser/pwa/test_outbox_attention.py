"""Issue 3 in real Chromium: a mutation the server refuses waits under "needs attention" on the outbox page
with the server's message; the officer fixes and resends it (a new mutation_id, PROTOCOL.md), or discards it
explicitly. Nothing leaves the phone without a person deciding."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from sync.models import AppliedMutation
from tests.browser.conftest import db_query, db_wait
from webapp.extensions import db
from webapp.notes.models import QuickNote

TOO_LONG = "长" * 2001  # a form cached before maxlength was added would let this through


def notes(app) -> list[str]:
    return db_query(app, lambda: [n.text for n in db.session.scalars(select(QuickNote))])


def applied_mutation_ids(app) -> list[str]:
    return db_query(app, lambda: list(db.session.scalars(select(AppliedMutation.mutation_id).where(
        AppliedMutation.entity == "quick_note", AppliedMutation.status == "applied"))))


def refused_note(page, pwa, text: str = TOO_LONG) -> dict:
    """Write a note the server will reject, send it, and return its outbox entry."""
    page.goto("/notes/new")
    page.evaluate("() => document.querySelector('#f-text').removeAttribute('maxlength')")
    page.fill("#f-text", text)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/notes/")
    page.wait_for_function("() => document.querySelector('[data-status-attention]')?.hidden === false",
                           timeout=15_000)
    [entry] = pwa.idb(page, "outbox")
    assert entry["status"] == "attention" and entry["errors"]["text"]
    return entry


def test_refused_note_is_fixed_and_resent(page, pwa, app):
    pwa.login(page, "officer")
    entry = refused_note(page, pwa)
    page.locator("[data-status-attention]").click()
    page.wait_for_url("**/outbox")
    attention = page.locator("[data-outbox-attention]")
    attention.get_by_text("1 到 2000").first.wait_for()  # the server's own message, in Chinese
    assert "需处理 (1)" in attention.inner_text()

    attention.get_by_role("button", name="修改后重新提交").click()
    attention.locator("textarea[name=text]").fill("楼道灯不亮")
    attention.get_by_role("button", name="重新提交").click()
    page.wait_for_function("() => document.querySelector('[data-outbox-count]')?.hidden === true", timeout=15_000)
    assert pwa.wait_idb(page, "outbox", 0) == []
    assert db_wait(app, lambda: notes(app)) == ["楼道灯不亮"]
    assert page.locator("[data-outbox-attention]").is_hidden()
    [applied] = applied_mutation_ids(app)
    assert applied != entry["mutation_id"], "the fix went as a new mutation (the refused id keeps its refusal)"


def test_refused_note_is_discarded_only_when_confirmed(page, pwa, app):
    pwa.login(page, "officer")
    refused_note(page, pwa)
    page.goto("/outbox")
    attention = page.locator("[data-outbox-attention]")
    attention.get_by_role("button", name="放弃").click()
    dialog = page.locator("[data-discard-dialog]")
    dialog.get_by_role("button", name="取消").click()
    assert len(pwa.idb(page, "outbox")) == 1, "cancel keeps it"

    attention.get_by_role("button", name="放弃").click()
    dialog.get_by_role("button", name="放弃").click()
    assert pwa.wait_idb(page, "outbox", 0) == []
    page.get_by_text("没有待同步的记录。").wait_for()
    assert notes(app) == []


WRONG_CLOCK = """async ({ area }) => {
  const { makeMutation } = await import("/static/js/mutation.js");
  const { addEntry } = await import("/static/js/outbox-store.js");
  const { deviceId } = await import("/static/js/device-store.js");
  const { currentUser } = await import("/static/js/config.js");
  const entry = makeMutation({ device_id: await deviceId(), user_id: currentUser(), entity: "quick_note", op: "create",
    fields: { area_id: area, text: "手机时钟错了时写的" }, label: "随手记" });
  await addEntry({ ...entry, observed_at: "2000-01-01T08:00:00.000+08:00" });  // a phone whose clock was reset
  return entry.mutation_id;
}"""


def test_a_refused_observed_at_is_corrected_in_place_and_resent(page, pwa, app):
    from webapp.areas.models import Area

    east = db_query(app, lambda: db.session.scalar(select(Area.id).where(Area.name == "东区")))
    pwa.login(page, "officer")
    page.evaluate(WRONG_CLOCK, {"area": east})
    page.locator("[data-status-line] [data-sync-now]").click()
    page.wait_for_function("() => document.querySelector('[data-status-attention]')?.hidden === false",
                           timeout=15_000)
    [entry] = pwa.idb(page, "outbox")
    assert entry["status"] == "attention" and list(entry["errors"]) == ["observed_at"]

    page.goto("/outbox")
    attention = page.locator("[data-outbox-attention]")
    attention.get_by_text("相差超过一年").first.wait_for()
    attention.get_by_role("button", name="修改后重新提交").click()
    clock = attention.locator("input[name=observed_at]")
    assert clock.input_value() == "2000-01-01T08:00:00.000+08:00"
    assert attention.locator("textarea[name=text], input[name=text]").input_value() == "手机时钟错了时写的"
    clock.fill(datetime.now(UTC).isoformat())
    attention.get_by_role("button", name="重新提交").click()
    assert pwa.wait_idb(page, "outbox", 0, timeout=15_000) == []
    assert db_wait(app, lambda: notes(app)) == ["手机时钟错了时写的"]


def test_a_save_tapped_before_the_form_script_is_in_waits_for_it(browser, browser_context_args, pwa, app):
    """On a slow phone 保存 can be tapped before offline-form.js has loaded: the form must not be posted
    natively (offline that loses it); the tap is held and the save goes through the outbox once it is in."""
    context = browser.new_context(**browser_context_args, service_workers="block")  # every script from the network
    page = context.new_page()
    pwa.login(page, "officer")
    held = []
    context.route("**/static/js/offline-form.js", lambda route: held.append(route))
    page.goto("/notes/new")
    page.fill("#f-text", "脚本未到时点了保存")
    page.get_by_role("button", name="保存").click()
    page.wait_for_timeout(300)  # what a native post would have done by now: leave the page
    assert page.url.endswith("/notes/new") and held, page.url
    with page.expect_navigation(url="**/notes/"):
        held[0].continue_()
    assert db_wait(app, lambda: "脚本未到时点了保存" in notes(app))
    context.close()

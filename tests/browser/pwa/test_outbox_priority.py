"""An emergency saved after a backlog of ordinary work leaves the phone in the first batch (R-PAT-5)."""

from __future__ import annotations

MODULES = ("mutation", "outbox-store", "outbox-queue", "config")
LOAD = "async (names) => { for (const n of names) await import(`/static/js/${n}.js`); return true; }"
QUEUE_AND_PICK = """async () => {
  const { makeMutation } = await import("/static/js/mutation.js");
  const { addEntry } = await import("/static/js/outbox-store.js");
  const { nextBatch } = await import("/static/js/outbox-queue.js");
  const { currentUser } = await import("/static/js/config.js");
  const user = currentUser();
  const make = (entity, priority = null) => makeMutation({ device_id: "d", user_id: user, entity, op: "create",
    fields: {}, priority });
  for (const [entity, priority] of [["quick_note"], ["quick_note"], ["patrol_emergency", "high"], ["quick_note"]]) {
    await new Promise((resolve) => setTimeout(resolve, 5));  // distinct created_at: a backlog, then the emergency
    await addEntry(make(entity, priority));
  }
  return (await nextBatch(user, new Set(), 2)).map((e) => e.entity);
}"""


def test_high_priority_entries_go_in_the_first_batch(page, pwa, context):
    pwa.login(page, "officer")
    page.evaluate(LOAD, list(MODULES))  # loaded once, imports below resolve from the module map
    pwa.offline(context)  # keep the sync client from sending them meanwhile
    assert page.evaluate(QUEUE_AND_PICK) == ["patrol_emergency", "quick_note"]
    pwa.online(context)

"""The IndexedDB schema upgrades keep what the phone holds (STYLE.md; audit, issue 3): a phone still on the
version-1 database, with an unsynced entry, a photo and its cursor, opens the app's current code (version 2
adds an index); everything survives the upgrade, the entry is found by the new index and reaches the server."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from tests.browser.conftest import db_wait
from webapp.extensions import db
from webapp.notes.models import QuickNote

# What the first app version made (static/js/db.js, STEPS[0]), with a pending note of this user in it.
MAKE_V1 = """async ({ user, area, now }) => {
  await new Promise((resolve, reject) => {
    const del = indexedDB.deleteDatabase("patrolbook");
    del.onsuccess = resolve; del.onerror = () => reject(del.error);
  });
  const database = await new Promise((resolve, reject) => {
    const req = indexedDB.open("patrolbook", 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      const outbox = db.createObjectStore("outbox", { keyPath: "mutation_id" });
      outbox.createIndex("created_at", "created_at");
      outbox.createIndex("user_id", "user_id");
      db.createObjectStore("media", { keyPath: "id" }).createIndex("mutation_id", "mutation_id");
      db.createObjectStore("records", { keyPath: ["entity", "id"] });
      db.createObjectStore("meta");
      db.createObjectStore("notices", { keyPath: "id" });
      db.createObjectStore("drafts");
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const tx = database.transaction(["outbox", "media", "meta"], "readwrite");
  tx.objectStore("outbox").put({
    mutation_id: "7b0c6a52-4a59-4f43-9d0e-6c1c2b3a4d5e", device_id: "old-phone", entity: "quick_note",
    op: "create", record_id: "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b", base_version: null,
    fields: { area_id: area, text: "升级前离线写的随手记" }, label: "随手记", overlay_keys: [], photo_ids: [],
    priority: null, observed_at: now, created_at: now, user_id: String(user), status: "pending", attempts: 2,
    last_error: "network", errors: null });
  tx.objectStore("media").put({ id: "m-1", mutation_id: null, blob: new Blob(["x"]), created_at: now });
  tx.objectStore("meta").put(41, `cursor:${user}`);
  await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
  database.close();
  return database.version;
}"""

OPEN_WITH_THE_APP = """async (user) => {
  const { db, DB_VERSION } = await import("/static/js/db.js");
  const { nextBatch } = await import("/static/js/outbox-queue.js");
  const database = await db();
  const batch = await nextBatch(user, new Set());
  return { version: database.version, current: DB_VERSION,
           indexes: [...database.transaction("outbox").objectStore("outbox").indexNames],
           outbox: await database.getAll("outbox"), media: (await database.getAll("media")).length,
           cursor: await database.get("meta", `cursor:${user}`), batch: batch.map((e) => e.mutation_id) };
}"""


def test_a_version_1_outbox_survives_the_upgrade_and_syncs(page, pwa, app, users):
    from webapp.areas.models import Area

    with app.app_context():
        east = db.session.scalar(select(Area.id).where(Area.name == "东区"))
        db.session.remove()
    officer = users["officer"].id
    page.goto("/static/js/uuid.js")  # this origin, and no app code running yet
    made = page.evaluate(MAKE_V1, {"user": officer, "area": east, "now": datetime.now(UTC).isoformat()})
    assert made == 1

    opened = page.evaluate(OPEN_WITH_THE_APP, str(officer))
    assert opened["current"] >= 2 and opened["version"] == opened["current"]
    assert {"created_at", "user_id", "user_status"} <= set(opened["indexes"])
    [entry] = opened["outbox"]
    assert (entry["fields"]["text"], entry["status"], entry["attempts"]) == ("升级前离线写的随手记", "pending", 2)
    assert opened["media"] == 1 and opened["cursor"] == 41
    assert opened["batch"] == [entry["mutation_id"]], "the new index finds the old entry"

    pwa.login(page, "officer")  # the app itself, on the upgraded database, sends it
    pwa.wait_idb(page, "outbox", 0, timeout=15_000)
    assert db_wait(app, lambda: db.session.scalar(select(QuickNote.text).where(
        QuickNote.id == "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"))) == "升级前离线写的随手记"

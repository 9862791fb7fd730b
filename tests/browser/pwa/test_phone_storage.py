"""What the phone keeps, and keeping it when the browser lets go (issue 9, item 8).

* Pulled records were stored for every account in one store and never read: version 3 of the IndexedDB
  drops that store and keeps the outbox, photos, notices, drafts and each account's pull cursor.
* iOS Safari closes an IndexedDB connection under memory pressure, sometimes without a close event; every
  later transaction() on it throws InvalidStateError. Saving must go on over a fresh connection.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import select

from tests.browser.conftest import db_wait
from webapp.extensions import db
from webapp.notes.models import QuickNote

# What version 2 made (static/js/db.js, STEPS[0..1]), as a phone two accounts shared left it: both
# accounts' pulled records, pending entries and cursors, a photo and a draft.
MAKE_V2 = """async ({ officer, other, area, now }) => {
  await new Promise((resolve, reject) => {
    const del = indexedDB.deleteDatabase("patrolbook");
    del.onsuccess = resolve; del.onerror = () => reject(del.error);
  });
  const database = await new Promise((resolve, reject) => {
    const req = indexedDB.open("patrolbook", 2);
    req.onupgradeneeded = () => {
      const db = req.result;
      const outbox = db.createObjectStore("outbox", { keyPath: "mutation_id" });
      outbox.createIndex("created_at", "created_at");
      outbox.createIndex("user_id", "user_id");
      outbox.createIndex("user_status", ["user_id", "status"]);
      db.createObjectStore("media", { keyPath: "id" }).createIndex("mutation_id", "mutation_id");
      db.createObjectStore("records", { keyPath: ["entity", "id"] });
      db.createObjectStore("meta");
      db.createObjectStore("notices", { keyPath: "id" });
      db.createObjectStore("drafts");
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const stores = ["outbox", "media", "records", "meta", "notices", "drafts"];
  const tx = database.transaction(stores, "readwrite");
  const entry = (user, mutation_id, record_id, text) => ({
    mutation_id, device_id: "shared-phone", entity: "quick_note", op: "create", record_id, base_version: null,
    fields: { area_id: area, text }, label: "随手记", overlay_keys: [], photo_ids: [], priority: null,
    observed_at: now, created_at: now, user_id: String(user), status: "pending", attempts: 0,
    last_error: null, errors: null });
  tx.objectStore("outbox").put(entry(officer, "5d1c3b2a-1f0e-4d9c-8b7a-6a5b4c3d2e1f",
                                     "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", "两个账号的手机上写的随手记"));
  tx.objectStore("outbox").put(entry(other, "6e2d4c3b-2a1f-4e0d-9c8b-7b6c5d4e3f20",
                                     "8b9c0d1e-2f3a-4b4c-8d5e-6f7a8b9c0d1e", "另一个账号还没发出的随手记"));
  tx.objectStore("media").put({ id: "m-1", mutation_id: null, user_id: String(officer), blob: new Blob(["x"]),
                                created_at: now });
  tx.objectStore("records").put({ entity: "quick_note", id: "a", version: 1, fields: { text: "officer's" } });
  tx.objectStore("records").put({ entity: "quick_note", id: "b", version: 1, fields: { text: "the other's" } });
  tx.objectStore("meta").put(0, `cursor:${officer}`);
  tx.objectStore("meta").put(7, `cursor:${other}`);
  tx.objectStore("meta").put("shared-phone", "device_id");
  tx.objectStore("notices").put({ id: "n-1", user_id: String(other), kind: "conflict" });
  tx.objectStore("drafts").put({ values: { text: "半句话" }, at: 1 }, `${other}:note`);
  await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
  database.close();
  return database.version;
}"""

OPEN_WITH_THE_APP = """async () => {
  const { db, DB_VERSION } = await import("/static/js/db.js");
  const database = await db();
  const all = async (store) => database.getAll(store);
  return { version: database.version, current: DB_VERSION, stores: [...database.objectStoreNames],
           outbox: (await all("outbox")).map((e) => e.fields.text), media: (await all("media")).length,
           notices: (await all("notices")).length, drafts: (await all("drafts")).length,
           meta: Object.fromEntries(await Promise.all((await database.getAllKeys("meta"))
             .map(async (key) => [key, await database.get("meta", key)]))) };
}"""

STORES = """async () => {
  const database = await (await import("/static/js/db.js")).db();
  return [...database.objectStoreNames];
}"""

# The connection the page's modules share, closed the way iOS Safari does it: no close event.
CLOSE_SILENTLY = """async () => {
  const database = await (await import("/static/js/db.js")).db();
  database.close();
}"""

# Closed and then saving through the store facades: a write and a read, each on a closed connection.
CLOSE_THEN_WRITE_AND_READ = """async () => {
  const { db } = await import("/static/js/db.js");
  const { getMeta, setMeta } = await import("/static/js/outbox-store.js");
  (await db()).close();
  await setMeta("reopened", "yes");
  (await db()).close();
  return getMeta("reopened");
}"""


def area_id(app, name: str) -> int:
    from webapp.areas.models import Area

    with app.app_context():
        try:
            return db.session.scalar(select(Area.id).where(Area.name == name))
        finally:
            db.session.remove()


def note_text(app, record_id: str):
    return db_wait(app, lambda: db.session.scalar(select(QuickNote.text).where(QuickNote.id == record_id)))


def test_a_shared_phone_loses_the_pulled_records_and_keeps_everything_else(page, pwa, app, users):
    officer, other = users["officer"].id, users["officer2"].id
    page.goto("/static/js/uuid.js")  # this origin, and no app code running yet
    made = page.evaluate(MAKE_V2, {"officer": officer, "other": other, "area": area_id(app, "东区"),
                                   "now": datetime.now(UTC).isoformat()})
    assert made == 2

    opened = page.evaluate(OPEN_WITH_THE_APP)
    assert opened["version"] == opened["current"] >= 3
    assert "records" not in opened["stores"], "pulled records are gone, every account's"
    assert {"outbox", "media", "meta", "notices", "drafts"} <= set(opened["stores"])
    assert sorted(opened["outbox"]) == sorted(["两个账号的手机上写的随手记", "另一个账号还没发出的随手记"])
    assert (opened["media"], opened["notices"], opened["drafts"]) == (1, 1, 1)
    assert opened["meta"] == {f"cursor:{officer}": 0, f"cursor:{other}": 7, "device_id": "shared-phone"}

    pwa.login(page, "officer")  # the app, on the upgraded database, sends this account's entry and pulls
    [left] = pwa.wait_idb(page, "outbox", 1, timeout=15_000)
    assert left["user_id"] == str(other), "the other account's entry waits for its owner"
    assert note_text(app, "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d") == "两个账号的手机上写的随手记"
    end = time.monotonic() + 15
    while not (kept := page.evaluate(OPEN_WITH_THE_APP)["meta"])[f"cursor:{officer}"]:
        assert time.monotonic() < end, f"the pull never moved this account's cursor: {kept}"
        page.wait_for_timeout(100)
    assert kept[f"cursor:{other}"] == 7, "each account keeps its own cursor"
    assert "records" not in page.evaluate(STORES), "a pull keeps no records"


def test_a_note_saved_after_the_browser_closed_the_database_reaches_the_server(page, context, pwa, app):
    pwa.ready_offline(page, "officer", "/notes/new")
    pwa.offline(context)
    page.goto("/notes/new")
    page.fill("#f-text", "连接被关掉之后写的随手记")
    page.wait_for_timeout(400)  # the draft is written: the save is the next thing to touch the database
    page.evaluate(CLOSE_SILENTLY)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/notes/", timeout=10_000)
    page.wait_for_function("() => document.querySelector('[data-outbox-count]')?.textContent === '1'")
    [entry] = pwa.idb(page, "outbox")
    assert (entry["fields"]["text"], entry["status"]) == ("连接被关掉之后写的随手记", "pending")

    assert page.evaluate(CLOSE_THEN_WRITE_AND_READ) == "yes"

    page.evaluate(CLOSE_SILENTLY)  # the sync that follows meets a closed connection too
    pwa.online(context)
    page.wait_for_function("() => document.querySelector('[data-outbox-count]')?.hidden === true", timeout=15_000)
    assert pwa.wait_idb(page, "outbox", 0) == []
    assert note_text(app, entry["record_id"]) == "连接被关掉之后写的随手记"

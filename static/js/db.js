// The IndexedDB schema, opened through idb. STEPS[v] upgrades version v to v + 1: a step NEVER deletes or
// clears a store holding what exists nowhere else (the outbox, media, notices, drafts).
import "../vendor/idb-8.0.4/umd.js";  // idb's own minified build: defines globalThis.idb

const STEPS = [
  (db) => {
    const outbox = db.createObjectStore("outbox", { keyPath: "mutation_id" });
    outbox.createIndex("created_at", "created_at");
    outbox.createIndex("user_id", "user_id");
    db.createObjectStore("media", { keyPath: "id" }).createIndex("mutation_id", "mutation_id");
    db.createObjectStore("records", { keyPath: ["entity", "id"] });
    db.createObjectStore("meta");
    db.createObjectStore("notices", { keyPath: "id" });
    db.createObjectStore("drafts");
  },
  // v2: a user's pending entries without reading the whole outbox (other accounts' entries, those
  // waiting for a person), each sync run and each batch.
  (_db, tx) => {
    tx.objectStore("outbox").createIndex("user_status", ["user_id", "status"]);
  },
  // v3: pulled records were kept for every account in one store and never read: a copy of the server's,
  // gone. A pull now keeps only its cursor, per user (PROTOCOL.md, "Pull").
  (db) => {
    db.deleteObjectStore("records");
  },
];
export const DB_NAME = "patrolbook";
export const DB_VERSION = STEPS.length;

let opening = null;
const forget = (promise) => {
  if (opening === promise) opening = null;
};

// The open connection, opened on first use and again after the browser closed it.
export function db() {
  if (opening) return opening;
  const promise = globalThis.idb.openDB(DB_NAME, DB_VERSION, {
    upgrade(database, from, _to, tx) {
      for (let v = from; v < DB_VERSION; v++) STEPS[v](database, tx);
    },
    blocking(_from, _to, event) {  // a newer version wants to upgrade: let it
      event.target.close();
      forget(promise);
    },
    terminated() { forget(promise); },  // closed by the browser (storage cleared, memory pressure)
  });
  promise.catch(() => forget(promise));  // a failed open is tried again next time
  return (opening = promise);
}

// A transaction on the connection. iOS Safari closes connections under memory pressure, sometimes
// without a close event: transaction() then throws InvalidStateError, and one fresh connection is tried.
export async function transaction(stores, mode = "readonly") {
  const promise = db();
  try {
    return (await promise).transaction(stores, mode);
  } catch (error) {
    if (error?.name !== "InvalidStateError") throw error;
    forget(promise);
    return (await db()).transaction(stores, mode);
  }
}

// One read from one store (or one of its indexes): read("outbox", (s) => s.index("created_at").getAll()).
export const read = async (store, fn) => fn((await transaction(store)).store);

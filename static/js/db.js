// The IndexedDB schema, opened once through idb. STEPS[v] upgrades version v to v + 1: steps only add,
// they NEVER delete or clear a store holding user data (the outbox and media exist nowhere else).
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
];
export const DB_NAME = "patrolbook";
export const DB_VERSION = STEPS.length;

let opening = null;
export const db = () => (opening ||= globalThis.idb.openDB(DB_NAME, DB_VERSION, {
  upgrade(database, from, _to, tx) {
    for (let v = from; v < DB_VERSION; v++) STEPS[v](database, tx);
  },
  blocking(_from, _to, event) {  // a newer version wants to upgrade: let it
    event.target.close();
    opening = null;
  },
  terminated() { opening = null; },
}));

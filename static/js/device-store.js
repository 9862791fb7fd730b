// Store facade for the rest of what the phone keeps: its device id, photo blobs, notices, pulled
// records and drafts.
import { db } from "./db.js";
import { getMeta, write } from "./outbox-store.js";
import { uuid } from "./uuid.js";

export async function deviceId() {
  let id = await getMeta("device_id");
  if (!id) {
    id = uuid();
    await write("meta", async (tx) => {  // two tabs racing: the first id written wins
      id = (await tx.store.get("device_id")) || id;
      await tx.store.put(id, "device_id");
    }, { type: "meta" });
  }
  return id;
}

export const putMedia = (record) => write("media", (tx) => tx.store.put(record), { type: "media" });
export const allMedia = async () => (await db()).getAll("media");
export const deleteMedia = (id) => write("media", (tx) => tx.store.delete(id), { type: "media" });

export const notices = async () => (await db()).getAll("notices");
export const dismissNotice = (id) => write("notices", (tx) => tx.store.delete(id), { type: "notices" });

// Pulled changes and the new cursor, written together.
export const applyChanges = (changes, cursorKey, cursor) => write(["records", "meta"], async (tx) => {
  const records = tx.objectStore("records");
  for (const c of changes) {
    if (c.op === "delete") await records.delete([c.entity, String(c.id)]);
    else await records.put({ entity: c.entity, id: String(c.id), version: c.version, fields: c.fields || {} });
  }
  await tx.objectStore("meta").put(cursor, cursorKey);
}, { type: "records" });

export const getDraft = async (key) => (await db()).get("drafts", key);
export const putDraft = (key, value) => write("drafts", (tx) => tx.store.put(value, key), { type: "draft" });
export const deleteDraft = (key) => write("drafts", (tx) => tx.store.delete(key), { type: "draft" });

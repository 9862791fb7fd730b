// Store facade for the rest of what the phone keeps: its device id, photo blobs, notices and drafts.
import { read } from "./db.js";
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
export const allMedia = () => read("media", (s) => s.getAll());
export const deleteMedia = (id) => write("media", (tx) => tx.store.delete(id), { type: "media" });

export const notices = () => read("notices", (s) => s.getAll());
export const dismissNotice = (id) => write("notices", (tx) => tx.store.delete(id), { type: "notices" });

export const getDraft = (key) => read("drafts", (s) => s.get(key));
export const putDraft = (key, value) => write("drafts", (tx) => tx.store.put(value, key), { type: "draft" });
export const deleteDraft = (key) => write("drafts", (tx) => tx.store.delete(key), { type: "draft" });

// Store facade for the outbox and meta (what every page reads). Writes resolve only once their
// transaction has completed, then every tab (and the worker) hears what changed.
import { read, transaction } from "./db.js";

const bus = typeof BroadcastChannel === "function" ? new BroadcastChannel("pb-outbox") : null;
const listeners = new Set();
export const onChange = (fn) => listeners.add(fn);
export function announce(detail) {
  listeners.forEach((fn) => fn(detail));
  bus?.postMessage(detail);
}
if (bus) bus.onmessage = (e) => listeners.forEach((fn) => fn(e.data));

export async function write(stores, fn, detail = { type: "outbox" }) {
  const tx = await transaction(stores, "readwrite");
  let result;
  try {
    result = await fn(tx);
  } catch (error) {
    tx.done.catch(() => null);
    try { tx.abort(); } catch { /* already finished */ }
    throw error;
  }
  await tx.done;
  announce(detail);
  return result;
}

// Outbox entries, oldest first.
export const entries = () => read("outbox", (s) => s.index("created_at").getAll());

export async function counts(user) {
  const c = { pending: 0, attention: 0, others: 0 };
  for (const e of await entries()) {
    if (e.user_id !== String(user)) c.others++;
    else c[e.status === "attention" ? "attention" : "pending"]++;
  }
  return c;
}

// Save an entry (replacing a fixed one); the photos it names become its media, in the same transaction.
export const addEntry = (entry, replaces = null) => write(["outbox", "media"], async (tx) => {
  const [outbox, media] = [tx.objectStore("outbox"), tx.objectStore("media")];
  if (replaces) await outbox.delete(replaces);
  await outbox.add(entry);
  for (const id of entry.photo_ids || []) {
    const photo = await media.get(id);
    if (photo) await media.put({ ...photo, mutation_id: entry.mutation_id });
  }
});

// Remove entries; when discarding, also their photos that never left the phone.
export const removeEntries = (ids, { withMedia = false } = {}) => write(["outbox", "media"], async (tx) => {
  const media = tx.objectStore("media");
  for (const id of ids) {
    await tx.objectStore("outbox").delete(id);
    if (withMedia) for (const key of await media.index("mutation_id").getAllKeys(id)) await media.delete(key);
  }
});

export const getMeta = (key) => read("meta", (s) => s.get(key));
// This user's entries the server has taken lately (outbox-queue.js keeps them for the pages' overlays).
export const syncedKey = (user) => `synced:${user}`;
export const setMeta = (key, value, detail = { type: "meta", key }) =>
  write("meta", (tx) => tx.store.put(value, key), detail);

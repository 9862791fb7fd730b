// Queue policy: FIFO batches of this user's pending entries, high priority (emergencies, R-PAT-5) first,
// and what each server answer does to them.
// Nothing leaves the outbox until the server has confirmed it.
import { read, transaction } from "./db.js";
import { announce, syncedKey } from "./outbox-store.js";

export const BATCH = 200;
// A batch that failed this many times on a server error is halved until the failing entry travels alone;
// an entry failing alone once it has failed this many times waits under "needs attention" (PROTOCOL.md).
export const SPLIT_AFTER = 3;
export const ATTENTION_AFTER = 5;
const SYNCED_KEEP = 36 * 3600 * 1000;
const SYNCED_MAX = 200;
const DONE = new Set(["applied", "duplicate", "merged"]);
const ATTENTION = new Set(["rejected", "forbidden"]);

const urgent = (e) => (e.priority === "high" ? 0 : 1);

const older = (a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0);

export async function nextBatch(user, skip, size = BATCH) {
  return (await read("outbox", (s) => s.index("user_status").getAll([String(user), "pending"])))
    .filter((e) => !skip.has(e.mutation_id))
    .sort((a, b) => urgent(a) - urgent(b) || older(a, b))  // oldest first within each priority
    .slice(0, size);
}

async function update(fn) {
  const tx = await transaction(["outbox", "notices", "meta"], "readwrite");
  const summary = await fn(tx.objectStore("outbox"), tx.objectStore("notices"), tx.objectStore("meta"));
  await tx.done;
  announce({ type: "outbox" });
  return summary;
}

// A 200 from /sync/push: per-mutation results.
export function applyResults(batch, results) {
  const byId = new Map(batch.map((e) => [e.mutation_id, e]));
  return update(async (outbox, notices, meta) => {
    const summary = { done: 0, conflicts: 0, attention: 0 };
    const done = [];
    for (const r of results || []) {
      const entry = byId.get(r.mutation_id);
      if (!entry) continue;
      if (DONE.has(r.status)) {
        await outbox.delete(entry.mutation_id);
        done.push(entry);
        summary.done++;
      } else if (r.status === "conflict") {
        await outbox.delete(entry.mutation_id);
        await notices.put({ id: entry.mutation_id, kind: "conflict", conflict_id: r.conflict_id ?? null,
          label: entry.label, entity: entry.entity, observed_at: entry.observed_at, user_id: entry.user_id,
          message: r.message || null, at: new Date().toISOString() });
        summary.conflicts++;
      } else if (ATTENTION.has(r.status)) {
        await outbox.put({ ...entry, status: "attention", attempts: entry.attempts + 1,
          last_error: r.message || r.status, errors: r.errors || null });
        summary.attention++;
      }
    }
    await rememberSynced(meta, done);
    return summary;
  });
}

// What the server has now, kept a day for this phone's pages: a page rendered before the sync goes on
// showing it as done (static/js/overlays.js), in the same transaction that takes it out of the outbox.
async function rememberSynced(meta, done) {
  const shown = done.filter((e) => e.overlay_keys?.length);
  if (!shown.length) return;
  const now = Date.now();
  const key = syncedKey(shown[0].user_id);
  const kept = ((await meta.get(key)) || []).filter((e) => now - e.synced_at < SYNCED_KEEP);
  const added = shown.map(({ mutation_id, record_id, overlay_keys, summary, observed_at, photo_ids }) =>
    ({ mutation_id, record_id, overlay_keys, summary, observed_at, photos: photo_ids?.length || 0, synced_at: now }));
  await meta.put([...kept, ...added].slice(-SYNCED_MAX), key);
}

// The whole batch was refused (400/403/413/422): the envelope is wrong, a person must look.
export const markAttention = (batch, message, errors = null) => update(async (outbox) => {
  for (const e of batch) await outbox.put({ ...e, status: "attention", attempts: e.attempts + 1, last_error: message, errors });
});

// Network error or 5xx: the entries stay as they are; only note the attempt.
export const noteFailure = (batch, message) => update(async (outbox) => {
  for (const e of batch) {
    const current = await outbox.get(e.mutation_id);
    if (current) await outbox.put({ ...current, attempts: current.attempts + 1, last_error: message });
  }
});

// What crosses the wire (the rest of an entry stays on the phone).
export const toWire = ({ mutation_id, entity, record_id, op, base_version, fields, observed_at }) =>
  ({ mutation_id, entity, record_id, op, base_version, fields, observed_at });

// 1 s doubling to 5 min, with ±50 % jitter.
export function backoff(previous) {
  const delay = Math.min(previous ? previous * 2 : 1000, 300000);
  return { delay, wait: Math.round(delay * (0.5 + Math.random())) };
}

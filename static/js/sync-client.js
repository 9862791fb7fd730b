// The sync client: whoami → push the outbox → upload photos → pull changes. One run at a time across
// tabs and the service worker (Web Locks). No DOM here: it also runs inside the service worker.
import { allMedia, deleteMedia, deviceId, putMedia } from "./device-store.js";
import { applyResults, ATTENTION_AFTER, backoff, BATCH, markAttention, nextBatch, noteFailure, SPLIT_AFTER, toWire }
  from "./outbox-queue.js";
import { announce, counts, getMeta, setMeta } from "./outbox-store.js";

// Network error or 5xx: keep everything, try again later. `status` and the server's `message` when it answered.
class Retry extends Error {
  constructor(message, status = null, serverMessage = null) {
    super(message);
    Object.assign(this, { status, serverMessage });
  }
}
const DAY = 864e5;

async function call(url, init = {}) {
  let res;
  try {
    res = await fetch(url, { credentials: "same-origin", cache: "no-store", ...init,
      headers: { Accept: "application/json", ...init.headers } });
  } catch {
    throw new Retry("network");
  }
  const body = (res.headers.get("Content-Type") || "").includes("json") ? await res.json().catch(() => null) : null;
  if (res.status >= 500 || res.status === 408 || res.status === 429) {
    throw new Retry(`HTTP ${res.status}`, res.status, body?.error?.message || null);
  }
  return { status: res.status, body, redirected: res.redirected };
}

const csrfFailed = (r) => (r.status === 400 || r.status === 403) && /csrf/i.test(JSON.stringify(r.body?.error || ""));
const errorOf = (r) => [r.body?.error?.message || `HTTP ${r.status}`, r.body?.error?.errors || null];

async function whoami(cfg) {
  const r = await call(cfg.urls.whoami);
  if (r.status === 200 && r.body?.user_id != null && !r.redirected) return r.body;
  if (r.status === 401 || r.status === 403 || r.redirected) return null;
  throw new Retry(`HTTP ${r.status}`);
}

async function push(cfg, who, user) {
  const device_id = await deviceId();
  const skip = new Set();
  const total = (await counts(user)).pending;
  let done = 0, size = BATCH, csrfRetried = false, changed = false, skew = null, failed = null;
  announce({ type: "progress", done, total });
  for (let batch; (batch = await nextBatch(user, skip, size)).length; ) {
    let r;
    try {
      r = await call(cfg.urls.push, { method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": who.csrf_token },
        body: JSON.stringify({ device_id, mutations: batch.map(toWire) }) });
    } catch (error) {
      await noteFailure(batch, error.message);
      // A batch the server keeps failing on (a poison entry, a server bug) must not block the outbox:
      // halve it until the culprit travels alone; set that one aside, let the rest sync.
      const isolate = isolation(batch, error);
      if (isolate === "split") {
        size = Math.ceil(batch.length / 2);
        continue;
      }
      if (isolate === "alone") {
        const [entry] = batch;
        if (entry.attempts + 1 >= ATTENTION_AFTER) await markAttention(batch, error.serverMessage || error.message);
        else failed = error.message;
        skip.add(entry.mutation_id);
        continue;
      }
      throw error;
    }
    if (r.status === 401) return { state: "login" };
    if (csrfFailed(r) && !csrfRetried) {
      csrfRetried = true;
      const again = await whoami(cfg);
      if (!again) return { state: "login" };
      who.csrf_token = again.csrf_token;
      continue;
    }
    if (r.status === 413 && size > 1) {  // too big: halve the batch and try again
      size = Math.ceil(batch.length / 2);
      continue;
    }
    if (r.status === 200 && r.body) {
      const s = await applyResults(batch, r.body.results);
      changed ||= s.done + s.conflicts > 0;
      if (typeof r.body.clock_skew_seconds === "number") skew = r.body.clock_skew_seconds;
    } else if ([400, 403, 413, 422].includes(r.status)) {
      await markAttention(batch, ...errorOf(r));
    } else {
      await noteFailure(batch, `HTTP ${r.status}`);
      throw new Retry(`HTTP ${r.status}`);
    }
    batch.forEach((e) => skip.add(e.mutation_id));  // anything the server did not answer waits for the next run
    done = Math.min(done + batch.length, total);
    announce({ type: "progress", done, total });
  }
  return { state: "ok", changed, skew, failed };
}

// What to do after a failed push: "split" the batch, set a lone entry aside ("alone"), or stop and retry later.
// Only the server failing on content counts: not the network, and not 503 (busy: the whole server waits).
function isolation(batch, error) {
  if (!(error instanceof Retry) || !(error.status >= 500) || error.status === 503) return null;
  if (batch.length === 1) return "alone";
  return batch.some((e) => e.attempts + 1 >= SPLIT_AFTER) ? "split" : null;
}

// Photos in flight at once: one at a time leaves a 4G uplink idle for a round trip between photos; a few
// fill it (a day's 20 photos, 4.2 MB over 10 Mbit/s, 50 ms: 4.6–5.4 s → 3.5–4.1 s, the link's floor 3.4 s;
// 6 or 8 at once gain nothing more. tests/perf/test_throttled_day.py).
const UPLOADS = 4;

// → {state: "ok" | "login", failed?}: a photo the server keeps failing on is set aside like a poison entry.
// A photo leaves the phone only once the server has it. When one answer ends the run (a login needed, the
// network gone, a CSRF refusal), no further upload starts and those in flight finish before it ends.
async function uploadMedia(cfg, who, user) {
  const queue = [];
  for (const m of await allMedia()) {
    if (!m.mutation_id) {  // a photo whose form was never saved
      if (Date.now() - Date.parse(m.created_at) > DAY) await deleteMedia(m.id);
    } else if (m.user_id === user && m.status !== "attention") {
      queue.push(m);
    }
  }
  let failed = null, end = null;
  const worker = async () => {
    for (let m; !end && (m = queue.shift()); ) {
      try {
        const outcome = await uploadOne(cfg, who, m);
        if (outcome.login) end ||= { state: "login" };
        failed ||= outcome.failed || null;
      } catch (error) {
        end ||= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(cfg.uploads || UPLOADS, queue.length) }, worker));
  if (end?.error) throw end.error;
  return end || { state: "ok", failed };
}

// One photo → {} (sent, or set aside for a person), {failed} (try again next run) or {login}; throws what ends the run.
async function uploadOne(cfg, who, m) {
  let r;
  try {
    r = await call(cfg.urls.media + encodeURIComponent(m.id), { method: "PUT", body: m.blob,
      headers: { "Content-Type": m.type, "X-Content-SHA256": m.sha256, "X-CSRFToken": who.csrf_token } });
  } catch (error) {
    if (isolation([m], error) !== "alone") throw error;
    const attempts = (m.attempts || 0) + 1;
    const attention = attempts >= ATTENTION_AFTER ? { status: "attention", message: error.serverMessage || error.message } : {};
    await putMedia({ ...m, attempts, ...attention });
    return attention.status ? {} : { failed: error.message };
  }
  if (r.status >= 200 && r.status < 300) await deleteMedia(m.id);
  else if (r.status === 401) return { login: true };
  else if (csrfFailed(r)) throw new Retry("csrf");
  else await putMedia({ ...m, status: "attention", message: errorOf(r)[0] });
  return {};
}

// Pulled records are not kept (nothing on the phone reads them): a pull only tells whether something changed
// in this user's scope, so the cached offline pages are refreshed at once. The cursor is kept per user.
async function pull(cfg, user) {
  const key = `cursor:${user}`;
  let cursor = (await getMeta(key)) ?? 0, changed = false;
  for (let page = 0; page < 100; page++) {
    const r = await call(`${cfg.urls.pull}?cursor=${encodeURIComponent(cursor)}`);
    if (r.status === 401) return { state: "login" };
    if (r.status !== 200 || !r.body) throw new Retry(`HTTP ${r.status}`);
    const changes = r.body.changes || [];
    const next = r.body.cursor ?? cursor;
    await setMeta(key, next);
    changed ||= changes.length > 0;
    if (!r.body.more || next === cursor) break;
    cursor = next;
  }
  return { state: "ok", changed };
}

async function finish(previous, result) {
  const now = Date.now();
  const state = { ...previous, state: result.state, at: now, login: result.state === "login" };
  if (result.user) state.user = result.user;
  if (result.skew != null) state.skew = result.skew;
  if (result.state === "ok") Object.assign(state, { last_ok: now, delay: 0, retry_at: 0, error: null });
  if (result.state === "retry") {
    const { delay, wait } = backoff(previous.delay);
    Object.assign(state, { delay, retry_at: now + wait, error: result.error });
  }
  await setMeta("sync", state, { type: "sync" });
  return { ...result, retry_at: state.retry_at };
}

async function sync(cfg, { force = false } = {}) {
  const previous = (await getMeta("sync")) || {};
  if (!force && previous.retry_at > Date.now()) return { state: "wait", retry_at: previous.retry_at };
  if (globalThis.navigator?.onLine === false) {
    announce({ type: "sync" });
    return { state: "offline" };
  }
  try {
    const who = await whoami(cfg);
    if (!who) return finish(previous, { state: "login" });
    const user = String(who.user_id);
    const serverTime = Date.parse(who.server_time);
    let skew = Number.isNaN(serverTime) ? null : Math.round((serverTime - Date.now()) / 1000);
    const pushed = await push(cfg, who, user);
    if (pushed.state !== "ok") return finish(previous, { ...pushed, user });
    skew = pushed.skew ?? skew;
    const uploaded = await uploadMedia(cfg, who, user);
    if (uploaded.state === "login") return finish(previous, { state: "login", user });
    const pulled = await pull(cfg, user);
    if (pulled.state !== "ok") return finish(previous, { ...pulled, user });
    const changed = pushed.changed || pulled.changed, failed = pushed.failed || uploaded.failed;
    if (failed) return finish(previous, { state: "retry", error: failed, user, skew, changed });
    return finish(previous, { state: "ok", user, skew, changed });
  } catch (error) {
    if (!(error instanceof Retry)) console.error("sync failed", error);
    return finish(previous, { state: "retry", error: error.message });
  }
}

let running = null;
let again = null;
// runSync(cfg, {force}) → {state: ok|login|retry|wait|offline|busy, user?, changed?, retry_at?}
// Asked while a run is going (a save or a resend during the start-up sync): one more run follows it, so
// what was added meanwhile does not wait for the next trigger.
export function runSync(cfg, options = {}) {
  if (running) {
    again ||= running.then(() => { again = null; return runSync(cfg, options); });
    return again;
  }
  running = (navigator.locks
    ? navigator.locks.request("pb-sync", { ifAvailable: true }, (lock) => (lock ? sync(cfg, options) : { state: "busy" }))
    : sync(cfg, options)
  ).finally(() => { running = null; });
  return running;
}

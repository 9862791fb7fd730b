// Work saved on this phone shows at once on every page, as the server will show it once it has it, and
// still after the sync on a page rendered before it. The markup a page uses (data-overlay-key/-status/-hide/
// -show, data-count, data-overlay-list) is described in webapp/README.md, "Work saved on the phone".
import { currentUser, renderedAt, t } from "./config.js";
import { entries, getMeta, syncedKey } from "./outbox-store.js";

const MARGIN = 10000;  // a page rendered this close after a sync may still predate it (clock skew)

// The entries this page shows: this user's outbox (pending; not those the server refused, which wait for a
// person on the outbox page), then those synced since the page was rendered.
async function shown(user) {
  const [queued, synced, sync] = await Promise.all([entries(), getMeta(syncedKey(user)), getMeta("sync")]);
  const rendered = renderedAt() - (sync?.skew || 0) * 1000;  // on the phone's clock
  return [
    ...queued.filter((e) => e.user_id === user && e.status !== "attention").map((e) => ({ ...e, state: "pending" })),
    ...(synced || []).filter((e) => !rendered || rendered < e.synced_at + MARGIN).map((e) => ({ ...e, state: "synced" })),
  ];
}

function chip(slot, state) {
  let el = slot.querySelector(":scope > [data-overlay-chip]");
  if (!state) return el?.remove();
  if (!el) {
    el = document.createElement("span");
    el.dataset.overlayChip = "";
    slot.append(el);
  }
  el.className = state === "pending" ? "chip chip-pending" : "chip chip-done";
  el.textContent = t(state === "pending" ? "pendingChip" : "syncedChip");
}

// state: "pending" (in the outbox), "synced" (on the server, not yet in this page) or null.
export function mark(el, state) {
  el.classList.toggle("is-pending", state === "pending");
  el.classList.toggle("is-synced", state === "synced");
  if (el.dataset.overlayStatus) {
    el.dataset.serverStatus ??= el.dataset.status || "";
    el.dataset.status = state ? el.dataset.overlayStatus : el.dataset.serverStatus;
  }
  el.querySelectorAll("[data-overlay-hide]").forEach((h) => { h.hidden = Boolean(state); });
  el.querySelectorAll("[data-overlay-show]").forEach((s) => { s.hidden = !state; });
  chip(el.querySelector("[data-overlay-slot]") || el, state);
}

function count(el) {
  const wanted = (el.dataset.countStatus || "done").split(/\s+/);
  const n = [...document.querySelectorAll(el.dataset.count)].filter((row) => wanted.includes(row.dataset.status)).length;
  const text = n === 0 && el.dataset.countZero ? el.dataset.countZero
    : el.dataset.countText ? el.dataset.countText.replace("{n}", n) : String(n);
  if (el.textContent !== text) el.textContent = text;
}

let runs = 0;

export async function applyOverlays() {
  const run = ++runs;
  const all = await shown(currentUser());
  if (run !== runs) return;  // a later run has read newer entries: only it may paint
  const state = new Map();
  for (const e of all) for (const k of e.overlay_keys || []) if (!state.has(k)) state.set(k, e.state);  // pending first
  for (const el of document.querySelectorAll("[data-overlay-key]")) {
    const keys = el.dataset.overlayKey.split(/\s+/).filter(Boolean);
    const states = keys.map((k) => state.get(k));
    mark(el, states.includes("pending") ? "pending" : states.includes("synced") ? "synced" : null);
  }
  const lists = document.querySelectorAll("[data-overlay-list]");
  if (lists.length) {
    const { renderLists } = await import("./overlay-lists.js");
    if (run === runs) renderLists(lists, all);
  }
  document.querySelectorAll("[data-count]").forEach(count);
}

// Work saved on this phone shows at once, on every page, as the server will show it once it has it — and
// goes on showing after the sync until the page is one the server rendered since (then it shows it itself).
// A domain only marks up its pages; an outbox entry carries `overlay_keys` (data-overlay-key of its form,
// "{day}" = the estate's day) and, for lists, a `summary` (data-summary-title and [data-summary] fields):
//
//   [data-overlay-key="k1 k2"]  an element an entry with one of those keys completes: .is-pending (待同步 chip)
//                               or .is-synced (已同步), the chip in its [data-overlay-slot] or at its end;
//     data-overlay-status="done"  its data-status becomes "done" (the server's stays in data-server-status)
//     [data-overlay-hide]         inside it: hidden meanwhile (the 开始巡查 button, the 逾期 chip)
//     [data-overlay-show hidden]  inside it: shown meanwhile (the 已完成 chip)
//   [data-count="selector"]     the number of elements matching selector whose data-status is one of
//                               data-count-status; shown as is, or in data-count-text ("{n}"), or as
//                               data-count-zero at 0 — so counts follow the rows above
//   [data-overlay-list="k"]     an entry with key k and a summary is a list item at its top (title · time,
//                               its lines, the chip), until the list holds its record ([data-record=id]);
//                               its [data-overlay-empty] item is hidden meanwhile
//
// Synced entries are kept a day (outbox-queue.js) and shown only on pages rendered before their sync.
import { currentUser, renderedAt, t } from "./config.js";
import { entries, getMeta, syncedKey } from "./outbox-store.js";

const MARGIN = 10000;  // a page rendered this close after a sync may still predate it (clock skew)

// The entries this page shows: this user's outbox (pending), then those synced since it was rendered.
async function shown(user) {
  const [queued, synced, sync] = await Promise.all([entries(), getMeta(syncedKey(user)), getMeta("sync")]);
  const rendered = renderedAt() - (sync?.skew || 0) * 1000;  // on the phone's clock
  return [
    ...queued.filter((e) => e.user_id === user).map((e) => ({ ...e, state: "pending" })),
    ...(synced || []).filter((e) => !rendered || rendered < e.synced_at + MARGIN).map((e) => ({ ...e, state: "synced" })),
  ];
}

function chip(slot, state, selector = ":scope > [data-overlay-chip]") {
  let el = slot.querySelector(selector);
  if (!state) return el?.remove();
  if (!el) {
    el = document.createElement("span");
    el.dataset.overlayChip = "";
    slot.append(el);
  }
  el.className = state === "pending" ? "chip chip-pending" : "chip chip-done";
  el.textContent = t(state === "pending" ? "pendingChip" : "syncedChip");
}

function mark(el, state) {
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

// "2026-12-06T10:42:05.120+08:00" → "2026-12-06 10:42", as the officer saw it.
const when = (iso) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : "");

function item(entry) {
  const li = document.createElement("li");
  li.className = "list-item";
  li.dataset.overlayEntry = entry.mutation_id;
  const stack = li.appendChild(document.createElement("span"));
  stack.className = "stack";
  stack.appendChild(document.createElement("strong")).textContent =
    [entry.summary.title, when(entry.observed_at)].filter(Boolean).join(" · ");
  const photos = entry.photos ?? entry.photo_ids?.length ?? 0;
  const lines = [...entry.summary.lines || [], ...(photos && entry.state === "pending" ? [t("photosWaiting", { n: photos })] : [])];
  for (const line of lines) {
    const span = stack.appendChild(document.createElement("span"));
    span.className = "muted";
    span.textContent = line;
  }
  return li;
}

function list(el, shownEntries) {
  const key = el.dataset.overlayList;
  const held = (e) => el.querySelector(`[data-record="${CSS.escape(e.record_id || "")}"]`);
  const wanted = shownEntries.filter((e) => e.summary && e.overlay_keys?.includes(key) && !held(e))
    .sort((a, b) => (a.observed_at < b.observed_at ? -1 : 1));
  const ids = new Set(wanted.map((e) => e.mutation_id));
  el.querySelectorAll(":scope > [data-overlay-entry]").forEach((li) => ids.has(li.dataset.overlayEntry) || li.remove());
  for (const entry of wanted) {  // oldest first, each to the top: the newest ends up first
    const old = el.querySelector(`:scope > [data-overlay-entry="${CSS.escape(entry.mutation_id)}"]`);
    const li = item(entry);
    mark(li, entry.state);
    if (old) old.replaceWith(li);
    else el.prepend(li);
  }
  el.querySelectorAll(":scope > [data-overlay-empty]").forEach((e) => { e.hidden = wanted.length > 0; });
}

export async function applyOverlays() {
  const all = await shown(currentUser());
  const state = new Map();
  for (const e of all) for (const k of e.overlay_keys || []) if (!state.has(k)) state.set(k, e.state);  // pending first
  for (const el of document.querySelectorAll("[data-overlay-key]")) {
    const keys = el.dataset.overlayKey.split(/\s+/).filter(Boolean);
    const states = keys.map((k) => state.get(k));
    mark(el, states.includes("pending") ? "pending" : states.includes("synced") ? "synced" : null);
  }
  document.querySelectorAll("[data-overlay-list]").forEach((el) => list(el, all));
  document.querySelectorAll("[data-count]").forEach(count);
}

// What a saved form shows where its record will be listed (data-overlay-list): the form's
// data-summary-title and a line per [data-summary] element — its label, then what was entered or chosen
// (a fieldset: its ticked choices), or its data-summary-empty when nothing was.
export function summaryOf(form) {
  if (!("summaryTitle" in form.dataset)) return null;
  const lines = [];
  for (const el of form.querySelectorAll("[data-summary]")) {
    const values = valuesOf(el);
    if (values.length) lines.push([el.dataset.summary, values.join("、")].filter(Boolean).join(" "));
    else if (el.dataset.summaryEmpty) lines.push(el.dataset.summaryEmpty);
  }
  return { title: form.dataset.summaryTitle, lines };
}

function valuesOf(el) {
  if (el instanceof HTMLSelectElement) return el.value ? [el.selectedOptions[0].text.trim()] : [];
  if (el.matches("input, textarea")) return el.value.trim() ? [el.value.trim()] : [];
  return [...el.querySelectorAll("input:checked")].map((i) => (i.closest("label")?.textContent || i.value).trim());
}

// The list half of the overlays (overlays.js): an entry saved on this phone, with a summary, is an item
// of the lists its keys name ([data-overlay-list]) until the page holds its record ([data-record]); the
// summary is made from the form when it is saved (summaryOf). See webapp/README.md, "Work saved on the phone".
import { t } from "./config.js";
import { mark } from "./overlays.js";

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
  if (lines.length) {  // laid out as the server lists a record: the title, then its details in one muted line
    const span = document.createElement("span");
    span.className = "muted";
    span.textContent = lines.join(" · ");
    stack.append(" ", span);
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

export function renderLists(lists, shownEntries) {
  lists.forEach((el) => list(el, shownEntries));
}

// What a saved form shows where its record will be listed (data-overlay-list): the form's
// data-summary-title and a line per [data-summary] element — its label, then what was entered or chosen
// (a fieldset: its ticked choices — those matching its data-summary-pick — by their data-summary-label),
// or its data-summary-empty when nothing was; data-summary-if="name":
// only when the form's field of that name has a value.
export function summaryOf(form) {
  if (!("summaryTitle" in form.dataset)) return null;
  const lines = [];
  for (const el of form.querySelectorAll("[data-summary]")) {
    if (el.dataset.summaryIf && !form.elements[el.dataset.summaryIf]?.value) continue;
    const values = valuesOf(el);
    if (values.length) lines.push([el.dataset.summary, values.join("、")].filter(Boolean).join(" "));
    else if (el.dataset.summaryEmpty) lines.push(el.dataset.summaryEmpty);
  }
  return { title: form.dataset.summaryTitle, lines };
}

function valuesOf(el) {
  if (el instanceof HTMLSelectElement) return el.value ? [el.selectedOptions[0].text.trim()] : [];
  if (el.matches("input, textarea")) return el.value.trim() ? [el.value.trim()] : [];
  const pick = el.dataset.summaryPick || "input";  // e.g. only the 不合格 answers of a checklist
  return [...el.querySelectorAll(pick)].filter((i) => i.checked)
    .map((i) => (i.dataset.summaryLabel || i.closest("label")?.textContent || i.value).trim());
}

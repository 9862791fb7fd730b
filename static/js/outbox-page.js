// The outbox page (/outbox): what is stored on this phone, from IndexedDB. Pending entries; entries that
// need attention, with the server's message, an editor to fix and resend (a new mutation_id) or discard;
// other accounts' entries; conflict notices.
import { currentUser, hhmm, t } from "./config.js";
import { uuid } from "./uuid.js";
import { allMedia, dismissNotice, notices } from "./device-store.js";
import { addEntry, entries, onChange, removeEntries } from "./outbox-store.js";
import { toast } from "./toast.js";

function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (v != null && v !== false) el.setAttribute(k, v === true ? "" : v);
  }
  el.append(...children.flat(Infinity).filter((c) => c != null && c !== false));
  return el;
}

const when = (iso) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso
    : `${d.toLocaleDateString(document.documentElement.lang || undefined, { month: "long", day: "numeric" })} ${hhmm(d)}`;
};
const errorText = (e) => (e === "network" ? t("networkError") : /^HTTP (\d+)$/.test(e || "") ? t("serverError", { status: e.slice(5) }) : e);
const show = (v) => (typeof v === "string" ? v : JSON.stringify(v));

// How people call each kind of record and its fields (the server's EntityWords, #pb-entities): never a code.
let kinds = null;
const wordsOf = (entity) => {
  kinds ??= JSON.parse(document.getElementById("pb-entities")?.textContent || "{}");
  return kinds[entity] || { label: t("record"), fields: {}, values: {}, summary: [] };
};
const fieldLabel = (entry, name) => (name === "observed_at" ? t("observed") : wordsOf(entry.entity).fields[name] || name);
const FIRST_WORDS = 40;
const firstWords = (text) => {
  const words = text.trim().replace(/\s+/g, " ");
  return words.length > FIRST_WORDS ? `${words.slice(0, FIRST_WORDS)}…` : words;
};
// Which one it is: the form's label without the kind it starts with (a place, a unit), and the entry's own
// summary fields that are text — coded ones by their labels (火警), the rest as their first words.
function which(entry) {
  const { label, summary, values = {} } = wordsOf(entry.entity);
  const own = (entry.label || "").trim();
  const place = own === label ? "" : own.startsWith(`${label} · `) ? own.slice(label.length + 3) : own;
  const texts = summary.map((name) => [name, entry.fields?.[name]])
    .filter(([, v]) => typeof v === "string" && v.trim())
    .map(([name, v]) => values[name]?.[v] || firstWords(v))
    .filter((text) => !place.includes(text));
  return { place, words: texts.join(" · ") };
}
const state = (entry) => (entry.status === "attention" ? h("span", { class: "chip chip-overdue" }, t("attentionTitle"))
  : h("span", { class: "chip chip-pending" }, t("pendingChip")));
const stamp = ({ op, observed_at: at }) => (op === "update" ? t("changedAt", { time: when(at) })
  : op === "delete" ? t("deletedAt", { time: when(at) }) : t("recordedAt", { time: when(at) }));

function head(entry) {
  const { place, words } = which(entry);
  return [
    h("div", { class: "outbox-head" }, h("strong", {}, wordsOf(entry.entity).label), state(entry)),
    place ? h("div", { class: "outbox-place" }, place) : null,
    words ? h("div", { class: "outbox-summary" }, words) : null,
    h("div", { class: "muted" }, stamp(entry)),
  ];
}

// What a discard loses, in words: the kind, which one, its photos.
function lost(entry) {
  const { place, words } = which(entry);
  const what = [wordsOf(entry.entity).label, place, words].filter(Boolean).join(" · ");
  const photos = entry.photo_ids?.length ? ` ${t("discardPhotos", { n: entry.photo_ids.length })}` : "";
  return `${t("discardConfirm", { what })}${photos}`;
}

// The names an entry shows and edits: its fields and those the server named. observed_at (the phone's clock
// was far off) is the entry's own time, shown and edited in place; "_schema" is a whole-record message,
// already shown as the server's reason.
const fieldNames = (entry, errors) => Object.keys({ ...entry.fields, ...errors }).filter((n) => n !== "_schema" || n in entry.fields);
// The server's messages for one field, nested ones too (a round's checks.3.note).
const messagesOf = (v) => (typeof v === "string" ? [v] : Array.isArray(v) ? v.flatMap(messagesOf)
  : v && typeof v === "object" ? Object.values(v).flatMap(messagesOf) : []);
const isClock = (entry, name) => name === "observed_at" && !(name in entry.fields);
const valueOf = (entry, name) => (name in entry.fields ? show(entry.fields[name]) : isClock(entry, name) ? entry.observed_at : "");
// A coded value as its label (a team, a status) where the page knows it; the value itself otherwise.
const shownValue = (entry, name) => {
  const value = valueOf(entry, name);
  return wordsOf(entry.entity).values?.[name]?.[value] || value;
};

// An id only the server can name (an area) or a list (photos, a round's checks) means nothing typed to a person:
// shown only when the server objects to it.
const isShown = (entry, errors, name) => name in errors || (!(wordsOf(entry.entity).named || []).includes(name)
  && (entry.fields[name] === null || typeof entry.fields[name] !== "object"));

function fieldList(entry) {
  const errors = entry.errors || {};
  return h("dl", { class: "outbox-fields" }, fieldNames(entry, errors).filter((n) => isShown(entry, errors, n)).map((name) => [
    h("dt", {}, fieldLabel(entry, name)),
    h("dd", {}, shownValue(entry, name) || "—",
      errors[name] ? h("span", { class: "field-error" }, " ", messagesOf(errors[name]).join(" ")) : null),
  ]));
}

function editor(entry, done) {
  const errors = entry.errors || {};
  const names = fieldNames(entry, errors);
  const inputs = new Map();
  const form = h("form", { class: "stack", "data-outbox-editor": true, onsubmit: async (event) => {
    event.preventDefault();
    event.stopImmediatePropagation();
    const fields = {};
    let observed = entry.observed_at;
    try {
      for (const [name, input] of inputs) {
        if (isClock(entry, name)) {
          observed = input.value;
          continue;
        }
        const old = entry.fields[name];
        const v = input.value;
        if (!(name in entry.fields) && v === "") continue;
        fields[name] = typeof old === "string" || old === undefined ? v
          : typeof old === "number" ? Number(v) : typeof old === "boolean" ? v === "true" : JSON.parse(v);
      }
      await addEntry({ ...entry, mutation_id: uuid(), fields, observed_at: observed, status: "pending", attempts: 0,
        last_error: null, errors: null }, entry.mutation_id);
      toast(t("resent"));
      done(true);
    } catch (error) {
      toast(t("saveFailed", { error: error.message || error.name }), { error: true });
    }
  } }, names.map((name) => {
    const id = `fix-${entry.mutation_id}-${name}`;
    const value = valueOf(entry, name);
    const message = errors[name] ? messagesOf(errors[name]).join(" ") : "";
    const input = !isShown(entry, errors, name) ? h("input", { id, name, type: "hidden" })
      : value.length > 60 ? h("textarea", { id, name }) : h("input", { id, name });
    input.value = value;
    if (input.type === "hidden") {
      inputs.set(name, input);
      return input;
    }
    if (message) input.setAttribute("aria-invalid", "true");
    inputs.set(name, input);
    return h("div", { class: "field" }, h("label", { for: id }, fieldLabel(entry, name)), input,
      message ? h("p", { class: "field-error" }, message) : null);
  }), h("div", { class: "btn-group" },
    h("button", { class: "btn btn-secondary", type: "button", onclick: () => done(false) }, t("cancel")),
    h("button", { class: "btn btn-primary", type: "submit" }, t("resend"))));
  return form;
}

function confirmDiscard(entry) {
  const dialog = document.querySelector("[data-discard-dialog]");
  if (!dialog?.showModal) return Promise.resolve(window.confirm(lost(entry)));
  dialog.querySelector("[data-discard-text]").textContent = lost(entry);
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "discard"), { once: true }));
}

let editing = false;
let syncNow = () => null;

function item(entry, mine) {
  const li = h("li", { class: "list-item card stack outbox-entry" }, ...head(entry));
  if (entry.attempts) li.append(h("div", { class: "muted" }, t("triedTimes", { n: entry.attempts })));
  if (entry.status === "attention") {
    li.append(h("p", { class: "field-error" }, `${t("serverSays")}: ${errorText(entry.last_error)}`), fieldList(entry));
  } else if (entry.last_error) {
    li.append(h("div", { class: "muted" }, `${t("lastError")}: ${errorText(entry.last_error)}`));
  }
  if (!mine) return li;
  const actions = h("div", { class: "btn-group" });
  if (entry.status === "attention" && entry.op !== "delete") {
    actions.append(h("button", { class: "btn btn-primary", type: "button", onclick: () => {
      editing = true;
      actions.replaceWith(editor(entry, (resent) => {
        editing = false;
        render();
        if (resent) syncNow();
      }));
    } }, t("fix")));
  }
  // Discarding is rare and asks first, saying what is lost: a quiet button, so red keeps meaning danger.
  actions.append(h("button", { class: "btn btn-quiet", type: "button", onclick: async () => {
    if (await confirmDiscard(entry)) await removeEntries([entry.mutation_id], { withMedia: true });
  } }, t("discard")));
  li.append(actions);
  return li;
}

function section(el, title, list, mine, hint) {
  if (!el) return;
  el.hidden = !list.length;
  el.replaceChildren(...(list.length ? [h("h2", {}, `${title} (${list.length})`), hint ? h("p", { class: "muted" }, hint) : null,
    h("ul", { class: "list stack" }, list.map((e) => item(e, mine)))].filter(Boolean) : []));
}

let renders = 0;
async function render() {
  if (editing || !document.querySelector("[data-outbox-page]")) return;
  const generation = ++renders;
  const user = currentUser();
  const [all, notes, media] = await Promise.all([entries(), notices(), allMedia()]);
  // Opened an editor while reading, or a newer render started: keep what the person is typing.
  if (editing || generation !== renders) return;
  const mine = all.filter((e) => e.user_id === user);
  section(document.querySelector("[data-outbox-attention]"), t("attentionTitle"), mine.filter((e) => e.status === "attention"), true);
  const pending = document.querySelector("[data-outbox-pending]");
  section(pending, t("pendingTitle"), mine.filter((e) => e.status !== "attention"), true);
  const photos = media.filter((m) => m.user_id === user && m.mutation_id);
  if (photos.length) pending.append(h("p", { class: "muted" }, t("photosWaiting", { n: photos.length })));
  for (const m of photos.filter((p) => p.status === "attention")) {
    pending.append(h("p", { class: "field-error" }, `${t("serverSays")}: ${m.message}`));
  }
  if (!mine.length && !photos.length) {
    pending.hidden = false;
    pending.replaceChildren(h("p", { class: "flash flash-success" }, t("empty")));
  }
  section(document.querySelector("[data-outbox-others]"), t("othersTitle"), all.filter((e) => e.user_id !== user), false, t("othersHint"));
  document.querySelector("[data-outbox-notices]")?.replaceChildren(...notes.filter((n) => n.user_id === user).map((n) =>
    h("div", { class: "flash flash-info row" },
      h("div", {}, h("strong", {}, wordsOf(n.entity).label), n.label && n.label !== wordsOf(n.entity).label
        ? ` · ${n.label}` : "", ` · ${when(n.observed_at)} — ${t("conflict")}`),
      h("button", { class: "btn btn-secondary", type: "button", onclick: () => dismissNotice(n.id) }, t("dismiss")))));
}

// Offline, 立即同步 can only wait: say so where the records are, for as long as it lasts.
const showOffline = () => {
  const note = document.querySelector("[data-outbox-offline]");
  if (note) note.hidden = navigator.onLine;
};

export function renderOutbox(sync) {
  syncNow = sync;
  showOffline();
  render();
}
addEventListener("online", showOffline);
addEventListener("offline", showOffline);
onChange(() => render());

// A form's controls as entity fields: grouped by name, coerced by data-type (int, float, bool, json,
// list; absent → string), and for updates only what differs from the value the page was rendered with.
const SKIP = new Set(["file", "submit", "button", "reset", "image", "password"]);

// drafting: a [data-offline-skip][data-draft-keep] control is not sent, but a draft keeps it (a
// checklist's 合格 answer: the record lists only what failed, the officer's half-done list needs both).
function groups(form, drafting = false) {
  const map = new Map();
  for (const el of form.elements) {
    const skipped = el.hasAttribute("data-offline-skip") && !(drafting && el.hasAttribute("data-draft-keep"));
    if (!el.name || el.disabled || SKIP.has(el.type) || el.name === "csrf_token"
      || skipped || !("value" in el) || el.tagName === "BUTTON") continue;
    if (!map.has(el.name)) map.set(el.name, []);
    map.get(el.name).push(el);
  }
  return map;
}

const kindOf = (els) => els.find((e) => e.dataset.type)?.dataset.type || "";

// The raw value of one named group, as now or as rendered (original = true).
function raw(els, original = false) {
  const el = els[0];
  const kind = kindOf(els);
  const on = (e) => (original ? e.defaultChecked : e.checked);
  if (el.type === "checkbox") {
    const checked = els.filter(on);
    if (kind === "list" || els.length > 1) return checked.map((e) => e.value);
    return kind === "bool" ? checked.length > 0 : checked.length ? el.value : "";
  }
  if (el.type === "radio") return els.find(on)?.value ?? "";
  if (el.tagName === "SELECT") {
    const chosen = [...el.options].filter((o) => (original ? o.defaultSelected : o.selected)).map((o) => o.value);
    if (el.multiple || kind === "list") return chosen;
    return chosen.length ? chosen[0] : original ? el.options[0]?.value ?? "" : "";
  }
  return original ? el.defaultValue : el.value;
}

export function coerce(value, kind, name = "") {
  if (typeof value === "boolean") return value;
  if (Array.isArray(value)) return value;
  if (kind === "list") return value === "" ? [] : value.startsWith("[") ? JSON.parse(value) : value.split(",");
  if (value === "" || value == null) return null;
  if (kind === "int" || kind === "float") {
    const n = kind === "int" ? Number.parseInt(value, 10) : Number.parseFloat(value);
    if (Number.isNaN(n)) throw new Error(`${name}: not a number`);
    return n;
  }
  if (kind === "bool") return ["true", "1", "on", "yes"].includes(value.toLowerCase());
  if (kind === "json") return JSON.parse(value);
  return value;
}

const empty = (v) => v === null || (Array.isArray(v) && v.length === 0);

// Entity fields from the form. create: every non-empty value; update: only changed ones (empty → null).
export function collectFields(form, op, submitter = null) {
  const fields = {};
  for (const [name, els] of groups(form)) {
    const kind = kindOf(els);
    const value = coerce(raw(els), kind, name);
    if (op === "create") {
      if (!empty(value)) fields[name] = value;
      continue;
    }
    const rendered = els[0].dataset.original ?? raw(els, true);
    if (JSON.stringify(value) !== JSON.stringify(coerce(rendered, kind, name))) {
      fields[name] = empty(value) && !Array.isArray(value) ? null : value;
    }
  }
  if (submitter?.name) fields[submitter.name] = coerce(submitter.value, submitter.dataset.type || "", submitter.name);
  return fields;
}

// Drafts: what the user typed (not hidden context, not photos), and putting it back.
export function draftValues(form) {
  const values = {};
  for (const [name, els] of groups(form, true)) if (els[0].type !== "hidden") values[name] = raw(els);
  return values;
}

export function restoreValues(form, values) {
  for (const [name, els] of groups(form, true)) {
    if (!(name in values) || els[0].type === "hidden") continue;
    const v = values[name];
    const has = (x) => (Array.isArray(v) ? v.includes(x) : v === x || v === true);
    for (const el of els) {
      if (el.type === "checkbox" || el.type === "radio") el.checked = has(el.value);
      else if (el.tagName === "SELECT") [...el.options].forEach((o) => { o.selected = has(o.value); });
      else el.value = v;
    }
  }
}

// After an update is saved on the page: what was saved becomes the new "as rendered".
export function commitDefaults(form) {
  for (const el of form.elements) {
    if (el.type === "checkbox" || el.type === "radio") el.defaultChecked = el.checked;
    else if (el.tagName === "SELECT") [...el.options].forEach((o) => { o.defaultSelected = o.selected; });
    else if ("defaultValue" in el && el.type !== "file") {
      el.defaultValue = el.value;
      if ("original" in el.dataset) el.dataset.original = el.value;
    }
  }
}

// The visit form (R-VIS-5): find a household of my areas on the phone (no network), note the opinions
// voiced (each becomes a case on the server), and "nobody home" in one tap, then offer a phone visit.
// The matter form (R-REQ-1) shares the finder, and dates the matter by its kind's days (the estate's policy).
import { isoWithOffset } from "./mutation.js";

const form = document.querySelector("[data-visit-form], [data-case-form]");
const isVisit = form?.hasAttribute("data-visit-form");
const households = JSON.parse(document.getElementById("households-data")?.textContent || "[]");
const $ = (selector) => form.querySelector(selector);
const results = $("[data-results]");
const PLAN_SIZE = 12;  // a short plan: the form stays within reach

const squash = (s) => String(s ?? "").toLowerCase().replace(/[\s\-—·#号室栋幢]/g, "");
const label = (h) => `${h.building} ${h.room}`;
const haystack = (h) => squash(`${h.building}${h.room}|${h.room}|${h.name}|${h.phone}|${h.building}`);

function matches(query) {
  const words = query.split(/\s+/).map(squash).filter(Boolean);
  return households.filter((h) => words.every((w) => haystack(h).includes(w)));
}

function item(h) {
  const li = document.createElement("li");
  li.className = "list-item";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-secondary btn-block";
  button.dataset.pick = h.id;
  const who = h.owner ? results.dataset.owner : results.dataset.tenant;
  button.textContent = `${label(h)} · ${h.name}（${who}）`;
  li.append(button);
  return li;
}

function heading(text) {
  const li = document.createElement("li");
  li.className = "list-item muted";
  li.textContent = text;
  return li;
}

function note(text) {
  const li = heading(text);
  li.dataset.empty = "";
  return li;
}

// Started from a patrol round (顺访业户, R-VIS-3): ?round=<its id>&area=<its area>, read here as well as on
// the server, since offline the worker answers from the cached plain form (X-Patrolbook-Prefill, sw.js).
const query = new URLSearchParams(location.search);
const roundArea = Number(query.get("area")) || null;

function fromRound() {
  const round = query.get("round") || "";
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(round)) return;
  let field = form.elements.round_id;
  if (!field) {
    field = Object.assign(document.createElement("input"), { type: "hidden", name: "round_id" });
    form.append(field);
  }
  field.value = round.toLowerCase();
  const back = document.referrer && new URL(document.referrer);
  if (back && back.origin === location.origin && back.pathname.startsWith("/patrol/")) {
    form.dataset.returnUrl = back.pathname + back.search + back.hash;  // on with the round once saved
  }
}

// With nothing typed: the visit plan, households not yet visited this year by building and floor (of the
// round's area, when a round started the visit).
function plan() {
  const here = households.some((h) => h.area === roundArea) ? households.filter((h) => h.area === roundArea) : households;
  const left = here.filter((h) => !h.seen).slice(0, PLAN_SIZE);
  if (!left.length) return [note(results.dataset.allSeen)];
  const out = [];
  let group = "";
  for (const h of left) {
    const here = `${h.building} · ${results.dataset.floor.replace("{n}", h.floor)}`;
    if (here !== group) out.push(heading((group = here)));
    out.push(item(h));
  }
  return out;
}

function render() {
  const query = $("[data-household-search]").value.trim();
  $("[data-results-hint]").hidden = Boolean(query);
  if (!query && !isVisit) return results.replaceChildren();  // a matter: no visit plan, only what is searched
  const found = query ? matches(query).slice(0, PLAN_SIZE).map(item) : plan();
  results.replaceChildren(...(found.length ? found : [note(results.dataset.none)]));
}

function telLink(phone) {
  if (!phone) return "";
  const a = document.createElement("a");
  a.className = "btn btn-secondary btn-tel";
  a.href = `tel:${phone.replace(/[\s-]/g, "")}`;
  a.textContent = phone;
  return a;
}

const baseLabel = form?.dataset.offlineLabel;

function choose(h) {
  form.dataset.offlineLabel = `${baseLabel} · ${label(h)} ${h.name}`;  // what the outbox lists
  $("[data-area]").value = h.area;
  $("[data-household]").value = h.id;
  $("[data-chosen-label]").textContent = `${label(h)} · ${h.name}`;
  $("[data-chosen-phone]").replaceChildren(telLink(h.phone));
  $("[data-offer-phone]")?.replaceChildren(telLink(h.phone));
  $("[data-chosen]").hidden = false;
  $("[data-finder]").hidden = true;
  $("[data-household-error]").hidden = true;
}

function opinions() {
  return [...form.querySelectorAll("[data-opinion]")].map((row) => ({
    type: row.querySelector("[data-op-type]").value,
    text: row.querySelector("[data-op-text]").value.trim(),
    warranty: row.querySelector("[data-op-warranty]").checked,
    escalate: row.querySelector("[data-op-escalate]").checked,
  })).filter((o) => o.text);
}

function addOpinion() {
  const rows = form.querySelectorAll("[data-opinion]");
  const copy = rows[rows.length - 1].cloneNode(true);
  const n = rows.length + 1;
  copy.querySelector("legend").textContent = copy.querySelector("legend").textContent.replace(/\d+/, n);
  for (const el of copy.querySelectorAll("[id]")) {
    const old = el.id;
    el.id = old.replace(/\d+$/, n);
    if (el.name) el.name = el.name.replace(/\d+$/, n);
    copy.querySelector(`label[for="${old}"]`)?.setAttribute("for", el.id);
  }
  copy.querySelectorAll("textarea").forEach((el) => { el.value = ""; });
  copy.querySelectorAll("input[type=checkbox]").forEach((el) => { el.checked = false; });
  rows[rows.length - 1].after(copy);
  copy.querySelector("select").focus();
}

const localDay = (d) => isoWithOffset(d).slice(0, 10);

// A matter is about a household or a place; it is received today and due its kind's days later.
function beforeCaseSave(event) {
  if (!event.target.closest("button[type=submit]")) return;
  if (!$("[data-household]").value && !$("#f-place").value.trim()) {
    event.preventDefault();
    $("[data-household-error]").hidden = false;
    $("[data-household-search]").focus();
    return;
  }
  const days = JSON.parse(form.dataset.dueDays)[$("[data-case-type]").value] ?? 7;
  const now = new Date();
  $("[data-received-on]").value = localDay(now);
  $("[data-due-on]").value = localDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, 12));
}

// Runs on the click, before the outbox's submit handler reads the form.
function beforeSave(event) {
  const button = event.target.closest("button[type=submit]");
  if (!button) return;
  if (!$("[data-household]").value) {
    event.preventDefault();
    $("[data-household-error]").hidden = false;
    $("[data-finder]").hidden = false;
    $("[data-household-search]").focus();
    return;
  }
  $("[data-visited-at]").value = isoWithOffset();
  const nobody = button.hasAttribute("data-nobody-home");
  $("[data-opinions]").value = JSON.stringify(nobody ? [] : opinions());
  if (nobody) {
    form.querySelector("input[name=kind][value=home]").checked = true;
    form.querySelectorAll("input[name=satisfaction]").forEach((el) => { el.checked = false; });
    form.dataset.afterSave = "phone-offer";
    form.dataset.keptReturnUrl = form.dataset.returnUrl;
    delete form.dataset.returnUrl;  // stay here: offer a phone visit
  }
}

function afterSave() {
  if (form.dataset.afterSave !== "phone-offer") return;
  delete form.dataset.afterSave;
  form.dataset.returnUrl = form.dataset.keptReturnUrl;
  $("[data-phone-offer]").hidden = false;
  $("[data-phone-offer]").scrollIntoView({ block: "center" });
}

function phoneVisit() {
  form.querySelector("input[name=kind][value=phone]").checked = true;
  $("[data-phone-offer]").hidden = true;
  $("#f-met").focus();
}

if (form) {
  for (const el of document.querySelectorAll("[data-needs-script]")) el.hidden = false;
  $("[data-household-search]").addEventListener("input", render);
  results.addEventListener("click", (event) => {
    const id = event.target.closest("[data-pick]")?.dataset.pick;
    const found = households.find((h) => String(h.id) === id);
    if (found) choose(found);
  });
  $("[data-change-household]").addEventListener("click", () => {
    $("[data-chosen]").hidden = true;
    $("[data-finder]").hidden = false;
    $("[data-household-search]").focus();
  });
  if (isVisit) {
    fromRound();
    $("[data-add-opinion]").addEventListener("click", addOpinion);
    $("[data-phone-visit]").addEventListener("click", phoneVisit);
    form.addEventListener("click", beforeSave);
    addEventListener("pb:saved", afterSave);
  } else {
    form.addEventListener("click", beforeCaseSave);
  }
  render();
}

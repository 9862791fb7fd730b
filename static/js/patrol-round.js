// The round form (templates/patrol/round_form.html), R-PAT-1…4: each item's OK/defect radios become the
// hidden `checks` JSON field the outbox sends; a defect shows its note (required), team, "affects
// residents" and photos; the start method comes from the URL fragment (#qr: the printed code, #list: the
// due list; otherwise "manual"); the start time and, where the phone gives it, the position are filled in.
// A spot-check goes on to its comparison once saved, an officer's round back to Today.
// What was ticked survives a closed tab (a small draft in localStorage, cleared once saved).
// Answers are two big buttons with a live "已检查 3/8" (check-list.js); a missing answer or a defect's
// missing note is named next to the item on submit (inline-problem.js), not in the browser's bubble.
import { bindChecklist, refreshChecklist } from "./check-list.js";
import { currentUser } from "./config.js";
import { clearProblem, inlineInvalid } from "./inline-problem.js";
import { isoWithOffset } from "./mutation.js";
import { uuid } from "./uuid.js";

const form = document.querySelector("form[data-patrol-round]");
const DAY = 864e5;

const boxes = () => [...form.querySelectorAll("[data-check-item]")];
const draftKey = () => `pb-round-draft:${currentUser()}:${form.dataset.roundDraft}`;

function checkOf(box) {
  const chosen = box.querySelector("input[type=radio]:checked");
  if (!chosen) return null;
  const check = { item_id: Number(box.dataset.checkItem), result: chosen.value };
  if (chosen.value === "defect") {
    check.note = box.querySelector("textarea").value.trim();
    check.team = box.querySelector("select").value || null;
    check.resident_impact = box.querySelector("input[type=checkbox]").checked;
    check.photo_ids = JSON.parse(box.querySelector("input[type=hidden][name^='photos-']").value || "[]");
  }
  return check;
}

// yyyy-mm-dd in the estate's time zone, and the start of the policy period holding it (EPOCH-aligned).
function overlayKey() {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: form.dataset.tz || undefined,
    year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  const [y, m, d] = day.split("-").map(Number);
  const [ey, em, ed] = form.dataset.epoch.split("-").map(Number);
  const days = Number(form.dataset.periodDays || 1);
  const ms = Date.UTC(y, m - 1, d);
  const offset = ((Math.round((ms - Date.UTC(ey, em - 1, ed)) / DAY) % days) + days) % days;
  const period = new Date(ms - offset * DAY).toISOString().slice(0, 10);
  form.dataset.overlayKey = form.dataset.overlayTemplate.replace("{day}", day).replace("{period}", period);
}

function refresh() {
  const checks = [];
  for (const box of boxes()) {
    const check = checkOf(box);
    const defect = check?.result === "defect";
    box.querySelector("[data-defect-details]").hidden = !defect;
    box.querySelector("textarea").required = defect;
    if (check) checks.push(check);
  }
  form.querySelector("[data-checks]").value = JSON.stringify(checks);
  refreshChecklist(form);
  overlayKey();
}

function saveDraft() {
  const items = {};
  for (const box of boxes()) {
    const chosen = box.querySelector("input[type=radio]:checked");
    if (chosen) items[box.dataset.checkItem] = { result: chosen.value, note: box.querySelector("textarea").value,
      team: box.querySelector("select").value, impact: box.querySelector("input[type=checkbox]").checked };
  }
  try {
    localStorage.setItem(draftKey(), JSON.stringify({ items, note: form.elements.note?.value || "", at: Date.now(),
      roundId: form.dataset.recordId }));
  } catch { /* storage full: the outbox matters more than a draft */ }
}

// The round's id is chosen on the phone when its draft starts and kept with the draft (a page from the
// offline cache carries another round's id): a visit started from the round (顺访业户, R-VIS-3) names the
// round the outbox will send.
function chooseRoundId() {
  let draft = null;
  try { draft = JSON.parse(localStorage.getItem(draftKey()) || "null"); } catch { draft = null; }
  const id = (draft && Date.now() - draft.at <= DAY && draft.roundId) || uuid();
  form.dataset.recordId = id;
  form.elements.record_id.value = id;
  for (const link of document.querySelectorAll("a[data-visit-from-round]")) {
    const url = new URL(link.href);
    url.searchParams.set("round", id);
    link.href = url.pathname + url.search;
    link.addEventListener("click", saveDraft);  // back on the round, the same round (and its ticks)
  }
}

function restoreDraft() {
  let draft = null;
  try { draft = JSON.parse(localStorage.getItem(draftKey()) || "null"); } catch { draft = null; }
  if (!draft || Date.now() - draft.at > DAY) return;
  for (const box of boxes()) {
    const saved = draft.items?.[box.dataset.checkItem];
    if (!saved) continue;
    const radio = box.querySelector(`input[type=radio][value="${saved.result}"]`);
    if (radio) radio.checked = true;
    box.querySelector("textarea").value = saved.note || "";
    if (saved.team) box.querySelector("select").value = saved.team;
    box.querySelector("input[type=checkbox]").checked = Boolean(saved.impact);
  }
  if (form.elements.note && draft.note) form.elements.note.value = draft.note;
}

function start() {
  const method = form.querySelector("[data-start-method]");
  const how = location.hash.slice(1);
  if (how === "qr" || how === "list") method.value = how;
  document.querySelector("[data-start-chip]")?.toggleAttribute("hidden", method.value !== "manual");
  form.querySelector("[data-started-at]").value = isoWithOffset();
  if (!navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition((pos) => {
    const set = (name, value) => { form.querySelector(`[data-geo="${name}"]`).value = value; };
    set("latitude", pos.coords.latitude.toFixed(6));
    set("longitude", pos.coords.longitude.toFixed(6));
    set("accuracy", Math.round(pos.coords.accuracy));
  }, () => null, { enableHighAccuracy: true, timeout: 20000, maximumAge: 120000 });
}

if (form && !form.dataset.roundBound) {
  form.dataset.roundBound = "1";
  chooseRoundId();
  restoreDraft();
  start();
  bindChecklist(form);
  refresh();
  inlineInvalid(form, (control) => {
    const item = control.closest("[data-check-item]");
    if (!item) return null;
    if (control.type === "radio") return { holder: item, message: form.dataset.msgUnanswered };
    if (control.tagName === "TEXTAREA") return { holder: control.parentElement, message: form.dataset.msgNote };
    return null;
  });
  const allOk = form.querySelector("[data-all-ok]");
  allOk.hidden = false;
  allOk.addEventListener("click", () => {
    for (const box of boxes()) {
      if (!box.querySelector("input[type=radio]:checked")) box.querySelector("input[value=ok]").checked = true;
      clearProblem(box);
    }
    refresh();
    saveDraft();
  });
  form.addEventListener("change", (event) => {
    if (event.target.closest("[data-verdict]")) clearProblem(event.target.closest("[data-check-item]"));
    refresh();
    saveDraft();
  });
  form.addEventListener("input", (event) => {
    if (event.target.tagName === "TEXTAREA") clearProblem(event.target.parentElement);
    refresh();
    saveDraft();
  });
  // Window capture runs before the outbox's document-level submit handler: `checks` is complete when read.
  addEventListener("submit", (event) => {
    if (event.target !== form) return;
    refresh();
    // A spot-check lands on its comparison (R-SUP-1): the result page waits for the round observed from now.
    if (form.dataset.returnSince) {
      const next = new URL(form.dataset.returnSince, location.href);
      next.searchParams.set("since", isoWithOffset());
      form.dataset.returnUrl = next.pathname + next.search;
    }
  }, true);
  addEventListener("pb:saved", () => { try { localStorage.removeItem(draftKey()); } catch { /* ignore */ } });
}

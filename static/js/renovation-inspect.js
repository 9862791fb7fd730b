// The renovation inspection form (templates/renovation/inspect.html), R-REN-1/R-REN-2: a violation is
// checked on the phone, offline, next to its fields — not only when the outbox syncs. Its item can only
// be one ticked as not in order; once an item is chosen, "what is wrong" and a deadline no earlier than
// today (the estate's day, Asia/Shanghai) are required. Messages come translated from the page.
// Every item is answered 合格 / 不合格 (check-list.js, a checkbox pair: only 不合格 is sent, as `failed`);
// an item left unanswered is named next to it on save, like the violation's fields — never the browser's
// bubble, which the phone's bottom bar hides.
import { bindChecklist, firstUnanswered, refreshChecklist } from "./check-list.js";
import { clearProblem, inlineInvalid, showProblem } from "./inline-problem.js";

const form = document.querySelector("form[data-renovation-inspect]");
const select = form?.querySelector("select[name=violation_item]");

const field = (name) => form.querySelector(`[name=${name}]`);

function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: form.dataset.tz || undefined,
    year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

// Only the failed items are offered; a choice whose tick was taken away is cleared.
function limitItems() {
  const failed = new Set([...form.querySelectorAll("[data-failed-item]:checked")].map((box) => box.value));
  for (const option of select.options) {
    if (!option.value) continue;
    option.disabled = !failed.has(option.value);
    option.hidden = option.disabled;
  }
  if (select.value && !failed.has(select.value)) select.value = "";
}

function problems() {
  const chosen = Boolean(select.value);
  const text = field("violation_text");
  const deadline = field("violation_deadline");
  deadline.min = today();
  text.required = chosen;
  deadline.required = chosen;
  const late = chosen && deadline.value && deadline.value < deadline.min;
  return {
    violation_text: chosen && !text.value.trim() ? form.dataset.msgText : "",
    violation_deadline: chosen && !deadline.value ? form.dataset.msgDeadline : late ? form.dataset.msgPast : "",
  };
}

// The browser blocks the submit while a field has a custom validity message; the message is shown
// next to the field (not only in the browser's bubble) once the officer tried to save or edits it.
function check(show = false) {
  limitItems();
  for (const [name, message] of Object.entries(problems())) {
    const input = field(name);
    const box = form.querySelector(`[data-error-for=${name}]`);
    input.setCustomValidity(message);
    if (show || !box.hidden) {
      box.textContent = message;
      box.hidden = !message;
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
  }
}

function bindItems() {
  bindChecklist(form);
  form.addEventListener("change", (event) => clearProblem(event.target.closest("[data-check-item]")));
  const allPass = form.querySelector("[data-all-pass]");
  allPass.hidden = false;
  allPass.addEventListener("click", () => {
    for (const item of form.querySelectorAll("[data-check-item]")) {
      if (!item.querySelector("input:checked")) item.querySelector(".seg-good input").checked = true;
      clearProblem(item);
    }
    refreshChecklist(form);
    form.dispatchEvent(new Event("input", { bubbles: true }));  // the draft keeps it
  });
  // Window capture: before the outbox's document-level handler queues the inspection.
  addEventListener("submit", (event) => {
    const item = event.target === form && firstUnanswered(form);
    if (!item) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    showProblem(item, item.querySelector("input"), form.dataset.msgUnanswered);
  }, true);
}

if (form?.querySelector("[data-check-item]")) bindItems();

if (select) {
  form.addEventListener("input", () => check());
  form.addEventListener("change", () => check());
  // Before the browser validates: a draft may have been restored since the last change.
  form.addEventListener("click", (event) => event.target.closest("[type=submit]") && check(true), true);
  form.addEventListener("invalid", (event) => {
    event.target.closest("details")?.setAttribute("open", "");
    check(true);
  }, true);
  check();
}
// After the violation's own check has filled in its messages (above): the first problem is shown inline.
if (form) inlineInvalid(form, (control) => ({ holder: control.closest(".field") || control.parentElement,
  message: control.validationMessage }));

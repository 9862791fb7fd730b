// The renovation inspection form (templates/renovation/inspect.html), R-REN-1/R-REN-2: a violation is
// checked on the phone, offline, next to its fields — not only when the outbox syncs. Its item can only
// be one ticked as not in order; once an item is chosen, "what is wrong" and a deadline no earlier than
// today (the estate's day, Asia/Shanghai) are required. Messages come translated from the page.
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

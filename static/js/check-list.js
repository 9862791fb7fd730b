// A checklist of items answered by two big buttons each (templates/macros/forms.html `verdict`): the
// chosen button is marked `is-on` (also where :has() is missing), its item `is-bad` when the bad answer
// is chosen; a checkbox pair behaves as one answer; the progress line ("已检查 3/8", what is left) follows
// every change. Items are [data-check-item] holding one [data-verdict]. UX.md: selected states.
const items = (form) => [...form.querySelectorAll("[data-check-item]")];
const chosen = (item) => item.querySelector("[data-verdict] input:checked");

export const isBad = (item) => Boolean(chosen(item)?.closest(".seg-bad"));
export const firstUnanswered = (form) => items(form).find((item) => !chosen(item)) || null;

function fill(text, vars) {
  return text.replace(/\{(\w+)\}/g, (m, k) => vars[k] ?? m);
}

export function refreshChecklist(form) {
  let done = 0;
  for (const item of items(form)) {
    for (const seg of item.querySelectorAll("[data-verdict] .seg")) {
      seg.classList.toggle("is-on", seg.querySelector("input").checked);
    }
    item.classList.toggle("is-bad", isBad(item));
    if (chosen(item)) done += 1;
  }
  const line = form.querySelector("[data-progress]");
  if (!line) return;
  const total = items(form).length;
  line.querySelector("[data-progress-count]").textContent = fill(line.dataset.doneText, { done, total });
  line.querySelector("[data-progress-left]").textContent =
    done < total ? fill(line.dataset.leftText, { n: total - done }) : line.dataset.allText;
  line.classList.toggle("is-complete", done === total);
}

export function bindChecklist(form) {
  form.addEventListener("change", (event) => {
    const box = event.target.closest?.("[data-verdict]");
    if (!box) return;
    if (event.target.type === "checkbox" && event.target.checked) {
      for (const other of box.querySelectorAll("input[type=checkbox]")) if (other !== event.target) other.checked = false;
    }
    refreshChecklist(form);
  }, true);  // before the form's own change handlers read the answers
  form.addEventListener("pb:draft-restored", () => refreshChecklist(form));
  refreshChecklist(form);
}

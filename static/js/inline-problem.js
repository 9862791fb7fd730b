// A form's problem named in words next to the thing to fix, instead of the browser's bubble (on a phone it
// hides behind the sticky submit bar and the bottom bar): the holder is marked, scrolled to the middle of
// the screen, and its control focused without a second scroll. The message element is [data-problem]
// (or a field's own [data-error-for] box) inside the holder, made if the page did not render one.
let seq = 0;

function noteOf(holder) {
  let note = holder.querySelector(":scope > [data-problem], :scope > [data-error-for]");
  if (!note) {
    note = Object.assign(document.createElement("p"), { className: "field-error", hidden: true });
    note.dataset.problem = "";
    note.setAttribute("role", "alert");
    holder.append(note);
  }
  if (!note.id) note.id = `problem-${++seq}`;
  return note;
}

export function showProblem(holder, control, message) {
  const note = noteOf(holder);
  note.textContent = message;
  note.hidden = false;
  holder.classList.add("has-problem");
  holder.closest("details:not([open])")?.setAttribute("open", "");
  const described = control.closest("[role=radiogroup], [role=group]") || control;
  described.setAttribute("aria-describedby", note.id);
  described.setAttribute("aria-invalid", "true");
  holder.scrollIntoView({ block: "center" });
  control.focus({ preventScroll: true });
  return note;
}

export function clearProblem(holder) {
  const note = holder?.querySelector(":scope > [data-problem], :scope > [data-error-for]");
  if (!note || note.hidden) return;
  note.hidden = true;
  holder.classList.remove("has-problem");
  for (const el of holder.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

// The browser checks `required` before a submit event fires and reports each invalid control with an
// `invalid` event, in page order: the first that `describe(control)` → {holder, message} knows is shown
// inline, and the bubble is cancelled for every one it knows.
export function inlineInvalid(form, describe) {
  let shown = false;
  form.addEventListener("invalid", (event) => {
    const problem = describe(event.target);
    if (!problem) return;
    event.preventDefault();
    if (shown) return;
    shown = true;
    setTimeout(() => { shown = false; });  // the next try reports again
    showProblem(problem.holder, event.target, problem.message);
  }, true);
}

// <input type="hidden" data-stamp-now>: the device time (with its offset) when the form is sent, e.g.
// a finding's fixed_at / verified_at, and a form's geolocation into [data-geo] fields where given.
import { clearProblem, showProblem } from "./inline-problem.js";
import { isoWithOffset } from "./mutation.js";

const stamp = (root) => root.querySelectorAll("input[data-stamp-now]").forEach((el) => { el.value = isoWithOffset(); });

stamp(document);
// Window capture runs before the outbox's document-level submit handler reads the form.
// A form with <input type=file data-photo-required="message"> is not queued without a photo: the message
// is shown next to the photo button, which is scrolled to and focused (not the browser's bubble, which a
// phone hides behind the bottom bar).
addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  stamp(form);
  for (const input of form.querySelectorAll("input[data-photo-required]")) {
    const ids = form.querySelector(`input[type=hidden][name="${input.dataset.photoField}"]`)?.value || "[]";
    if (JSON.parse(ids).length) continue;
    event.preventDefault();
    event.stopImmediatePropagation();
    const holder = input.closest(".photo-input") || input.parentElement;
    showProblem(holder, input, input.dataset.photoRequired);
    input.addEventListener("change", () => clearProblem(holder), { once: true });
    return;
  }
}, true);

const geo = document.querySelector("form [data-geo]");
if (geo && navigator.geolocation) {
  navigator.geolocation.getCurrentPosition((pos) => {
    const set = (name, value) => document.querySelectorAll(`[data-geo="${name}"]`).forEach((el) => { el.value = value; });
    set("latitude", pos.coords.latitude.toFixed(6));
    set("longitude", pos.coords.longitude.toFixed(6));
  }, () => null, { enableHighAccuracy: true, timeout: 20000, maximumAge: 120000 });
}

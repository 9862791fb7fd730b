// <form data-offline-entity data-offline-op …>: submitting turns the form into a mutation in the outbox.
// "Saved" is shown only after the IndexedDB transaction has completed. Without JS the form posts as usual.
import { currentUser, t } from "./config.js";
import { deviceId } from "./device-store.js";
import { clearDraft } from "./drafts.js";
import { collectFields, commitDefaults } from "./form-values.js";
import { estateDay, isoWithOffset, makeMutation } from "./mutation.js";
import { addEntry } from "./outbox-store.js";
import { summaryOf } from "./overlay-lists.js";
import { photoIds, resetPhotos } from "./photo-input.js";
import { toast, toastAfterNavigation } from "./toast.js";

const words = (s) => (s || "").split(/\s+/).filter(Boolean);

async function save(form, submitter) {
  const d = form.dataset;
  const user = currentUser();
  if (!user) throw Object.assign(new Error(t("noUser")), { name: "NoUser" });
  const op = d.offlineOp || "create";
  // <input type=hidden data-now>: the time of saving on this phone (a cached offline form's own time is stale)
  form.querySelectorAll("input[data-now]").forEach((input) => { input.value = isoWithOffset(new Date()); });
  const entry = makeMutation({
    device_id: await deviceId(), user_id: user, entity: d.offlineEntity, op,
    record_id: d.recordId, base_version: d.baseVersion ?? null,
    fields: op === "delete" ? {} : collectFields(form, op, submitter),
    label: d.offlineLabel || document.title, photo_ids: photoIds(form),
    overlay_keys: words(d.overlayKey).map((k) => k.replace("{day}", estateDay(d.tz))), summary: summaryOf(form),
    priority: d.offlinePriority === "high" ? "high" : null,
  });
  await addEntry(entry);  // resolves once the transaction is complete
  return entry;
}

async function onSubmit(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches("[data-offline-entity]")) return;
  event.preventDefault();
  event.stopImmediatePropagation();  // htmx (boost, hx-post) must not send it as well
  if (form.dataset.saving) return;
  form.dataset.saving = "1";
  const buttons = [...form.querySelectorAll("button, input[type=submit]")].filter((b) => !b.disabled);
  buttons.forEach((b) => { b.disabled = true; });
  try {
    await save(form, event.submitter);
  } catch (error) {
    console.error("offline save failed", error);
    const quota = error.name === "QuotaExceededError" || /quota/i.test(error.message);
    toast(quota ? t("quota") : error.name === "NoUser" ? error.message
      : t("saveFailed", { error: error.message || error.name }), { error: true });
    return;
  } finally {
    delete form.dataset.saving;
    buttons.forEach((b) => { b.disabled = false; });
  }
  navigator.storage?.persisted?.().then((yes) => yes || navigator.storage.persist()).catch(() => null);
  await clearDraft(form);
  const next = form.dataset.returnUrl;
  dispatchEvent(new CustomEvent("pb:saved", { detail: { navigating: Boolean(next) } }));
  if (next) {
    toastAfterNavigation(t("saved"));
    location.assign(next);
  } else {
    if (form.dataset.offlineOp === "update") commitDefaults(form);  // keep what was just saved on screen
    else form.reset();
    resetPhotos(form);
    toast(t("saved"));
  }
}

document.addEventListener("submit", onSubmit, true);

// Forms with data-draft="<key>" keep what was typed (per user) until saved: it survives a closed tab.
import { currentUser, t } from "./config.js";
import { draftValues, restoreValues } from "./form-values.js";
import { deleteDraft, getDraft, putDraft } from "./device-store.js";
import { toast } from "./toast.js";

const keyOf = (form) => `${currentUser()}:${form.dataset.draft}`;

export async function bindDraft(form) {
  if (form.dataset.draftBound) return;
  form.dataset.draftBound = "1";
  const saved = await getDraft(keyOf(form)).catch(() => null);
  if (saved?.values) {
    restoreValues(form, saved.values);
    form.dispatchEvent(new Event("pb:draft-restored"));  // for the form's own view of what is ticked
    toast(t("draftRestored"));
  }
  let timer = 0;
  const save = () => putDraft(keyOf(form), { values: draftValues(form), at: Date.now() }).catch(() => null);
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 300);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("pb:draft-saved", () => {
    clearTimeout(timer);
    timer = 0;
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && timer && form.isConnected) save();
  });
}

export function clearDraft(form) {
  form.dispatchEvent(new Event("pb:draft-saved"));
  return form.dataset.draft ? deleteDraft(keyOf(form)).catch(() => null) : null;
}

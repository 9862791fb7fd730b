// Work saved offline shows as done at once: [data-overlay-key] elements whose key is in one of this
// user's outbox entries get .is-pending and a 待同步 chip (then 已同步 once the server has it).
import { currentUser, t } from "./config.js";
import { entries } from "./outbox-store.js";

const seen = new Set();

export async function applyOverlays() {
  const user = currentUser();
  const pending = new Set((await entries()).filter((e) => e.user_id === user).flatMap((e) => e.overlay_keys || []));
  for (const el of document.querySelectorAll("[data-overlay-key]")) {
    const keys = el.dataset.overlayKey.split(/\s+/).filter(Boolean);
    const isPending = keys.some((k) => pending.has(k));
    if (isPending) keys.forEach((k) => seen.add(k));
    const synced = !isPending && keys.some((k) => seen.has(k));
    el.classList.toggle("is-pending", isPending);
    const slot = el.querySelector("[data-overlay-slot]") || el;
    let chip = slot.querySelector(":scope > [data-overlay-chip]");
    if (!isPending && !synced) {
      chip?.remove();
      continue;
    }
    if (!chip) {
      chip = document.createElement("span");
      chip.dataset.overlayChip = "";
      slot.append(chip);
    }
    chip.className = isPending ? "chip chip-pending" : "chip chip-done";
    chip.textContent = t(isPending ? "pendingChip" : "syncedChip");
  }
}

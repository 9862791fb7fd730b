// Registers /sw.js; offers "有新版本 — 重新加载" when a new worker waits; asks it to warm this user's
// pages; forgets cached pages on logout (never the outbox).
import { config } from "./config.js";

const sw = navigator.serviceWorker;
let registration = null;
let reloading = false;

function offerUpdate() {
  if (registration?.waiting && sw.controller) {
    document.querySelectorAll("[data-update-banner]").forEach((b) => { b.hidden = false; });
  }
}

export async function registerWorker() {
  if (!sw) return;
  // Background Sync means Chromium, which runs module workers: that worker can sync with no page open.
  const module = "SyncManager" in self;
  try {
    registration = await sw.register(config.urls.sw + (module ? "?module=1" : ""),
      { scope: config.urls.scope, type: module ? "module" : "classic" });
  } catch (error) {
    console.warn("service worker not registered", error);
    return;
  }
  offerUpdate();
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => worker.state === "installed" && offerUpdate());
  });
}

export function warm(user, force = false) {
  sw?.ready.then((reg) => reg.active?.postMessage({ type: "WARM", user, force })).catch(() => null);
}

export async function requestBackgroundSync() {
  try {
    await (registration || (await sw?.ready))?.sync?.register("pb-outbox");
  } catch { /* not supported or not allowed: the other triggers remain */ }
}

sw?.addEventListener("controllerchange", () => reloading && location.reload());
sw?.addEventListener("message", (event) => {
  if (event.data?.type === "SYNC") dispatchEvent(new Event("pb:sync-request"));
});

document.addEventListener("click", (event) => {
  if (!event.target.closest?.("[data-update-reload]")) return;
  reloading = true;
  if (registration?.waiting) registration.waiting.postMessage({ type: "SKIP_WAITING" });
  else location.reload();
});

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.matches?.("form[data-logout]")) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  try {
    sw?.controller?.postMessage({ type: "LOGOUT" });
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith("pb-pages")).map((n) => caches.delete(n)));
  } catch { /* no caches: nothing to forget */ }
  form.submit();
}, true);

// Page entry. At once: the status line and overlays (from IndexedDB). After load: the service worker
// and the sync client, with every trigger. Form behaviours are imported only by pages that have forms.
import { config, currentUser, t } from "./config.js";
import { onChange } from "./outbox-store.js";
import { applyOverlays } from "./overlays.js";
import { renderStatus } from "./status-line.js";

const later = new Promise((resolve) => (document.readyState === "complete" ? resolve() : addEventListener("load", resolve)))
  .then(() => Promise.all([import("./sync-client.js"), import("./sw-register.js")]));
let retryTimer = 0;

// A tap on 保存 before offline-form.js is in must not post the form natively (offline, that page is lost
// and what was typed with it): the submit is held and handed to the module once it has loaded.
let formsReady = false, formsLoading = null;
const loadOfflineForms = () => (formsLoading ??= import("./offline-form.js").then(() => { formsReady = true; }));
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (formsReady || !(form instanceof HTMLFormElement) || !form.matches("[data-offline-entity]")) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  const submitter = event.submitter?.form === form ? event.submitter : undefined;
  loadOfflineForms().then(() => form.requestSubmit(submitter));
}, true);

async function sync(force = false) {
  if (!currentUser()) return null;  // a page for nobody (the login page): nothing to send as anyone
  const [{ runSync }, worker] = await later;
  const result = await runSync(config, { force });
  clearTimeout(retryTimer);
  if (result.retry_at > Date.now()) retryTimer = setTimeout(sync, result.retry_at - Date.now());
  if (result.state === "ok") worker.warm(result.user, result.changed);
  if (result.state === "offline" || result.error === "network") worker.requestBackgroundSync();
  return result;
}

function enhance() {
  const has = (selector) => document.querySelector(selector);
  if (has("form[data-offline-entity]")) loadOfflineForms();
  if (has("input[data-photo-field]")) import("./photo-input.js");
  if (has("select[data-prefill]")) import("./prefill.js");
  const drafts = document.querySelectorAll("form[data-draft]");
  if (drafts.length) import("./drafts.js").then((m) => drafts.forEach(m.bindDraft));
  if (has("[data-poll]")) import("./poll.js").then((m) => m.bindPolls());
  if (has("[data-outbox-page]")) import("./outbox-page.js").then((m) => m.renderOutbox(() => sync(true)));
  if (sessionStorage.getItem("pb-toast")) import("./toast.js").then((m) => m.showPendingToast());
  applyOverlays();
  renderStatus();
}

onChange((detail) => detail?.type === "outbox" && applyOverlays());
// 立即同步 offline would otherwise do nothing visible: say what happens instead.
const offlineToast = () => import("./toast.js").then(({ toast }) => toast(t("offlineSyncLater")));
document.addEventListener("click", (event) => {
  if (!event.target.closest?.("[data-sync-now]")) return;
  sync(true);
  if (!navigator.onLine) offlineToast();
});
document.addEventListener("htmx:afterSettle", enhance);
// A filter or a search that cannot reach the server (offline) says so instead of doing nothing; a part
// that refreshes itself every few seconds retries quietly.
document.addEventListener("htmx:sendError", (event) => {
  if (/\bevery\b/.test(event.detail.elt?.getAttribute?.("hx-trigger") || "")) return;
  import("./toast.js").then(({ toast }) => toast(t("offlineNoUpdate"), { error: true }));
});
document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && sync());
addEventListener("online", () => sync(true));
addEventListener("pb:sync-request", () => sync());  // from the worker's Background Sync: keeps the backoff
addEventListener("pb:saved", async (event) => {
  (await later)[1].requestBackgroundSync();
  if (navigator.onLine && !event.detail?.navigating) sync(true);
});

enhance();
later.then(([, worker]) => worker.registerWorker());
sync();

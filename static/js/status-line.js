// The status line under the top bar (离线 / 同步中 n/total / 已同步 10:42, counts, banners) and
// every [data-outbox-count] badge.
import { config, currentUser, hhmm, t } from "./config.js";
import { counts, getMeta, onChange } from "./outbox-store.js";

const SKEW_LIMIT = 300;
let progress = null;
let queued = false;

const all = (selector) => document.querySelectorAll(selector);

function show(el, text) {
  if (!el) return;
  el.textContent = text || "";
  el.hidden = !text;
}

async function render() {
  queued = false;
  const [c, s = {}] = await Promise.all([counts(currentUser()), getMeta("sync")]);
  const online = navigator.onLine;
  const live = progress && Date.now() - progress.at < 30000;
  const text = !online ? t("offline")
    : live ? t("syncing", progress)
      : s.login && currentUser() ? t("loginNeeded")
      : s.state === "retry" && s.retry_at > Date.now() ? t("retrying", { time: hhmm(s.retry_at) })
        : s.last_ok ? t("synced", { time: hhmm(s.last_ok) }) : t("neverSynced");
  for (const line of all("[data-status-line]")) {
    line.classList.toggle("is-offline", !online);
    show(line.querySelector("[data-status-text]"), text);
    show(line.querySelector("[data-status-pending]"), c.pending && t("pending", { n: c.pending }));
    show(line.querySelector("[data-status-attention]"), c.attention && t("attention", { n: c.attention }));
  }
  for (const badge of all("[data-outbox-count]")) {
    show(badge, c.pending + c.attention ? String(c.pending + c.attention) : "");
    badge.classList.toggle("badge-attention", c.attention > 0);
  }
  const next = encodeURIComponent(location.pathname + location.search);
  const onLoginPage = location.pathname === new URL(config.urls.login, location.href).pathname;
  for (const banner of all("[data-login-banner]")) banner.hidden = !s.login || onLoginPage;
  for (const link of all("[data-login-link]")) link.href = `${config.urls.login}?next=${next}`;
  const skew = Math.abs(s.skew || 0);
  for (const banner of all("[data-clock-banner]")) show(banner, skew > SKEW_LIMIT && t("clock", { n: Math.round(skew / 60) }));
}

export function renderStatus() {
  if (!queued) {
    queued = true;
    queueMicrotask(() => render().catch((e) => console.error("status", e)));
  }
}

onChange((detail) => {
  if (detail?.type === "progress") progress = { ...detail, at: Date.now() };
  else if (detail?.type === "sync") progress = null;
  renderStatus();
});
addEventListener("online", renderStatus);
addEventListener("offline", renderStatus);

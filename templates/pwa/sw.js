/* Patrolbook service worker, asset version {{ version }}. Rendered by webapp/pwa/views.py (/sw.js). */
{% if module %}import { runSync } from {{ url_for('static', filename='js/sync-client.js')|tojson }};
const workerSync = runSync;
{% else %}const workerSync = null;
{% endif %}
const VERSION = {{ version|tojson }};
const SHELL = {{ shell|tojson }};
const URLS = {{ config.urls|tojson }};
const CONFIG = { urls: URLS };
const STATIC_PREFIX = {{ url_for('static', filename='')|tojson }};
const SHELL_EXTRA = [{{ url_for('pwa.favicon')|tojson }}, {{ url_for('pwa.manifest')|tojson }}];
const NETWORK_ONLY = [URLS.scope + "sync/", URLS.offlinePages];
const STATIC = "pb-static-" + VERSION;
const PAGES = "pb-pages-v1";
const OWNER = URLS.scope + "__pb_pages_owner";
const NETWORK_TIMEOUT = 4000;
const MAX_PAGES = 150;
const WARM_EVERY = 5 * 60 * 1000;

self.addEventListener("install", (event) => {
  const requests = [...SHELL, ...SHELL_EXTRA].map((url) => new Request(url, { cache: "no-cache" }));
  event.waitUntil(caches.open(STATIC).then((cache) => cache.addAll(requests)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("pb-") && name !== STATIC && name !== PAGES) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NETWORK_ONLY.some((p) => url.pathname.startsWith(p))) return;
  if (url.pathname.startsWith(STATIC_PREFIX) || SHELL_EXTRA.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(event, true));
  } else if (request.headers.get("HX-Request") === "true"
      && (request.headers.get("HX-Boosted") === "true" || request.headers.get("HX-History-Restore-Request") === "true")) {
    event.respondWith(page(event, false));  // a whole page fetched by htmx: cached copy when offline, never stored
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(STATIC);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

// Page cache key: the URL without the "source" marker (start_url is /today?source=pwa), its query sorted
// (a link and the offline list may name the same filters in another order).
function pageKey(href) {
  const url = new URL(href, self.location.href);
  url.searchParams.delete("source");
  url.searchParams.sort();
  url.hash = "";
  return url.href;
}

// A page whose query only pre-fills it (the server lists those names in X-Patrolbook-Prefill, the page's
// script reads them from its URL) is answered from its cached base page: 随手记 from any round form.
async function cachedPage(cache, href) {
  const exact = await cache.match(pageKey(href), { ignoreVary: true });
  const url = new URL(pageKey(href));
  if (exact || !url.search) return exact;
  const names = [...url.searchParams.keys()];
  url.search = "";
  const base = await cache.match(url.href, { ignoreVary: true });
  const fills = (base?.headers.get("X-Patrolbook-Prefill") || "").split(/\s+/);
  return base && names.every((name) => fills.includes(name)) ? base : undefined;
}

function cacheable(response) {
  return response.ok && response.type === "basic" && !response.redirected
    && (response.headers.get("Content-Type") || "").startsWith("text/html")
    && !/no-store/.test(response.headers.get("Cache-Control") || "");
}

async function page(event, store) {
  const { request } = event;
  const cache = await caches.open(PAGES);
  const cached = cachedPage(cache, request.url);
  const network = fetch(request).then(async (response) => {
    // A pre-filled page is kept as its base page only (it is answered from that one).
    const prefilled = new URL(request.url).search && response.headers.has("X-Patrolbook-Prefill");
    if (store && !prefilled && cacheable(response)) await cache.put(pageKey(request.url), response.clone());
    return response;
  });
  event.waitUntil(network.catch(() => null));
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT)).then(() => cached);
  try {
    const first = await Promise.race([network, slow]);
    if (!first) return await network;  // slow, but nothing cached: keep waiting
    if (first.status >= 500) return (await cached) || first;
    return first;
  } catch {
    return (await cached) || offlinePage(request);
  }
}

async function offlinePage(request) {
  const page = request.mode === "navigate" || request.headers.get("HX-Request") ? await caches.match(URLS.offline) : null;
  return page || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

// Keep the pages this user needs offline fresh (GET /pwa/offline-pages), at most every few minutes.
async function warm(user, force) {
  if (!user) return;
  let cache = await caches.open(PAGES);
  const owner = await cache.match(OWNER).then((r) => r && r.json()).catch(() => null);
  if (owner && String(owner.user) !== String(user)) {
    await caches.delete(PAGES);  // another account's pages: never show them to this one
    cache = await caches.open(PAGES);
  } else if (owner && !force && Date.now() - owner.at < WARM_EVERY) {
    return;
  }
  await cache.put(OWNER, new Response(JSON.stringify({ user: String(user), at: Date.now() })));
  const response = await fetch(URLS.offlinePages, { cache: "no-store", headers: { Accept: "application/json" } });
  if (!response.ok || response.redirected) return;
  const urls = [...new Set((await response.json()).urls || [])];
  const worker = async () => {
    for (let url; (url = urls.shift()); ) {
      try {
        // X-Patrolbook-Refresh: the server shows no one-time message to a refresh and leaves the session alone.
        const page = await fetch(url, { cache: "no-cache", headers: { Accept: "text/html", "X-Patrolbook-Refresh": "1" } });
        if (cacheable(page)) await cache.put(pageKey(page.url), page);
      } catch { return; }  // offline again: stop quietly
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PAGES))) if (old.url !== OWNER) await cache.delete(old);
}

self.addEventListener("message", (event) => {
  const { type, user, force } = event.data || {};
  if (type === "SKIP_WAITING") self.skipWaiting();
  else if (type === "WARM") event.waitUntil(warm(user, force).catch(() => null));
  else if (type === "LOGOUT") event.waitUntil(caches.delete(PAGES));
});

// Background Sync (Chromium only, a bonus trigger): let an open page sync, else sync from here.
self.addEventListener("sync", (event) => {
  if (event.tag === "pb-outbox") event.waitUntil(backgroundSync());
});

async function backgroundSync() {
  const windows = await self.clients.matchAll({ type: "window" });
  if (windows.length) {
    windows.forEach((client) => client.postMessage({ type: "SYNC" }));
    return;
  }
  if (!workerSync) return;
  const result = await workerSync(CONFIG);
  if (result.state === "ok") await warm(result.user, result.changed);
  else if (result.state === "retry") throw new Error("sync failed; the browser retries later");
}

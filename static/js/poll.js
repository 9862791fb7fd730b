// data-poll="<url>" (data-poll-every="15", seconds): refresh a server-rendered part while the page is
// visible and online, replacing it with what the server answers (the part itself, as a fragment). It does
// what hx-get + hx-trigger="every 15s" + hx-swap="outerHTML" would, without sending htmx (17 KB gzipped)
// to the officer's home page.
const bound = new WeakSet();

async function refresh(el) {
  if (document.visibilityState !== "visible" || !navigator.onLine) return;
  const response = await fetch(el.dataset.poll, { headers: { "HX-Request": "true" }, credentials: "same-origin" });
  if (!response.ok || response.redirected || !el.isConnected) return;  // a redirect: the login page, not the part
  const parsed = new DOMParser().parseFromString(await response.text(), "text/html");  // scripts stay inert
  el.replaceWith(...parsed.body.childNodes);
  bindPolls();
}

export function bindPolls() {
  for (const el of document.querySelectorAll("[data-poll]")) {
    if (bound.has(el)) continue;
    bound.add(el);
    const every = Math.max(5, Number(el.dataset.pollEvery) || 15) * 1000;
    const timer = setInterval(() => (el.isConnected ? refresh(el).catch(() => null) : clearInterval(timer)), every);
  }
}

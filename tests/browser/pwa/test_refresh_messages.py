"""Issue 10.11: the worker's background refresh of the offline pages shares the officer's session; it must
never take a one-time message (a flash) meant for the page a person is about to see, nor keep one in an
offline copy.

The race, made to happen every time: the answer to a form's POST (a flash in its session cookie, a redirect)
is held until a whole refresh has run, then let through; the page it redirects to must show the message.
"""

from __future__ import annotations

import time

WRONG = "当前密码不正确。"
PAGES = "() => fetch('/pwa/offline-pages').then((r) => r.json()).then((j) => j.urls)"
CACHED_WITH = """async (text) => {
  const cache = await caches.open("pb-pages-v1");
  const found = [];
  for (const key of await cache.keys()) if ((await (await cache.match(key)).text()).includes(text)) found.push(key.url);
  return found;
}"""


def refresh_before_the_redirect(page, context, urls: list[str]):
    """Hold the GET a form's POST redirects to (its flash already in the session cookie), run a whole
    background refresh of the offline pages, then send that GET with the cookies the phone has by then."""
    wanted = {u.lstrip("/") for u in urls}
    refreshed: set[str] = set()
    context.on("requestfinished", lambda r: r.service_worker and refreshed.add(r.url.split("://", 1)[1].split("/", 1)[1]))
    user = page.evaluate("() => document.querySelector('meta[name=pb-user]').content")
    other = context.new_page()  # the refresh is asked for from another tab: this one is navigating
    other.goto("/offline")

    def held(route):
        if route.request.method != "GET" or route.request.service_worker is None:
            return route.fallback()
        refreshed.clear()
        other.evaluate("(user) => navigator.serviceWorker.controller.postMessage({ type: 'WARM', user, force: true })", user)
        end = time.monotonic() + 15
        while not wanted <= refreshed:
            assert time.monotonic() < end, f"the refresh never fetched {sorted(wanted - refreshed)}"
            other.wait_for_timeout(50)
        # Sent now, with the cookies the phone holds now (the paused request still carries the old ones).
        jar = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
        route.fulfill(response=route.fetch(headers={**route.request.all_headers(), "cookie": jar}))

    return held


def test_a_message_after_a_post_survives_a_background_refresh(page, context, pwa):
    pwa.ready_offline(page, "officer", "/today")
    urls = page.evaluate(PAGES)
    assert len(urls) > 3, urls
    held = refresh_before_the_redirect(page, context, urls)
    for attempt in range(4):
        page.goto("/me")
        page.fill("input[name=old_password]", f"not-my-password-{attempt}")
        page.fill("input[name=new_password]", "whatever-long-enough")
        context.route("**/me", held)
        with page.expect_navigation():
            page.locator("form[action$='/me/password'] [type=submit]").click()
        context.unroute("**/me", held)
        assert page.locator(".flash").all_inner_texts() == [WRONG], f"attempt {attempt + 1}: the message went missing"
        assert page.evaluate(CACHED_WITH, WRONG) == [], "an offline copy keeps the message"
    page.screenshot(path="/tmp/offline/me-wrong-password.png")

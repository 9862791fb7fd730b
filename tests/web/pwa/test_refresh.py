"""The worker's background refresh leaves the session alone (webapp/pwa/refresh.py, issue 10.11)."""

from __future__ import annotations

REFRESH = {"X-Patrolbook-Refresh": "1"}
WRONG = "当前密码不正确。"


def wrong_password(client):
    client.get("/me")
    token = client.get("/sync/whoami").get_json()["csrf_token"]
    answer = client.post("/me/password", data={"old_password": "nope", "new_password": "whatever-long",
                                               "csrf_token": token})
    assert answer.status_code == 302


def session_cookies(response) -> list[str]:
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]


def test_a_refresh_neither_shows_nor_takes_the_message_and_writes_no_cookie(client, login_as):
    login_as("officer")
    wrong_password(client)
    refreshed = client.get("/today", headers=REFRESH)
    assert WRONG not in refreshed.get_data(as_text=True)
    assert session_cookies(refreshed) == []
    shown = client.get("/me")
    assert WRONG in shown.get_data(as_text=True), "the message is still there for the page it was meant for"
    assert shown.headers["Cache-Control"] == "no-store", "a page showing a message is never stored"
    assert "no-store" not in client.get("/me").headers.get("Cache-Control", "")


def test_a_background_call_writes_the_session_cookie_only_when_it_changed_it(client, login_as):
    login_as("officer")
    with client.session_transaction() as session:
        session.permanent = True  # as the login form makes it: 30 days from the last page opened
    client.get("/today")
    assert session_cookies(client.get("/sync/whoami", headers={"Sec-Fetch-Mode": "cors"})) == []
    assert session_cookies(client.get("/today", headers={"Sec-Fetch-Mode": "navigate"})) != [], \
        "a page a person opens slides the session's expiry"


def test_pages_whose_query_only_prefills_them_say_so_and_are_kept_bare(client, login_as):
    """The worker answers /notes/new?location_id=N and a spot-check's result URL offline from the bare page."""
    login_as("officer")
    assert client.get("/notes/new?location_id=1").headers["X-Patrolbook-Prefill"] == "area_id location_id"
    urls = client.get("/pwa/offline-pages").get_json()["urls"]
    assert "/notes/new" in urls and "/patrol/findings?status=open_all" in urls
    assert "/patrol/spot-check/result" not in urls, "an officer records no spot-checks"
    assert "X-Patrolbook-Prefill" not in client.get("/patrol/findings?status=open_all").headers, "a filter is a page"
    login_as("supervisor")
    waiting = client.get("/patrol/spot-check/result")
    assert waiting.status_code == 200 and waiting.headers["X-Patrolbook-Prefill"] == "area_id location_id since"
    assert 'hx-get=""' in waiting.get_data(as_text=True), "it asks again at the URL it was opened at"
    assert "/patrol/spot-check/result" in client.get("/pwa/offline-pages").get_json()["urls"]

"""The service worker's background refresh of the offline pages (sw.js `warm`) shares the person's session
cookie, so it must leave that session alone:

- a refresh (header X-Patrolbook-Refresh: 1) shows no one-time message (flash) and never writes the session
  cookie: the message a form's POST left for the page its person is about to see stays there for it;
- a page showing a message is `Cache-Control: no-store`, so no offline copy keeps it;
- any other call a page makes in the background (sync, polls) writes the cookie only when it changed the
  session: a cookie re-sent with the session a call started with would undo what a POST answered meanwhile
  (its message, a new password's login). Only a page a person opens slides the session's expiry.
"""

from __future__ import annotations

from flask import Flask, g, get_flashed_messages, request
from flask.sessions import SecureCookieSessionInterface

HEADER = "X-Patrolbook-Refresh"


def is_refresh() -> bool:
    return request.headers.get(HEADER) == "1"


def is_navigation() -> bool:
    """A page a person opened (browsers say so; a client that does not say is taken as one)."""
    return request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"


class QuietSessions(SecureCookieSessionInterface):
    def save_session(self, app, session, response) -> None:
        if not is_refresh():
            super().save_session(app, session, response)

    def should_set_cookie(self, app, session) -> bool:
        return session.modified or (is_navigation() and super().should_set_cookie(app, session))


def flashed_messages(*args, **kwargs) -> list:
    """get_flashed_messages for templates: none for a refresh (left in the session); a page showing some is
    marked so that it is never stored."""
    if is_refresh():
        return []
    found = get_flashed_messages(*args, **kwargs)
    if found:
        g.pb_flashed = True
    return found


def init_app(app: Flask) -> None:
    app.session_interface = QuietSessions()
    app.context_processor(lambda: {"get_flashed_messages": flashed_messages})

    @app.after_request
    def never_store_messages(response):
        if g.get("pb_flashed"):
            response.headers["Cache-Control"] = "no-store"
        return response

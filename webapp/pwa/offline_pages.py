"""Which pages each user needs offline.

A domain registers a provider in its init_app::

    def offline_pages(user) -> list[str]:
        return [url_for("patrol.round_form", location_id=loc.id) for loc in locations_for(user)]

    hooks_of(app).add_offline_pages(offline_pages)

The service worker fetches the union from ``GET /pwa/offline-pages`` after login and after every sync and
keeps those pages in its page cache, so they open in a basement. Keep the list short (a phone has little
storage, the worker keeps 150 pages at most): a URL whose query is a filter is a page of its own (list the
few an officer follows, as patrol does for the open findings); a page whose query only pre-fills it says so
with ``X-Patrolbook-Prefill: <names>`` and reads the query in its script (static/js/prefill.js), and the
worker answers every such URL from its cached bare page (notes.new, patrol.spot_check_result).
Those refreshes carry ``X-Patrolbook-Refresh: 1``: the server shows them no one-time message and leaves the
session alone (refresh.py).
"""

from __future__ import annotations

from contextlib import suppress

from flask import current_app, url_for
from werkzeug.routing import BuildError

from ..kernel.hooks import hooks_of

# Endpoints every logged-in user wants offline, when the app has them.
ALWAYS = ("home.today", "pwa.outbox")


def offline_urls(user) -> list[str]:
    """The ordered, de-duplicated union of every provider's URLs (a failing provider is logged, not fatal)."""
    urls: list[str] = []
    for endpoint in ALWAYS:
        with suppress(BuildError):
            urls.append(url_for(endpoint))
    for provider in hooks_of().offline_pages:
        try:
            urls.extend(provider(user) or ())
        except Exception:  # one broken domain must not stop the others being warmed
            current_app.logger.exception("offline pages provider %r failed", provider)
    return [
        u for u in dict.fromkeys(urls) if isinstance(u, str) and u.startswith("/") and not u.startswith("//")
    ]

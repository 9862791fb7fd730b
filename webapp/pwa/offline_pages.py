"""Which pages each user needs offline.

Domain blueprints register a provider at import time::

    from webapp.pwa.offline_pages import offline_pages_provider

    @offline_pages_provider
    def patrol_pages(user) -> list[str]:
        return [url_for("patrol.start_round", location_id=loc.id) for loc in locations_for(user)]

The service worker fetches the union from ``GET /pwa/offline-pages`` after login and after every sync and
keeps those pages in its page cache, so they open in a basement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress

from flask import current_app, url_for
from werkzeug.routing import BuildError

Provider = Callable[[object], Iterable[str]]
PROVIDERS: list[Provider] = []

# Endpoints every logged-in user wants offline, when the app has them.
ALWAYS = ("home.today", "pwa.outbox")


def offline_pages_provider(fn: Provider) -> Provider:
    """Register fn(user) -> URLs (same-site paths) that user needs offline."""
    if fn not in PROVIDERS:
        PROVIDERS.append(fn)
    return fn


def offline_urls(user) -> list[str]:
    """The ordered, de-duplicated union of every provider's URLs (a failing provider is logged, not fatal)."""
    urls: list[str] = []
    for endpoint in ALWAYS:
        with suppress(BuildError):
            urls.append(url_for(endpoint))
    for provider in PROVIDERS:
        try:
            urls.extend(provider(user) or ())
        except Exception:  # one broken domain must not stop the others being warmed
            current_app.logger.exception("offline pages provider %r failed", provider)
    return [
        u for u in dict.fromkeys(urls) if isinstance(u, str) and u.startswith("/") and not u.startswith("//")
    ]

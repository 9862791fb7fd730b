"""Every route of the app, walked by every role: nothing opens without a login, nothing answers 500,
and every navigation link a role is shown opens for that role.

The domain test files check the finer rules (403 across areas, per object); this file makes sure a
new route cannot forget the login or crash on an ordinary visit.
"""

from __future__ import annotations

import re
import uuid

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter, UUIDConverter

from webapp.kernel.hooks import nav_for

PUBLIC = {"auth.login", "auth.set_language", "pwa.favicon", "pwa.manifest", "pwa.offline", "static",
          "pwa.service_worker", "sync_api.openapi"}
# Views open to every logged-in person, each scoping what it shows itself (the sync API by the user's areas).
ANY_LOGGED_IN = {"auth.logout", "home.index", "home.today", "home.overview", "pwa.outbox", "pwa.offline_pages",
                 "sync_api.whoami", "sync_api.push", "sync_api.pull", "sync_api.upload_media", "sync_api.media",
                 "sync_api.form_fallback"}
ROLES = ["officer", "supervisor", "manager", "frontdesk", "finance", "team", "admin"]


def sample_args(rule) -> dict:
    """Plausible values for a rule's arguments: ids that exist in the demo or could."""
    values = {}
    for name, converter in rule._converters.items():
        values[name] = (1 if isinstance(converter, IntegerConverter) else uuid.uuid4()
                        if isinstance(converter, UUIDConverter) else "x")
    return values


def every_route(app, methods=("GET", "POST", "PUT")):
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            for method in sorted(rule.methods & set(methods)):
                yield rule.endpoint, method, url_for(rule.endpoint, **sample_args(rule))


def test_nothing_opens_without_a_login(app, client):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)  # so CSRF cannot hide a gap
    checked = 0
    for endpoint, method, url in every_route(app):
        if endpoint in PUBLIC:
            continue
        response = client.open(url, method=method, headers={"Accept": "text/html", "X-CSRFToken": token})
        checked += 1
        assert response.status_code in (302, 401), (method, url, response.status_code)
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/login"), (method, url)
        response.close()
    assert checked > 40


def test_every_view_states_who_may_use_it(app):
    undeclared = {rule.endpoint for rule in app.url_map.iter_rules()
                  if getattr(app.view_functions[rule.endpoint], "allowed_roles", None) is None}
    assert undeclared <= PUBLIC | ANY_LOGGED_IN, f"views with no roles_required(...): {undeclared - PUBLIC - ANY_LOGGED_IN}"


@pytest.mark.parametrize("who", ROLES)
def test_every_route_refuses_the_roles_it_does_not_name(app, client, login_as, csrf, who):
    """A role a view does not name gets 403 for every method, before anything is looked up or stored."""
    role = login_as(who).role
    token = csrf()
    refused = 0
    for endpoint, method, url in every_route(app, methods=("GET", "POST", "PUT", "DELETE")):
        allowed = getattr(app.view_functions[endpoint], "allowed_roles", None)
        if allowed is None or role in allowed:
            continue
        response = client.open(url, method=method, headers={"Accept": "text/html", "X-CSRFToken": token})
        assert response.status_code == 403, (who, method, url, response.status_code)
        response.close()
        refused += 1
    assert who == "admin" or refused


@pytest.mark.parametrize("who", ROLES)
def test_every_page_answers_every_role_without_an_error(app, client, login_as, who):
    login_as(who)
    seen = set()
    for endpoint, _method, url in every_route(app, methods=("GET",)):
        if endpoint == "static":
            continue
        response = client.get(url)
        seen.add(response.status_code)
        assert response.status_code in (200, 302, 403, 404), (who, url, response.status_code)
        if response.status_code == 403:
            body = response.get_data(as_text=True)
            assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", body), f"a 403 page leaks a phone number: {url}"
        response.close()
    assert 200 in seen and (who == "admin" or 403 in seen)


@pytest.mark.parametrize("who", ROLES)
def test_every_navigation_link_a_role_sees_opens(app, client, login_as, users, who):
    user = login_as(who)
    with app.test_request_context():
        from webapp.auth.models import User
        from webapp.extensions import db

        account = db.session.get(User, user.id)
        links = {url_for(item.endpoint) for slot in ("bottom", "desk") for item in nav_for(account, slot)}
        db.session.remove()
    assert links
    for link in sorted(links):
        assert client.get(link).status_code == 200, (who, link)

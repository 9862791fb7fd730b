"""Finance (财务) sees the fee pages and nothing of residents' visits, patrols or archives (issue 13)."""

from __future__ import annotations

from flask import url_for

from tests.web.app.test_access_matrix import ANY_LOGGED_IN, PUBLIC, every_route
from webapp.kernel.hooks import nav_for


def test_finance_opens_only_the_fee_pages(app, client, login_as):
    role = login_as("finance").role
    opened = set()
    for endpoint, _method, _url in every_route(app, methods=("GET", "POST", "PUT", "DELETE")):
        allowed = getattr(app.view_functions[endpoint], "allowed_roles", None)
        if allowed is not None and role in allowed:
            opened.add(endpoint)
    # their own account, and the emergency report everyone can make
    others = {e for e in opened if not e.startswith(("fees.", "auth."))} - {"patrol.emergency_form"}
    assert any(e.startswith("fees.") for e in opened) and not others, sorted(others)
    for url in ("/residents/", "/residents/register", "/estate/", "/patrol/findings", "/notes/"):
        assert client.get(url).status_code == 403, url
    assert client.get("/fees/lists").status_code == 200
    assert not (set(PUBLIC) | set(ANY_LOGGED_IN)) & opened


def test_finance_keeps_no_records_offline_and_pulls_none(app, client, login_as, users, make_note):
    make_note(1, "东区大堂")  # a record of the finance person's estate
    login_as("finance")
    pulled = client.get("/sync/pull?cursor=0&limit=500")
    assert pulled.status_code == 200
    assert pulled.get_json()["changes"] == []
    login_as("supervisor")  # the same estate: its records are there to pull
    assert client.get("/sync/pull?cursor=0&limit=500").get_json()["changes"]


def test_finance_navigation_is_the_fees_only(app, users):
    with app.test_request_context():
        from webapp.auth.models import User
        from webapp.extensions import db

        account = db.session.get(User, users["finance"].id)
        links = {url_for(item.endpoint) for slot in ("bottom", "desk", "me") for item in nav_for(account, slot)}
    assert links and all(link.startswith("/fees/") or link in ("/me", "/today", "/outbox") for link in links), links

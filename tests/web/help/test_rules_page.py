"""规程: the procedures page the desk links rule ids to, and no rule id on an officer's screens."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from webapp.areas.models import Area
from webapp.extensions import db

RULE_ID = re.compile(r"R-[A-Z]+-\d+")
DESK = ("supervisor", "manager", "frontdesk", "admin")


@pytest.mark.parametrize("role", ("officer", "team", *DESK))
def test_the_procedures_are_the_desks(client, login_as, role):
    login_as(role)
    assert client.get("/help/rules").status_code == (200 if role in DESK else 403)


def test_the_procedures_need_a_login(client):
    assert client.get("/help/rules").status_code == 302


def test_each_rule_has_an_anchor_and_its_text_in_both_languages(client, login_as):
    login_as("supervisor")
    page = client.get("/help/rules").get_data(as_text=True)
    rule = page[page.index('id="R-SUP-1"'):page.index('id="R-SUP-2"')]
    assert "每月至少两次全面检查" in rule and "at least twice a month" in rule
    assert len(re.findall(r'<article class="rule" id="R-[A-Z]+-\d+"', page)) >= 50


@pytest.mark.parametrize(("role", "url", "rule"), [
    ("manager", "/policies/", "R-VIS-1"),
    ("supervisor", "/patrol/", "R-SUP-1"),
    ("supervisor", "/patrol/templates", "R-PAT-2"),
    ("supervisor", "/overview", "R-SUP-1"),  # the obligations: a spot-check is due
])
def test_desk_pages_link_rule_ids_to_their_text(client, login_as, role, url, rule):
    login_as(role)
    page = client.get(url).get_data(as_text=True)
    assert f'href="/help/rules#{rule}"' in page


def officer_pages(app) -> list[str]:
    """Every page without arguments an officer may open, and their area's pages."""
    with app.app_context():
        east = db.session.scalar(select(Area.id).where(Area.name == "东区"))
        plain = sorted({rule.rule for rule in app.url_map.iter_rules()
                        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(("/sync", "/static"))})
        db.session.remove()
    return plain + [f"/areas/{east}", f"/areas/{east}/lobby-card"]


def test_an_officer_sees_no_rule_id_anywhere(app, client, login_as):
    login_as("officer")
    shown = {}
    for url in officer_pages(app):
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            found = RULE_ID.findall(response.get_data(as_text=True))
            if found:
                shown[url] = sorted(set(found))
        response.close()
    assert shown == {}

"""Issue 10 (7): field staff never see a version number ("v1", "版本 1") on a checklist, a finding or a unit's
file (UX.md: people's words only); desk pages name a checklist's version in words (第 1 版)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from webapp.areas.models import Area, KeyLocation
from webapp.extensions import db
from webapp.patrol.models import ChecklistTemplate, Finding
from webapp.renovation.models import Renovation

VERSION = re.compile(r"\bv\d+\b|版本\s*\d|Version\s*\d|第\s*\d+\s*版")


def visible(html: str) -> str:
    """The page's text, without attributes, scripts or the JSON blocks."""
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def field_pages(app):
    with app.app_context():
        east = db.session.scalar(select(Area).where(Area.code == "A1"))
        lobby = db.session.scalar(select(KeyLocation.id).where(KeyLocation.area_id == east.id,
                                                               KeyLocation.kind == "lobby").order_by(KeyLocation.id))
        finding = db.session.scalar(select(Finding.id).where(Finding.area_id == east.id).order_by(Finding.id))
        ren = db.session.scalar(select(Renovation.id).where(Renovation.area_id == east.id,
                                                            Renovation.status == "in_progress").order_by(Renovation.id))
        db.session.remove()
    return [f"/patrol/round/new?location_id={lobby}", f"/patrol/round/full?area_id={east.id}",
            f"/patrol/findings/{finding}", f"/renovation/{ren}", f"/renovation/{ren}/inspect"]


@pytest.mark.parametrize("who", ["officer", "supervisor"])
def test_no_version_numbers_on_field_pages(client, login_as, field_pages, who):
    login_as(who)
    for url in field_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        found = VERSION.findall(visible(response.get_data(as_text=True)))
        assert found == [], f"{url} shows {found}"


def test_desk_checklist_pages_name_the_version_in_words(client, login_as, app):
    with app.app_context():
        template = db.session.scalar(select(ChecklistTemplate.id).order_by(ChecklistTemplate.id))
        db.session.remove()
    login_as("supervisor")
    for url in ("/patrol/templates", f"/patrol/templates/{template}", f"/patrol/templates/{template}/edit",
                "/renovation/template"):
        text = visible(client.get(url).get_data(as_text=True))
        assert not re.search(r"\bv\d+\b", text), url
        assert re.search(r"第\s*\d+\s*版", text), url

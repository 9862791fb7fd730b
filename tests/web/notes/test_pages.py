"""Quick notes pages by role and area (issue 3, R-REC-1): officers see only their areas' notes; another
area's note is 403; the no-JS form refuses bad input with a message and stores nothing."""

from __future__ import annotations

import re
import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from webapp.areas.models import Area
from webapp.extensions import db
from webapp.notes.models import QuickNote


def area_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Area.id).where(Area.name == name))


def note_count(app) -> int:
    with app.app_context():
        try:
            return db.session.scalar(select(func.count()).select_from(QuickNote))
        finally:
            db.session.remove()


@pytest.fixture
def areas(users, make_area):
    """Two new areas: east held by the demo officer (wangxm), south by officer2 (lina)."""
    return SimpleNamespace(east=make_area(officer=users["officer"]), south=make_area(officer=users["officer2"]))


@pytest.fixture
def note_in(users, make_note):
    """note_in(area, "text") → the id of a note the supervisor pushed into that area (not its officer:
    what an officer sees follows the area, not the author)."""
    return lambda area, text: make_note(area, text, by=users["supervisor"]).id


def test_officer_sees_only_notes_of_own_areas(client, login_as, areas, note_in):
    note_in(areas.east, "东区大堂灯不亮")
    note_in(areas.south, "南区车库积水")
    login_as("officer")
    page = client.get("/notes/").get_data(as_text=True)
    assert "东区大堂灯不亮" in page and "南区车库积水" not in page
    login_as("officer2")
    page = client.get("/notes/").get_data(as_text=True)
    assert "南区车库积水" in page and "东区大堂灯不亮" not in page


def test_another_areas_note_is_403_and_leaks_nothing(client, login_as, areas, note_in):
    south = note_in(areas.south, "南区车库积水")
    login_as("officer")
    for path in (f"/notes/{south}", f"/notes/{south}/edit"):
        response = client.get(path)
        assert response.status_code == 403
        assert "南区车库积水" not in response.get_data(as_text=True)


def test_own_areas_note_detail_and_edit(client, login_as, areas, note_in):
    east = note_in(areas.east, "东区大堂灯不亮")
    login_as("officer")
    assert "东区大堂灯不亮" in client.get(f"/notes/{east}").get_data(as_text=True)
    form = client.get(f"/notes/{east}/edit").get_data(as_text=True)
    assert 'data-offline-op="update"' in form and f'data-record-id="{east}"' in form
    assert client.get(f"/notes/{uuid.uuid4()}").status_code == 404
    assert client.get("/notes/not-a-uuid").status_code == 404


def test_supervisor_sees_every_area(client, login_as, areas, note_in):
    note_in(areas.east, "东区大堂灯不亮")
    note_in(areas.south, "南区车库积水")
    login_as("supervisor")
    page = client.get("/notes/").get_data(as_text=True)
    assert "东区大堂灯不亮" in page and "南区车库积水" in page


def test_team_has_no_notes(client, login_as):
    login_as("team")
    assert client.get("/notes/").status_code == 403
    assert client.get("/notes/new").status_code == 403


def test_new_note_form_offers_only_own_areas(app, client, login_as):
    login_as("officer")
    page = client.get("/notes/new").get_data(as_text=True)
    areas = page.split('id="f-area"', 1)[1].split("</select>", 1)[0]
    assert f'value="{area_id(app, "东区")}"' in areas and f'value="{area_id(app, "南区")}"' not in areas
    assert "南区" not in page
    assert 'data-offline-entity="quick_note"' in page and 'data-photo-field="photo_ids"' in page


def form_post(client, csrf, **fields):
    body = {"csrf_token": csrf(), "op": "create", "record_id": str(uuid.uuid4()), "return_url": "/notes/", **fields}
    return client.post("/sync/form/quick_note", data=body)


def test_form_fallback_stores_a_good_note(app, client, login_as, csrf):
    login_as("officer")
    response = form_post(client, csrf, area_id=str(area_id(app, "东区")), text="楼道堆物")
    assert response.status_code == 302 and note_count(app) == 1


@pytest.mark.parametrize("fields", [{"text": "楼道堆物"}, {"area_id": "x", "text": "楼道堆物"},
                                    {"area_id": "EAST", "text": ""}, {"area_id": "EAST", "text": " \n\t "},
                                    {"area_id": "EAST", "text": "长" * 2001}])
def test_bad_note_is_refused_with_a_message_and_nothing_stored(app, client, login_as, csrf, fields):
    login_as("officer")
    if fields.get("area_id") == "EAST":
        fields = {**fields, "area_id": str(area_id(app, "东区"))}
    response = form_post(client, csrf, **fields)
    assert 400 <= response.status_code < 500
    page = response.get_data(as_text=True)  # no JavaScript: a page in the user's language, not JSON
    assert "<html" in page and 'role="alert"' in page and re.search(r"[\u4e00-\u9fff]", page)
    assert note_count(app) == 0


def test_note_into_another_area_is_403_nothing_stored(app, client, login_as, csrf):
    login_as("officer")
    response = form_post(client, csrf, area_id=str(area_id(app, "南区")), text="越权")
    assert response.status_code == 403 and note_count(app) == 0


def test_form_without_csrf_is_refused(app, client, login_as):
    login_as("officer")
    response = client.post("/sync/form/quick_note", data={"op": "create", "record_id": str(uuid.uuid4()),
                                                          "area_id": str(area_id(app, "东区")), "text": "无令牌"})
    assert response.status_code == 400 and note_count(app) == 0


@pytest.mark.parametrize("who,has_note_button", [("officer", True), ("supervisor", True), ("team", False),
                                                 ("frontdesk", False)])
def test_a_quick_note_is_one_tap_from_every_page_for_field_people(client, login_as, who, has_note_button):
    login_as(who)
    for path in ("/today", "/me", "/outbox"):
        page = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert ("data-fab-note" in page) is has_note_button, (who, path)


def test_the_note_button_carries_the_location_in_hand(client, login_as):
    login_as("officer")
    page = client.get("/patrol/round/new?location_id=1").get_data(as_text=True)
    assert 'href="/notes/new?location_id=1"' in page


def test_the_officers_bottom_bar_has_five_items_and_the_rest_is_on_me(client, login_as):
    login_as("officer")
    page = client.get("/me").get_data(as_text=True)
    bottom = page.split('class="bottom-nav')[1].split("</nav>")[0]
    assert bottom.count("<a ") == 5  # UX.md: 今日, 巡查, 装修, 待同步, 我的
    more = page.split('aria-label="更多"')[1].split("</nav>")[0]
    assert "/notes/" in more and "/estate/" in more

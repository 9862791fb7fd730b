"""The conflicts inbox by role (issue 3): supervisors, managers and admins only; resolving needs CSRF;
bad input is refused with a message and changes nothing; a resolution lands on the note."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from sync.models import Conflict
from webapp.areas.models import Area
from webapp.extensions import db
from webapp.notes.models import QuickNote


def query(app, fn):
    with app.app_context():
        try:
            return fn()
        finally:
            db.session.remove()


@pytest.fixture
def conflict(app, client, login_as):
    """A note the supervisor changed online while the officer changed the same field offline → its conflict id."""

    def push(who, op, record, base, fields):
        login_as(who)
        token = client.get("/sync/whoami").get_json()["csrf_token"]
        mutation = {"mutation_id": str(uuid.uuid4()), "entity": "quick_note", "record_id": record, "op": op,
                    "base_version": base, "fields": fields, "observed_at": datetime.now(UTC).isoformat()}
        response = client.post("/sync/push", data=json.dumps({"device_id": f"dev-{who}", "mutations": [mutation]}),
                               content_type="application/json", headers={"X-CSRFToken": token})
        return response.get_json()["results"][0]

    east = query(app, lambda: db.session.scalar(select(Area.id).where(Area.name == "东区")))
    record = str(uuid.uuid4())
    assert push("officer", "create", record, None, {"area_id": east, "text": "大堂灯不亮"})["status"] == "applied"
    assert push("supervisor", "update", record, 1, {"text": "大堂灯不亮，已报修"})["status"] == "applied"
    result = push("officer", "update", record, 1, {"text": "大堂灯已修好"})
    assert result["status"] == "conflict"
    return {"id": result["conflict_id"], "record": record}


def note_text(app, record):
    return query(app, lambda: db.session.get(QuickNote, record).text)


def status_of(app, conflict_id):
    return query(app, lambda: db.session.get(Conflict, conflict_id).status)


@pytest.mark.parametrize("who", ["officer", "frontdesk", "team"])
def test_inbox_is_for_leads_only(client, login_as, csrf, conflict, who, app):
    login_as(who)
    assert client.get("/conflicts/").status_code == 403
    assert client.get(f"/conflicts/{conflict['id']}").status_code == 403
    token = csrf()
    response = client.post(f"/conflicts/{conflict['id']}", data={"csrf_token": token, "choice": "device"})
    assert response.status_code == 403
    assert status_of(app, conflict["id"]) == "open"


@pytest.mark.parametrize("who", ["supervisor", "manager", "admin"])
def test_leads_see_both_values(client, login_as, conflict, who):
    login_as(who)
    inbox = client.get("/conflicts/").get_data(as_text=True)
    assert f"/conflicts/{conflict['id']}" in inbox
    page = client.get(f"/conflicts/{conflict['id']}").get_data(as_text=True)
    assert "大堂灯不亮，已报修" in page and "大堂灯已修好" in page


def test_anonymous_is_sent_to_login(client, conflict):
    with client.session_transaction() as session:
        session.clear()
    response = client.get("/conflicts/")
    assert response.status_code in (302, 401)


def test_unknown_conflict_is_404(client, login_as, conflict):
    login_as("supervisor")
    assert client.get("/conflicts/nope").status_code == 404


def test_resolve_needs_csrf(app, client, login_as, conflict):
    login_as("supervisor")
    response = client.post(f"/conflicts/{conflict['id']}", data={"choice": "device"})
    assert response.status_code == 400
    assert status_of(app, conflict["id"]) == "open" and note_text(app, conflict["record"]) == "大堂灯不亮，已报修"


def test_bad_choice_is_refused_with_a_message(app, client, login_as, csrf, conflict):
    login_as("supervisor")
    response = client.post(f"/conflicts/{conflict['id']}", data={"csrf_token": csrf(), "choice": "both"})
    assert response.status_code == 400
    assert "flash-error" in response.get_data(as_text=True)
    assert status_of(app, conflict["id"]) == "open"


def test_bad_edit_is_refused_with_a_message(app, client, login_as, csrf, conflict):
    login_as("supervisor")
    response = client.post(f"/conflicts/{conflict['id']}",
                           data={"csrf_token": csrf(), "choice": "edit", "field_text": ""})
    assert response.status_code == 422
    assert "flash-error" in response.get_data(as_text=True)
    assert status_of(app, conflict["id"]) == "open" and note_text(app, conflict["record"]) == "大堂灯不亮，已报修"


@pytest.mark.parametrize(("choice", "extra", "expected"), [
    ("device", {}, "大堂灯已修好"),
    ("server", {}, "大堂灯不亮，已报修"),
    ("edit", {"field_text": "大堂灯已修好（主管确认）"}, "大堂灯已修好（主管确认）"),
])
def test_resolution_lands_on_the_note(app, client, login_as, csrf, conflict, choice, extra, expected):
    login_as("supervisor")
    response = client.post(f"/conflicts/{conflict['id']}", data={"csrf_token": csrf(), "choice": choice, **extra})
    assert response.status_code == 302
    assert status_of(app, conflict["id"]) == "resolved" and note_text(app, conflict["record"]) == expected
    assert f"/conflicts/{conflict['id']}" in client.get("/conflicts/?status=resolved").get_data(as_text=True)
    again = client.post(f"/conflicts/{conflict['id']}", data={"csrf_token": csrf(), "choice": "device"})
    assert 400 <= again.status_code < 500, "a resolved conflict is not resolved twice"


def test_a_conflict_reads_in_words_with_its_authors_and_a_link(client, login_as, conflict, users):
    """Issue 10 (7): the reason in Chinese, fields by their labels, who made each side, a link to the note;
    never the engine's English, a field's name or the entity's code."""
    login_as("supervisor")
    inbox = client.get("/conflicts/").get_data(as_text=True)
    assert "随手记 · 内容" in inbox and "别人已改过同一项内容" in inbox
    assert f"来自{users['officer'].display_name}的手机" in inbox
    page = client.get(f"/conflicts/{conflict['id']}").get_data(as_text=True)
    assert "Someone else" not in page and "别人已改过同一项内容" in page
    assert '<th scope="row">内容' in page and '<th scope="row">text' not in page
    assert f"{users['supervisor'].display_name}保存" in page  # the server's side: the supervisor's online edit
    assert f"{users['officer'].display_name}的手机提交" in page
    assert f'href="/notes/{conflict["record"]}"' in page
    assert 'for="edit-text">内容</label>' in page

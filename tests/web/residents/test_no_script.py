"""The visit form without script (R-VIS-5): the household found by a plain search, the visit and an opinion
typed in the form's fixed rows posted as a browser without script posts them."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from webapp.extensions import db
from webapp.residents.models import Case, Visit


def form_of(page: str) -> tuple[str, dict]:
    """The visit form's action and what a browser sends of it untouched: its hidden fields, the checked radios."""
    form = page[page.index("<form", page.index("data-visit-form") - 400):]
    form = form[:form.index("</form>")]
    action = html.unescape(re.search(r'action="([^"]+)"', form).group(1))
    sent = {name: html.unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)}
    sent.update(re.findall(r'<input type="radio" name="([^"]+)" value="([^"]+)" checked', form))
    return action, sent


def test_a_household_is_found_by_a_plain_search(client, login_as, place):
    login_as("officer")
    page = client.get("/residents/visit?q=王秀英").get_data(as_text=True)
    links = re.findall(r'href="/residents/visit\?household=(\d+)', page[page.index("data-lookup-results"):])
    assert links == [str(place["households"][1])]
    assert "没有找到这户。" in client.get("/residents/visit?q=赵敏").get_data(as_text=True)  # another officer's
    chosen = client.get(f"/residents/visit?household={links[0]}").get_data(as_text=True)
    assert form_of(chosen)[1]["household_id"] == links[0]


def test_a_visit_with_an_opinion_is_saved_without_script(client, login_as, place, ctx):
    login_as("officer")
    action, sent = form_of(client.get(f"/residents/visit?household={place['households'][0]}").get_data(as_text=True))
    assert sent["opinions"] == "[]" and sent["kind"] == "home"
    sent.update({"met": "业主本人", "op-type-1": "repair", "op-text-1": "卫生间天花板渗水", "op-warranty-1": "true",
                 "op-type-2": "complaint", "op-text-2": ""})
    response = client.post(action, data=sent)
    assert response.status_code == 302 and response.headers["Location"].endswith("/residents/")
    visit = db.session.get(Visit, sent["record_id"])
    assert visit.met == "业主本人" and [o["text"] for o in visit.opinions] == ["卫生间天花板渗水"]
    [case] = db.session.scalars(select(Case).where(Case.visit_id == visit.id)).all()
    assert (case.type, case.warranty) == ("repair", True)


def test_a_bad_opinion_without_script_says_so_and_stores_nothing(client, login_as, place, ctx):
    login_as("officer")
    action, sent = form_of(client.get(f"/residents/visit?household={place['households'][0]}").get_data(as_text=True))
    response = client.post(action, data={**sent, "op-type-1": "gossip", "op-text-1": "闲聊"})
    assert response.status_code == 422 and "请选择意见类别。" in response.get_data(as_text=True)
    assert db.session.get(Visit, sent["record_id"]) is None


def test_a_matter_without_script_is_due_by_its_kind(client, login_as, place, ctx):
    """R-REQ-1: dated on the server as the phone's script dates it — a repair 7 days on, not the form's
    first guess (a complaint's)."""
    from datetime import timedelta

    from webapp.residents.views_field import today

    login_as("frontdesk")
    page = client.get("/residents/cases/new").get_data(as_text=True)
    form = page[page.index("<form", page.index("data-case-form") - 400):]
    action = html.unescape(re.search(r'action="([^"]+)"', form).group(1))
    sent = {name: html.unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[:form.index("</form>")])}
    sent.update({"area_id": str(place["area"]), "place": "3栋地下车库入口", "type": "repair", "description": "车库入口积水",
                 "source": "phone_call", "urgency": "normal"})
    assert client.post(action, data=sent).status_code == 302
    case = db.session.get(Case, sent["record_id"])
    day = today()
    assert (case.received_on, case.due_on) == (day, day + timedelta(days=7))

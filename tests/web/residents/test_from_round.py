"""A household met on a patrol round (顺访业户, R-VIS-3): the round form and the round's page open the visit
form with the round and its area; the visit form is answered offline from its cached plain page."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit


def _visit_link(page: str) -> dict:
    link = re.search(r'<a class="btn btn-secondary" data-visit-from-round\s+href="([^"]+)"', page)
    assert link, "no 顺访业户 link"
    url = urlsplit(html.unescape(link.group(1)))
    assert url.path == "/residents/visit"
    return {k: v[0] for k, v in parse_qs(url.query).items()}


def test_the_round_form_opens_a_visit_with_the_round_and_its_area(client, login_as, users, make_area):
    area = make_area(officer=users["officer"], buildings=1)
    login_as("officer")
    page = client.get(f"/patrol/round/new?location_id={area.lobby}").get_data(as_text=True)
    query = _visit_link(page)
    # the round the form would send without script is the one the visit names
    assert query == {"round": re.search(r'name="record_id" value="([^"]+)"', page).group(1), "area": str(area.id)}
    assert "顺访业户" in page
    visit = client.get(f"/residents/visit?round={query['round']}&area={area.id}")
    assert f'name="round_id" value="{query["round"]}"' in visit.get_data(as_text=True)
    # offline, the worker answers any such link from the one cached /residents/visit
    assert set(visit.headers["X-Patrolbook-Prefill"].split()) == {"round", "area"}


def test_the_rounds_page_offers_its_author_a_visit(client, login_as, users, make_area, make_round):
    area = make_area(officer=users["officer"], buildings=1)
    done = make_round(area.lobby)
    login_as("officer")
    assert _visit_link(client.get(f"/patrol/rounds/{done.id}").get_data(as_text=True)) == {
        "round": done.id, "area": str(area.id)}
    login_as("supervisor")  # someone else's round: not theirs to visit from
    assert "data-visit-from-round" not in client.get(f"/patrol/rounds/{done.id}").get_data(as_text=True)

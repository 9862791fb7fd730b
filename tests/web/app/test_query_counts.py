"""SQL queries per request of the main pages: a bounded number (issue 17: ≤ 30), the same however many areas,
key locations and renovations the estate has — a query per area or per row (an N+1) fails here. Counts are
stable, unlike times (those are measured on demand: tests/perf/test_page_perf.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from webapp.areas.models import Area
from webapp.extensions import db

LIMIT = 30
PAGES = (
    ("officer", "/today"), ("officer", "/patrol/"), ("officer", "/patrol/findings"), ("officer", "/renovation/"),
    ("supervisor", "/overview"), ("supervisor", "/patrol/coverage"), ("supervisor", "/patrol/coverage/officers"),
    ("supervisor", "/patrol/findings"), ("supervisor", "/renovation/"), ("supervisor", "/areas/"),
    ("supervisor", "/areas/tables"), ("supervisor", "/patrol/rounds"), ("supervisor", "/patrol/emergencies"),
    ("supervisor", "/notes/"), ("supervisor", "/policies/"), ("supervisor", "/people/"), ("manager", "/overview"), ("frontdesk", "/overview"), ("team", "/today"),
    ("team", "/patrol/findings"),
    ("officer", "/residents/"), ("officer", "/residents/visit"), ("officer", "/residents/cases"),
    ("supervisor", "/residents/"), ("supervisor", "/residents/register"), ("supervisor", "/residents/check"),
    ("officer", "/records/"), ("supervisor", "/records/review"),
    ("frontdesk", "/duty/"), ("frontdesk", "/duty/new"), ("supervisor", "/duty/verify"),
    ("frontdesk", "/duty/handover"), ("frontdesk", "/duty/roster"), ("supervisor", "/duty/check"), ("frontdesk", "/keys/"),
    ("officer", "/fees/"), ("supervisor", "/fees/"), ("finance", "/fees/lists"),
    ("finance", "/today"), ("finance", "/fees/glance"),
)
# Lists of records (rounds, findings, notes, emergencies): the same number of queries for a page of 30 rows
# as for one — what each row shows is loaded with the rows.


def queries_of(app, client, page: str) -> int:
    """The statements one request of the page executes, once warm (a first request fills caches)."""
    assert client.get(page).status_code == 200
    seen = []

    def count(*args):
        seen.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(page).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def counts(app, client, login_as) -> dict[tuple[str, str], int]:
    found = {}
    for who, page in PAGES:
        login_as(who)
        found[(who, page)] = queries_of(app, client, page)
    return found


@pytest.mark.parametrize(("who", "page"), PAGES)
def test_a_main_page_makes_few_queries(app, client, login_as, who, page):
    login_as(who)
    assert queries_of(app, client, page) <= LIMIT


def test_queries_do_not_grow_with_areas_key_locations_and_renovations(app, client, login_as, make_user, make_area,
                                                                       make_key_location, make_renovation):
    before = counts(app, client, login_as)
    for _ in range(6):  # 4 areas → 10, each held by an officer, with key locations and a unit under renovation
        area = make_area(officer=make_user(role="officer").username, key_locations=("lobby", "leisure", "other"),
                         buildings=1)
        make_renovation(area)
    with app.app_context():
        own = db.session.scalar(select(Area.id).where(Area.code == "A1"))  # the demo officer's (东区)
    for kind in ("lobby", "leisure", "other"):
        make_key_location(own, kind=kind)
    after = counts(app, client, login_as)
    grown = {key: (before[key], after[key]) for key in before if after[key] != before[key]}
    assert not grown, f"queries before → after: {grown}"


def test_a_list_makes_as_many_queries_for_five_rows_as_for_one(app, client, login_as, make_user, make_area,
                                                                 make_round, make_note):
    officer = make_user(role="officer")
    area = make_area(officer=officer.username, key_locations=("lobby",) * 5)
    lists = (f"/patrol/rounds?area_id={area.id}", f"/patrol/findings?area_id={area.id}")

    def add(location):
        make_round(location, defects={"lighting": "灯不亮"})
        make_note(area, key_location=location)

    def measured():
        login_as("supervisor")
        found = {page: queries_of(app, client, page) for page in lists}
        login_as(officer.username)
        return found | {"/notes/": queries_of(app, client, "/notes/")}

    add(area.key_location_ids[0])
    one = measured()
    for location in area.key_location_ids[1:]:  # each row at another key location
        add(location)
    assert measured() == one


def test_a_unit_waiting_to_start_on_a_floor_under_way_costs_the_overview_nothing(app, client, login_as, make_user,
                                                                                  make_area, make_renovation):
    """R-PAT-1 = R-REN-1: the floor is a key location while a unit on it is under way; a second unit there,
    approved to start later, shares it — and must not make every overview re-check (and re-save) the floor."""
    area = make_area(officer=make_user(role="officer").username, buildings=1)  # two units a floor
    make_renovation(area, status="in_progress")
    login_as("supervisor")
    alone = queries_of(app, client, "/overview")
    waiting = make_renovation(area, status="approved", start=date.today() + timedelta(days=5))
    assert waiting.key_location_id is not None  # the floor it shares
    assert queries_of(app, client, "/overview") == alone

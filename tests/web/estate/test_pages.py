"""The estate pages: browse, search-as-you-type, household contacts — who may see and change what.

Demo estate (webapp/demo.py): officer wangxm has area 东区 = 1栋, 2栋; officer2 lina has 南区 = 3栋, 4栋.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from webapp.estate.models import Building, Estate, Household, Unit
from webapp.extensions import db

READERS = ("officer", "supervisor", "manager", "frontdesk", "admin")
EDITORS = ("supervisor", "manager", "frontdesk", "admin")


@pytest.fixture
def demo(app) -> SimpleNamespace:
    """Ids in the demo estate: a unit and household in 1栋 (东区) and in 3栋 (南区)."""
    with app.app_context():
        def building(code):
            return db.session.scalar(select(Building).where(Building.code == code))

        def unit_in(code, room="1203"):
            return db.session.scalar(select(Unit).where(Unit.building_id == building(code).id, Unit.room == room))

        u1, u3 = unit_in("1"), unit_in("3")
        h1, h3 = u1.households[0], u3.households[0]
        found = SimpleNamespace(
            a1=building("1").area_id, b1=building("1").id, b3=building("3").id, u1=u1.id, u3=u3.id, h1=h1.id, h3=h3.id,
            h1_name=h1.name, h1_phone=h1.phone, h3_name=h3.name, h3_phone=h3.phone,
        )
        db.session.remove()
        return found


def page(response) -> str:
    return response.get_data(as_text=True)


def household_count(app, **where) -> int:
    with app.app_context():
        query = select(func.count(Household.id)).where(*(getattr(Household, k) == v for k, v in where.items()))
        count = db.session.scalar(query)
        db.session.remove()
        return count


# --- who may see what --------------------------------------------------------------------------------


def urls(demo) -> dict[str, str]:
    return {
        "index": "/estate/",
        "building": f"/estate/buildings/{demo.b1}",
        "unit": f"/estate/units/{demo.u1}",
        "search": "/estate/households?q=1203",
        "search_fragment": "/estate/households?q=1203",
    }


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("which", ["index", "building", "unit", "search"])
def test_readers_see_the_pages_of_their_scope(client, login_as, demo, role, which):
    login_as(role)
    response = client.get(urls(demo)[which])
    assert response.status_code == 200
    assert "<html" in page(response)


@pytest.mark.parametrize("which", ["index", "building", "unit", "search", "search_fragment"])
def test_work_teams_get_no_household_data(client, login_as, demo, which):
    login_as("team")
    headers = {"HX-Request": "true"} if which == "search_fragment" else {}
    response = client.get(urls(demo)[which], headers=headers)
    assert response.status_code == 403
    assert demo.h1_name not in page(response)


def test_anonymous_is_sent_to_login(client, demo):
    response = client.get(f"/estate/units/{demo.u1}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("officer,url", [
    ("officer", "/estate/buildings/{b3}"),
    ("officer", "/estate/units/{u3}"),
    ("officer2", "/estate/buildings/{b1}"),
    ("officer2", "/estate/units/{u1}"),
])
def test_officers_cannot_open_other_areas(client, login_as, demo, officer, url):
    login_as(officer)
    response = client.get(url.format(**vars(demo)))
    assert response.status_code == 403
    assert demo.h3_name not in page(response) and demo.h1_name not in page(response)


@pytest.mark.parametrize("role,url", [
    ("officer", "/estate/buildings/999999"),
    ("supervisor", "/estate/buildings/999999"),
    ("supervisor", "/estate/units/999999"),
    ("frontdesk", "/estate/households/999999/edit"),
])
def test_missing_records_are_404(client, login_as, role, url):
    login_as(role)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["officer", "team"])
def test_only_desk_roles_edit_households(client, login_as, csrf, demo, app, role):
    login_as(role)
    token = csrf()
    before = household_count(app)
    add = client.post(f"/estate/units/{demo.u1}/households", data={"csrf_token": token, "name": "赵六", "relation": "owner"})
    edit = client.post(f"/estate/households/{demo.h1}/edit", data={"csrf_token": token, "name": "改名", "relation": "owner"})
    delete = client.post(f"/estate/households/{demo.h1}/delete", data={"csrf_token": token})
    assert (add.status_code, edit.status_code, delete.status_code) == (403, 403, 403)
    assert client.get(f"/estate/households/{demo.h1}/edit").status_code == 403
    assert household_count(app) == before


def test_another_estate_is_forbidden_even_for_its_members_elsewhere(app, client, login_as, csrf):
    with app.app_context():
        other = Estate(code="QT", name="其他小区")
        building = Building(code="1", name="1栋", floors=6, estate=other)
        unit = Unit(floor=2, room="201", building=building, households=[Household(name="外人", phone="13900000000")])
        db.session.add(other)
        db.session.commit()
        ids = (building.id, unit.id, unit.households[0].id)
        db.session.remove()
    login_as("supervisor")
    assert client.get(f"/estate/buildings/{ids[0]}").status_code == 403
    assert client.get(f"/estate/units/{ids[1]}").status_code == 403
    assert client.get(f"/estate/households/{ids[2]}/edit").status_code == 403
    assert results(client, "外人") == ""


def test_officer_index_lists_only_their_areas(client, login_as):
    login_as("officer")
    body = page(client.get("/estate/"))
    assert ">1栋</a>" in body and ">2栋</a>" in body and ">3栋</a>" not in body and "东区" in body and "南区" not in body


def test_desk_index_lists_the_estate_with_counts(client, login_as):
    login_as("supervisor")
    body = page(client.get("/estate/?lang=en"))
    assert all(f"{b}栋" in body for b in range(1, 9))
    assert re.search(r"80 units · \d+ households", body)
    assert 'href="/estate/import"' not in body  # supervisors do not import


def test_desk_roles_have_the_nav_item_officers_do_not(client, login_as):
    def desk_nav(body: str) -> str:
        found = re.search(r'<nav class="desk-nav[^>]*>(.*?)</nav>', body, re.S)
        return found.group(1) if found else ""

    login_as("frontdesk")
    assert 'href="/estate/"' in desk_nav(page(client.get("/estate/")))
    login_as("officer")
    assert 'href="/estate/"' not in desk_nav(page(client.get("/estate/")))


def test_building_shows_floors_top_first_with_occupancy(client, login_as, demo, app):
    with app.app_context():
        unit = db.session.get(Unit, demo.u1)
        unit.occupancy = "renovating"
        db.session.commit()
        db.session.remove()
    login_as("officer")
    body = page(client.get(f"/estate/buildings/{demo.b1}"))
    assert body.index("2001") < body.index("1203") < body.index(">101<")
    assert "装修中" in body and "已入住" in body and "20 层" in body
    assert f'href="/estate/units/{demo.u1}"' in body


def test_unit_page_shows_households_with_tel_links(client, login_as, demo):
    login_as("officer")
    body = page(client.get(f"/estate/units/{demo.u1}"))
    assert demo.h1_name in body and f'href="tel:{demo.h1_phone}"' in body
    assert "业主" in body and "入住日期" in body
    assert "/edit" not in body and "添加业户" not in body  # officers read, desk roles edit


# --- search ------------------------------------------------------------------------------------------


def results(client, q, fragment=False) -> str:
    """The found households as "name · building room" lines (the page also echoes the query)."""
    headers = {"HX-Request": "true"} if fragment else {}
    body = page(client.get("/estate/households", query_string={"q": q}, headers=headers))
    links = re.findall(r'class="list-link"[^>]*>(.*?)</a>', body, re.S)
    return "\n".join(re.sub(r"<[^>]+>", " ", link) for link in links)


@pytest.mark.parametrize("query", ["name", "phone_part", "room", "building_room", "building_dash_room"])
def test_search_finds_households(client, login_as, demo, query):
    login_as("frontdesk")
    q = {
        "name": demo.h1_name,
        "phone_part": demo.h1_phone[3:8],
        "room": "1203",
        "building_room": "1栋1203",
        "building_dash_room": "1-1203",
    }[query]
    assert demo.h1_name in results(client, q)


def test_search_by_building_and_room_is_precise(client, login_as, demo):
    login_as("frontdesk")
    body = results(client, "3-1203")
    assert demo.h3_name in body and demo.h1_name not in body
    assert demo.h3_name in results(client, "３栋 １２０３")  # full-width digits, space


def test_search_is_scoped_to_the_officers_areas(client, login_as, demo):
    login_as("officer")
    for q in (demo.h3_name, demo.h3_phone, demo.h3_phone[4:9], "3栋1203", "3-1203"):
        assert demo.h3_name not in results(client, q) and demo.h3_name not in results(client, q, fragment=True)
    assert demo.h1_name in results(client, "1203")


def test_search_limits_to_fifty(client, login_as):
    login_as("supervisor")
    body = results(client, "1")
    assert body.count("\n") == 49
    assert re.search(r"共 \d+ 条，显示前 50 条", page(client.get("/estate/households?q=1")))


def test_empty_query_shows_a_hint(client, login_as):
    login_as("officer")
    body = page(client.get("/estate/households"))
    assert "请输入要搜索的内容" in body and 'class="list-link"' not in body


def test_search_htmx_contract(client, login_as, demo):
    login_as("frontdesk")
    fragment = client.get("/estate/households?q=1203", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in page(fragment) and demo.h1_name in page(fragment)
    assert "HX-Request" in fragment.headers["Vary"]
    full = client.get("/estate/households?q=1203")
    assert "<html" in page(full) and demo.h1_name in page(full) and "HX-Request" in full.headers["Vary"]
    search_input = re.search(r'<input id="household-q"[^>]*>', page(full), re.S).group(0)
    assert 'hx-get="/estate/households"' in search_input
    assert 'hx-trigger="keyup changed delay:200ms, search"' in search_input
    assert 'hx-target="#household-results"' in search_input and 'hx-push-url="true"' in search_input


def test_pages_keep_the_csp(client, login_as, demo):
    login_as("frontdesk")
    for url in (*urls(demo).values(), f"/estate/households/{demo.h1}/edit", "/estate/import"):
        body = page(client.get(url))
        assert " style=" not in body and "hx-on" not in body
        assert not re.search(r"<script(?![^>]*(src=|type=\"application/json\"))", body)


# --- household contacts --------------------------------------------------------------------------------


def test_add_household(client, login_as, csrf, demo, app):
    login_as("frontdesk")
    response = client.post(f"/estate/units/{demo.u1}/households", data={
        "csrf_token": csrf(), "name": "赵六", "relation": "tenant", "phone": "139 1234-5678",
        "phone2": "021 5888 1234", "move_in_date": "2025-03-01", "note": "周末在家",
    })
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/estate/units/{demo.u1}")
    with app.app_context():
        added = db.session.scalar(select(Household).where(Household.name == "赵六"))
        assert (added.unit_id, added.relation, added.phone, added.phone2, str(added.move_in_date)) == (
            demo.u1, "tenant", "13912345678", "021-58881234", "2025-03-01")
        db.session.remove()
    assert "已将 赵六 添加到" in page(client.get(f"/estate/units/{demo.u1}"))


def test_invalid_household_is_refused_with_messages_next_to_fields(client, login_as, csrf, demo, app):
    login_as("frontdesk")
    before = household_count(app)
    response = client.post(f"/estate/units/{demo.u1}/households", data={
        "csrf_token": csrf(), "name": "", "relation": "landlord", "phone": "12345", "move_in_date": "2025-02-30",
    })
    body = page(response)
    assert response.status_code == 422
    assert re.search(r'id="e-name">请填写姓名。', body)
    assert re.search(r'id="e-phone">请填写以 1 开头的 11 位手机号', body)
    assert re.search(r'id="e-move_in_date">该日期不存在。', body)
    assert 'id="e-relation"' in body and 'value="12345"' in body  # what was typed is kept
    assert household_count(app) == before


def test_a_unit_cannot_have_the_same_name_twice(client, login_as, csrf, demo, app):
    login_as("supervisor")
    response = client.post(f"/estate/units/{demo.u1}/households", data={
        "csrf_token": csrf(), "name": demo.h1_name, "relation": "owner"})
    assert response.status_code == 422 and "该房屋已有名为" in page(response)
    assert household_count(app, name=demo.h1_name, unit_id=demo.u1) == 1


def test_edit_household(client, login_as, csrf, demo, app):
    login_as("manager")
    form = page(client.get(f"/estate/households/{demo.h1}/edit"))
    assert f'value="{demo.h1_name}"' in form and f'value="{demo.h1_phone}"' in form
    response = client.post(f"/estate/households/{demo.h1}/edit", data={
        "csrf_token": csrf(), "name": demo.h1_name, "relation": "owner", "phone": "13800001111", "note": "已换号"})
    assert response.status_code == 302
    with app.app_context():
        household = db.session.get(Household, demo.h1)
        assert (household.phone, household.note) == ("13800001111", "已换号")
        db.session.remove()


def test_invalid_edit_changes_nothing(client, login_as, csrf, demo, app):
    login_as("admin")
    response = client.post(f"/estate/households/{demo.h1}/edit", data={
        "csrf_token": csrf(), "name": "", "relation": "owner", "phone": "abc"})
    assert response.status_code == 422 and "field-error" in page(response)
    assert household_count(app, id=demo.h1, name=demo.h1_name, phone=demo.h1_phone) == 1


def test_remove_household(client, login_as, csrf, demo, app, make_household):
    login_as("frontdesk")
    added = make_household(demo.a1, unit=demo.u1)
    response = client.post(f"/estate/households/{added.id}/delete", data={"csrf_token": csrf()})
    assert response.status_code == 302
    assert household_count(app, id=added.id) == 0


def test_a_household_with_visits_is_kept_and_the_desk_is_told_why(client, login_as, csrf, demo, app, make_household,
                                                                 make_visit):
    added = make_household(demo.a1, unit=demo.u1)
    make_visit(added)
    login_as("frontdesk")
    response = client.post(f"/estate/households/{added.id}/delete", data={"csrf_token": csrf()})
    assert response.status_code == 409 and "已有家访等记录" in page(response)
    assert household_count(app, id=added.id) == 1


@pytest.mark.parametrize("action", ["add", "edit", "delete"])
def test_missing_csrf_is_refused_and_stores_nothing(client, login_as, demo, app, action):
    login_as("frontdesk")
    url = {"add": f"/estate/units/{demo.u1}/households", "edit": f"/estate/households/{demo.h1}/edit",
           "delete": f"/estate/households/{demo.h1}/delete"}[action]
    before = household_count(app)
    response = client.post(url, data={"name": "无令牌", "relation": "owner"})
    assert response.status_code == 400
    assert household_count(app) == before and household_count(app, id=demo.h1, name=demo.h1_name) == 1


def test_officer_cannot_edit_a_household_of_another_area_either(client, login_as, csrf, demo):
    login_as("frontdesk")  # desk role, in scope: allowed
    assert client.get(f"/estate/households/{demo.h3}/edit").status_code == 200
    login_as("officer")
    assert client.get(f"/estate/households/{demo.h3}/edit").status_code == 403


# --- language ----------------------------------------------------------------------------------------


def test_chinese_by_default(client, login_as, demo):
    login_as("frontdesk")
    assert "楼栋与业户" in page(client.get("/estate/"))
    assert "搜索业户" in page(client.get("/estate/households"))
    body = page(client.get(f"/estate/units/{demo.u1}"))
    assert "房号" in body and "添加业户" in body and "入住日期" in body


def test_english_on_request(client, login_as, csrf, demo):
    login_as("frontdesk")
    assert "Buildings and households" in page(client.get("/estate/?lang=en"))
    client.post("/language", data={"locale": "zh_Hans_CN", "csrf_token": csrf()})
    assert "楼栋与业户" in page(client.get("/estate/"))
    client.post("/language", data={"locale": "en", "csrf_token": csrf()})
    assert "Add a household member" in page(client.get(f"/estate/units/{demo.u1}"))

"""Areas, key locations, assignment tables and lobby cards through the web (R-AREA-1…4)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from sync.store import utcnow
from webapp.areas.models import (
    Area,
    AreaChange,
    AssignmentTable,
    KeyLocation,
    KeyLocationKind,
    LobbyCardPosting,
    TableStatus,
)
from webapp.auth.models import Role, User
from webapp.estate.models import Building, Estate
from webapp.extensions import db

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROLES = ("officer", "officer2", "supervisor", "manager", "frontdesk", "team", "admin")


@pytest.fixture
def ids(app):
    """Demo ids: areas by name, key location of 东区, the approved table v1, users by username."""
    with app.app_context():
        areas = {a.name: a.id for a in db.session.scalars(select(Area))}
        table = db.session.scalar(select(AssignmentTable).where(AssignmentTable.version == 1))
        location = db.session.scalar(select(KeyLocation).where(KeyLocation.area_id == areas["东区"]))
        users = {u.username: u.id for u in db.session.scalars(select(User))}
        found = {"areas": areas, "table": table.id, "location": location.id, "users": users,
                 "estate": db.session.scalar(select(Estate.id))}
        db.session.remove()
        return found


def count(app, model, *where) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(model).where(*where))
        db.session.remove()
        return n


def statuses(app) -> dict[int, str]:
    with app.app_context():
        found = {t.version: t.status for t in db.session.scalars(select(AssignmentTable))}
        db.session.remove()
        return found


def post(client, csrf, url, **data):
    return client.post(url, data={"csrf_token": csrf(), **data})


def rows_form(ids, **overrides) -> dict:
    """A valid rows form for the demo's four areas (each keeps its officer)."""
    officers = ("wangxm", "lina", "zhangwei", "liuyang")
    form = {}
    for (name, area_id), officer in zip(ids["areas"].items(), officers, strict=True):
        form |= {f"rows-{area_id}-officer_id": str(ids["users"][officer]), f"rows-{area_id}-scope": f"{name}范围",
                 f"rows-{area_id}-household_count": "180", f"rows-{area_id}-floor_area_m2": "16000.5",
                 f"rows-{area_id}-difficulty": "3"}
    return form | overrides


def start_and_propose(client, login_as, csrf, ids, **row_overrides) -> int:
    login_as("supervisor")
    r = post(client, csrf, "/areas/tables/new")
    assert r.status_code == 302
    table_id = int(r.headers["Location"].rstrip("/").split("/")[-1])
    r = client.post(f"/areas/tables/{table_id}/rows",
                    data={"csrf_token": csrf(), "then": "propose", **rows_form(ids, **row_overrides)})
    assert r.status_code == 302, r.get_data(as_text=True)
    return table_id


def approve(client, login_as, csrf, table_id):
    login_as("manager")
    r = post(client, csrf, f"/areas/tables/{table_id}/approve")
    assert r.status_code == 302
    return r


def overview_text(client, login_as, who) -> str:
    login_as(who)
    return client.get("/overview" if who in ("supervisor", "manager") else "/today").get_data(as_text=True)


# --------------------------------------------------------------------------- who may see what

PAGES = {  # url template → roles that get 200 (the rest 403)
    "/areas/": {"officer", "officer2", "supervisor", "manager", "frontdesk", "admin"},
    "/areas/{east}": {"officer", "supervisor", "manager", "frontdesk", "admin"},
    "/areas/{east}/lobby-card": {"officer", "supervisor", "manager", "frontdesk", "admin"},
    "/areas/tables": {"supervisor", "manager", "frontdesk", "admin"},
    "/areas/tables/{table}": {"supervisor", "manager", "frontdesk", "admin"},
    "/areas/tables/{table}/print": {"supervisor", "manager", "frontdesk", "admin"},
    "/areas/new": {"supervisor"},
    "/areas/{east}/edit": {"supervisor"},
    "/areas/{east}/key-locations/new": {"supervisor"},
    "/areas/{east}/key-locations/{location}/edit": {"supervisor"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_pages_by_role(client, login_as, ids, page, role):
    login_as(role)
    url = page.format(east=ids["areas"]["东区"], table=ids["table"], location=ids["location"])
    assert client.get(url).status_code == (200 if role in PAGES[page] else 403)


def test_anonymous_users_are_sent_to_log_in(client, ids):
    assert client.get("/areas/").status_code == 302
    assert client.get(f"/areas/tables/{ids['table']}").status_code == 302


@pytest.mark.parametrize("url", ["/areas/{south}", "/areas/{south}/lobby-card"])
def test_an_officer_cannot_open_another_officers_area(client, login_as, ids, url):
    login_as("officer")
    assert client.get(url.format(south=ids["areas"]["南区"])).status_code == 403


def test_an_officer_cannot_mark_another_areas_card_posted(client, login_as, csrf, ids, app):
    login_as("officer")
    assert post(client, csrf, f"/areas/{ids['areas']['南区']}/lobby-card/posted").status_code == 403
    assert count(app, LobbyCardPosting) == 4


def test_an_officer_sees_only_their_own_areas(client, login_as):
    login_as("officer")
    page = client.get("/areas/").get_data(as_text=True)
    assert "东区" in page and "南区" not in page


@pytest.mark.parametrize(("role", "action"), [
    ("manager", "propose"), ("frontdesk", "propose"), ("officer", "propose"),
    ("supervisor", "approve"), ("frontdesk", "approve"), ("admin", "approve"),
    ("supervisor", "send-back"), ("officer", "rows"), ("manager", "rows"), ("manager", "discard"),
])
def test_table_steps_by_role(client, login_as, csrf, ids, app, role, action):
    login_as(role)
    assert post(client, csrf, f"/areas/tables/{ids['table']}/{action}", note="x").status_code == 403
    assert statuses(app) == {1: TableStatus.APPROVED}


@pytest.mark.parametrize("role", ["manager", "frontdesk", "officer", "admin"])
def test_only_the_supervisor_starts_drafts_and_edits_areas(client, login_as, csrf, ids, app, role):
    login_as(role)
    assert post(client, csrf, "/areas/tables/new").status_code == 403
    assert post(client, csrf, f"/areas/{ids['areas']['东区']}/key-locations/new", kind="other", name="x").status_code == 403
    assert post(client, csrf, "/areas/new", code="A9", name="中区").status_code == 403
    assert count(app, AssignmentTable) == 1 and count(app, Area) == 4


def test_another_estates_table_is_forbidden(client, login_as, make_estate, make_user, make_area):
    other = make_estate()
    table_id = make_area(other, officer=make_user("officer", estates=(other.code,))).table_id  # its approved table
    login_as("supervisor")
    assert client.get(f"/areas/tables/{table_id}").status_code == 403
    assert client.get("/areas/tables/999999").status_code == 404


def test_chinese_by_default(client, login_as):
    login_as("supervisor")
    assert "责任区域" in client.get("/areas/").get_data(as_text=True)
    page = client.get("/areas/tables").get_data(as_text=True)
    assert "区域管理服务工作分配表" in page and "生效中" in page


# --------------------------------------------------------------------------- pages


def test_area_detail_shows_buildings_key_locations_and_the_officer(client, login_as, ids):
    login_as("frontdesk")
    page = client.get(f"/areas/{ids['areas']['东区']}").get_data(as_text=True)
    for text in ("1栋", "2栋", "首层大堂", "1栋首层大堂", "王晓明", "13816620101", "021-58880101", "大堂公示卡"):
        assert text in page
    assert "撤销" not in page  # only the supervisor edits


def test_printable_table(client, login_as, ids):
    login_as("manager")
    page = client.get(f"/areas/tables/{ids['table']}/print").get_data(as_text=True)
    assert "print-page" in page and "区域管理服务工作分配表" in page
    assert "王晓明" in page and "南门道路排水管改造工地" in page and "赵刚" in page


# --------------------------------------------------------------------------- the table workflow


def test_draft_propose_approve_supersedes_the_old_table(client, login_as, csrf, ids, app):
    table_id = start_and_propose(client, login_as, csrf, ids)
    assert statuses(app) == {1: TableStatus.APPROVED, 2: TableStatus.PROPOSED}
    approve(client, login_as, csrf, table_id)
    assert statuses(app) == {1: TableStatus.SUPERSEDED, 2: TableStatus.APPROVED}
    assert count(app, AssignmentTable, AssignmentTable.status == TableStatus.APPROVED) == 1
    with app.app_context():
        table = db.session.get(AssignmentTable, table_id)
        assert table.proposer.username == "chenjing" and table.decider.username == "zhaogang"
        row = table.row_for(ids["areas"]["南区"])
        assert (row.scope, row.household_count, row.floor_area_m2, row.difficulty) == ("南区范围", 180, 16000.5, 3)
        assert {k["name"] for k in row.key_locations} >= {"南门道路排水管改造工地"}
        db.session.remove()
    history = client.get("/areas/tables").get_data(as_text=True)
    assert "已作废" in history and "生效中" in history


def test_new_draft_copies_the_table_in_force(client, login_as, csrf, ids, app):
    login_as("supervisor")
    r = post(client, csrf, "/areas/tables/new")
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "草稿" in page and f'value="{ids["users"]["lina"]}" selected' in page
    assert "按楼栋统计：188 户" in page


def test_only_one_open_table(client, login_as, csrf, app):
    login_as("supervisor")
    assert post(client, csrf, "/areas/tables/new").status_code == 302
    r = post(client, csrf, "/areas/tables/new")
    assert r.status_code == 409 and "第 2 版尚未完成" in r.get_data(as_text=True)
    assert count(app, AssignmentTable) == 2


def test_send_back_returns_the_table_to_draft_with_the_note(client, login_as, csrf, ids, app):
    table_id = start_and_propose(client, login_as, csrf, ids)
    login_as("manager")
    r = post(client, csrf, f"/areas/tables/{table_id}/send-back", note="")
    assert r.status_code == 422 and "请说明需要修改的内容" in r.get_data(as_text=True)
    assert statuses(app)[2] == TableStatus.PROPOSED
    assert post(client, csrf, f"/areas/tables/{table_id}/send-back", note="北区难度请调高").status_code == 302
    assert statuses(app) == {1: TableStatus.APPROVED, 2: TableStatus.DRAFT}
    login_as("supervisor")
    assert "北区难度请调高" in client.get(f"/areas/tables/{table_id}").get_data(as_text=True)


def test_invalid_rows_are_shown_next_to_the_fields_and_nothing_is_stored(client, login_as, csrf, ids, app):
    login_as("supervisor")
    table_id = int(post(client, csrf, "/areas/tables/new").headers["Location"].split("/")[-1])
    east = ids["areas"]["东区"]
    bad = rows_form(ids, **{f"rows-{east}-difficulty": "9", f"rows-{east}-household_count": "很多",
                            f"rows-{east}-officer_id": str(ids["users"]["chenjing"])})
    r = client.post(f"/areas/tables/{table_id}/rows", data={"csrf_token": csrf(), **bad})
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert f'id="e-rows-{east}-difficulty"' in page and "请输入 1 到 5 之间的数字" in page
    assert "请输入整数" in page and "请选择本项目在职的区域客户主任" in page
    assert 'value="很多"' in page  # what was typed is kept
    with app.app_context():
        rows = db.session.get(AssignmentTable, table_id).rows
        assert {r.scope for r in rows} != {"东区范围"} and all(r.difficulty == 3 for r in rows)
        db.session.remove()


def test_propose_without_an_officer_is_refused(client, login_as, csrf, ids, app):
    login_as("supervisor")
    table_id = int(post(client, csrf, "/areas/tables/new").headers["Location"].split("/")[-1])
    east = ids["areas"]["东区"]
    r = client.post(f"/areas/tables/{table_id}/rows",
                    data={"csrf_token": csrf(), "then": "propose", **rows_form(ids, **{f"rows-{east}-officer_id": ""})})
    assert r.status_code == 422 and "请为此区域选择区域客户主任" in r.get_data(as_text=True)
    assert statuses(app)[2] == TableStatus.DRAFT


def test_a_proposed_table_cannot_be_proposed_again_or_edited(client, login_as, csrf, ids, app):
    table_id = start_and_propose(client, login_as, csrf, ids)
    login_as("supervisor")
    assert post(client, csrf, f"/areas/tables/{table_id}/propose").status_code == 409
    r = client.post(f"/areas/tables/{table_id}/rows", data={"csrf_token": csrf(), **rows_form(ids)})
    assert r.status_code == 409
    assert post(client, csrf, f"/areas/tables/{table_id}/discard").status_code == 409


def test_a_draft_can_be_discarded(client, login_as, csrf, app):
    login_as("supervisor")
    table_id = int(post(client, csrf, "/areas/tables/new").headers["Location"].split("/")[-1])
    assert post(client, csrf, f"/areas/tables/{table_id}/discard").status_code == 302
    assert statuses(app) == {1: TableStatus.APPROVED}


def test_missing_csrf_is_refused_and_nothing_is_stored(client, login_as, ids, app):
    locations = count(app, KeyLocation)
    login_as("supervisor")
    assert client.post("/areas/tables/new").status_code == 400
    assert client.post(f"/areas/{ids['areas']['东区']}/key-locations/new", data={"kind": "other", "name": "x"}).status_code == 400
    login_as("manager")
    assert client.post(f"/areas/tables/{ids['table']}/approve").status_code == 400
    assert count(app, AssignmentTable) == 1 and count(app, KeyLocation) == locations


# --------------------------------------------------------------------------- area edits


def test_create_an_area_with_buildings(client, login_as, csrf, ids, app):
    login_as("supervisor")
    with app.app_context():
        building_7 = db.session.scalar(select(Building.id).where(Building.name == "7栋"))
        db.session.remove()
    r = post(client, csrf, "/areas/new", code="A5", name="中区", description="7栋", building_ids=str(building_7))
    assert r.status_code == 302
    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.code == "A5"))
        assert [b.name for b in area.buildings] == ["7栋"]
        kinds = set(db.session.scalars(select(AreaChange.kind)))
        assert kinds == {"area_added", "buildings_moved"}
        db.session.remove()


def test_a_duplicate_area_code_is_refused(client, login_as, csrf, app):
    login_as("supervisor")
    r = post(client, csrf, "/areas/new", code="A1", name="")
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "已有其他区域使用此编号" in page and "此项必填" in page
    assert count(app, Area) == 4 and count(app, AreaChange) == 0


def test_add_edit_and_retire_a_key_location(client, login_as, csrf, ids, app):
    login_as("supervisor")
    east = ids["areas"]["东区"]
    r = post(client, csrf, f"/areas/{east}/key-locations/new", kind="renovation_floor", name="1栋12层（1203装修）", floor="12")
    assert r.status_code == 302
    with app.app_context():
        location = db.session.scalar(select(KeyLocation).where(KeyLocation.name.like("1栋12层%")))
        location_id = location.id
        db.session.remove()
    r = post(client, csrf, f"/areas/{east}/key-locations/{location_id}/edit", kind="renovation_floor",
             name="1栋12层", floor="twelve")
    assert r.status_code == 422 and "请输入整数" in r.get_data(as_text=True)
    r = post(client, csrf, f"/areas/{east}/key-locations/{location_id}/retire")
    assert r.status_code == 302
    with app.app_context():
        location = db.session.get(KeyLocation, location_id)
        assert (location.active, location.name, location.floor) == (False, "1栋12层（1203装修）", 12)
        assert location.retired_at is not None
        db.session.remove()
    assert "已撤销的重点部位" in client.get(f"/areas/{east}").get_data(as_text=True)


def test_a_key_location_of_another_area_is_not_found(client, login_as, csrf, ids):
    login_as("supervisor")
    assert client.get(f"/areas/{ids['areas']['南区']}/key-locations/{ids['location']}/edit").status_code == 404


def test_retire_through_htmx_swaps_the_section(client, login_as, csrf, ids):
    login_as("supervisor")
    r = client.post(f"/areas/{ids['areas']['东区']}/key-locations/{ids['location']}/retire",
                    data={"csrf_token": csrf()}, headers={"HX-Request": "true"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" not in page and 'id="key-locations"' in page
    assert "HX-Request" in r.headers.get("Vary", "")


# --------------------------------------------------------------------------- lobby card (R-AREA-4)


def test_lobby_card_shows_the_officer_with_a_photo_placeholder(client, login_as, ids):
    login_as("officer")
    page = client.get(f"/areas/{ids['areas']['东区']}/lobby-card").get_data(as_text=True)
    for text in ("锦绣花园", "东区", "王晓明", "13816620101", "021-58880101", "24 小时", "照片待补", "print-page"):
        assert text in page
    assert "<script>" not in page and "style=" not in page


def test_lobby_card_shows_the_photo_when_there_is_one(client, login_as, ids, app):
    with app.app_context():
        db.session.get(User, ids["users"]["wangxm"]).photo_media_id = "0b7e2a6c-5f6e-4c1e-9d1a-111111111111"
        db.session.commit()
        db.session.remove()
    login_as("supervisor")
    page = client.get(f"/areas/{ids['areas']['东区']}/lobby-card").get_data(as_text=True)
    assert '/sync/media/0b7e2a6c-5f6e-4c1e-9d1a-111111111111"' in page


@pytest.mark.parametrize(("role", "status"), [("officer", 302), ("supervisor", 302), ("manager", 403),
                                              ("frontdesk", 403), ("officer2", 403)])
def test_mark_posted(client, login_as, csrf, ids, app, role, status):
    login_as(role)
    assert post(client, csrf, f"/areas/{ids['areas']['东区']}/lobby-card/posted").status_code == status
    with app.app_context():
        postings = db.session.scalars(select(LobbyCardPosting).where(LobbyCardPosting.area_id == ids["areas"]["东区"])).all()
        assert len(postings) == (2 if status == 302 else 1)
        if status == 302:
            latest = max(postings, key=lambda p: p.posted_at)
            assert latest.officer_id == ids["users"]["wangxm"] and latest.contacts["mobile"] == "13816620101"
        db.session.remove()


# --------------------------------------------------------------------------- obligations on the home pages


REAPPROVE = "需审批新的工作分配表"


def test_the_demo_home_pages_start_clean(client, login_as):
    for who in ("supervisor", "manager", "officer"):
        page = overview_text(client, login_as, who)
        assert REAPPROVE not in page and "大堂公示卡" not in page


def test_an_area_change_asks_for_a_new_table_until_one_is_approved(client, login_as, csrf, ids):
    login_as("supervisor")
    post(client, csrf, f"/areas/{ids['areas']['东区']}/key-locations/new", kind="public_works", name="1栋外墙维修")
    for who in ("supervisor", "manager"):
        assert REAPPROVE in overview_text(client, login_as, who)
    assert REAPPROVE not in overview_text(client, login_as, "officer")
    login_as("frontdesk")
    assert "1栋外墙维修" in client.get("/areas/tables").get_data(as_text=True)
    table_id = start_and_propose(client, login_as, csrf, ids)
    page = overview_text(client, login_as, "manager")
    assert REAPPROVE in page and "第 2 版工作分配表待您审批" in page
    assert "待您审批" not in overview_text(client, login_as, "supervisor")
    approve(client, login_as, csrf, table_id)
    for who in ("supervisor", "manager"):
        page = overview_text(client, login_as, who)
        assert REAPPROVE not in page and "待您审批" not in page


def test_moving_a_building_asks_for_a_new_table(client, login_as, csrf, ids, app):
    login_as("supervisor")
    with app.app_context():
        buildings = {b.name: b.id for b in db.session.scalars(select(Building))}
        db.session.remove()
    south = ids["areas"]["南区"]
    r = post(client, csrf, f"/areas/{south}/edit", code="A2", name="南区",
             building_ids=[str(buildings[n]) for n in ("2栋", "3栋", "4栋")])
    assert r.status_code == 302
    assert REAPPROVE in overview_text(client, login_as, "supervisor")
    assert "2栋 → 南区" in client.get("/areas/tables").get_data(as_text=True)


def test_a_renovating_units_floor_never_makes_the_table_stale(client, login_as, ids, app):
    with app.app_context():
        db.session.add(KeyLocation(area_id=ids["areas"]["东区"], kind=KeyLocationKind.RENOVATION_FLOOR,
                                   name="1栋 12层（装修）"))
        db.session.commit()
        db.session.remove()
    for who in ("supervisor", "manager"):
        assert REAPPROVE not in overview_text(client, login_as, who)


@pytest.mark.parametrize("change", ["new officer", "officer left"])
def test_staff_changes_ask_for_a_new_table(client, login_as, ids, app, change):
    with app.app_context():
        if change == "new officer":
            estate = db.session.get(Estate, ids["estate"])
            user = User(username="newbie", display_name="新人", role=Role.OFFICER, estates=[estate])
            user.set_password("x" * 10)
            db.session.add(user)
        else:
            db.session.get(User, ids["users"]["liuyang"]).deactivate()
        db.session.commit()
        db.session.remove()
    page = overview_text(client, login_as, "manager")
    assert REAPPROVE in page


def test_a_policy_change_moves_the_due_date_on_the_home_page(client, login_as, csrf, ids, app):
    from webapp.policies.rules import change

    def shown(days):
        return "待办 " + (utcnow() + timedelta(days=days)).astimezone(SHANGHAI).strftime("%m-%d")

    login_as("supervisor")
    post(client, csrf, f"/areas/{ids['areas']['东区']}/key-locations/new", kind="other", name="东门岗亭")
    assert shown(3) in overview_text(client, login_as, "manager")
    with app.app_context():
        change(ids["estate"], "table_reapproval_days", 10, ids["users"]["zhaogang"])
        db.session.commit()
        db.session.remove()
    page = overview_text(client, login_as, "manager")
    assert shown(10) in page and shown(3) not in page


def test_a_new_officer_in_the_approved_table_needs_the_lobby_card_reposted(client, login_as, csrf, ids):
    east = ids["areas"]["东区"]
    table_id = start_and_propose(client, login_as, csrf, ids,
                                 **{f"rows-{east}-officer_id": str(ids["users"]["zhangwei"])})
    approve(client, login_as, csrf, table_id)
    card = "重新张贴东区的大堂公示卡"
    for who in ("supervisor", "manager"):
        assert card in overview_text(client, login_as, who)
    assert card not in overview_text(client, login_as, "officer")  # wangxm no longer has 东区
    assert card in overview_text(client, login_as, "zhangwei")
    assert "重新张贴南区" not in overview_text(client, login_as, "supervisor")
    login_as("zhangwei")
    assert post(client, csrf, f"/areas/{east}/lobby-card/posted").status_code == 302
    for who in ("supervisor", "manager", "zhangwei"):
        assert card not in overview_text(client, login_as, who)


def test_changed_phone_numbers_need_the_card_reposted(client, login_as, csrf, ids, app):
    east = ids["areas"]["东区"]
    login_as("officer")
    post(client, csrf, f"/areas/{east}/lobby-card/posted")  # a posting that records what the card shows
    with app.app_context():
        db.session.get(User, ids["users"]["wangxm"]).mobile = "13900001111"
        db.session.commit()
        db.session.remove()
    card = "重新张贴东区的大堂公示卡"
    assert card in overview_text(client, login_as, "officer")
    assert card in overview_text(client, login_as, "supervisor")
    login_as("supervisor")
    post(client, csrf, f"/areas/{east}/lobby-card/posted")
    assert card not in overview_text(client, login_as, "officer")

"""人员 People: who may see and manage whom, the create/edit/reset/photo/deactivate flows, 我的 contacts,
and the R-AREA-3/R-AREA-4 obligations a change of staff sets due."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from sync.models import Media
from tests.conftest import csrf_token
from tests.web.areas.test_pages import count
from webapp.areas.models import Area, AreaChange
from webapp.auth.models import Role, User
from webapp.estate.models import Estate
from webapp.extensions import db
from webapp.people.rules import Standing, can_manage, can_see, refusal, staff_changes

ROLES = ("officer", "supervisor", "manager", "frontdesk", "team", "admin")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
TABLE_DUE = "需审批新的工作分配表"  # R-AREA-3 on the overview
EAST_CARD = "重新张贴东区的大堂公示卡"  # R-AREA-4 on the overview and 今日


@pytest.fixture
def ids(app):
    with app.app_context():
        found = {"users": {u.username: u.id for u in db.session.scalars(select(User))},
                 "areas": {a.name: a.id for a in db.session.scalars(select(Area))},
                 "estate": db.session.scalar(select(Estate.id))}
        db.session.remove()
        return found


@pytest.fixture
def other_estate(make_estate, make_user):
    """A second estate with its own manager and officer (usernames othermgr, otherofc)."""
    estate = make_estate("OTHER", "滨江大厦", kind="mall")
    people = {username: make_user(role, estates=(estate.code,), username=username, display_name=name,
                                  mobile="13955550000")
              for username, name, role in (("othermgr", "钱经理", Role.MANAGER), ("otherofc", "孙主任", Role.OFFICER))}
    return SimpleNamespace(id=estate.id, **{username: person.id for username, person in people.items()})


def post(client, csrf, url, data=None, **kwargs):
    return client.post(url, data={"csrf_token": csrf(), **(data or {})}, **kwargs)


def person(app, username):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        found = None if user is None else SimpleNamespace(
            id=user.id, display_name=user.display_name, role=user.role, mobile=user.mobile,
            work_phone=user.work_phone, active=user.active, photo=user.photo_media_id, team=user.team,
            estate_ids=user.estate_ids, password_hash=user.password_hash)
        db.session.remove()
        return found


def home_text(client, login_as, who) -> str:
    user = login_as(who)
    return client.get("/overview" if user.role in ("supervisor", "manager") else "/today").get_data(as_text=True)


NEW_OFFICER = {"username": "xuming", "display_name": "徐明", "role": "officer", "mobile": "138 1662 0999",
               "work_phone": "021-58880999", "password": "chushi-mima-1"}


def new_person(ids, **overrides):
    return {**NEW_OFFICER, "estate_ids": str(ids["estate"]), **overrides}


# --------------------------------------------------------------------------- rules, without a request


def someone(id=1, role="officer", estates=(1,)):
    return SimpleNamespace(id=id, role=role, estate_ids=set(estates))


def test_who_may_see_and_manage_whom():
    manager, supervisor, admin = someone(1, "manager"), someone(2, "supervisor"), someone(3, "admin", ())
    officer, other_officer, boss = someone(4), someone(5, estates=(2,)), someone(6, "manager")
    assert can_see(supervisor, officer) and not can_manage(supervisor, officer)
    assert can_manage(manager, officer) and not can_manage(manager, other_officer)
    assert not can_manage(manager, boss) and not can_manage(manager, admin)
    assert can_manage(admin, other_officer) and can_manage(admin, boss)
    assert not can_see(someone(7, "frontdesk"), officer)


def test_a_form_asking_for_more_than_the_actor_may_grant_is_refused():
    manager, admin = someone(1, "manager"), someone(3, "admin", ())
    assert refusal(manager, None, "admin", [1], {1})
    assert refusal(manager, None, "officer", [1, 2], {1})
    assert not refusal(manager, None, "officer", [1], {1})
    assert not refusal(manager, None, "boss", [1], {1})  # unknown roles are a 422, not a 403
    assert refusal(admin, admin, "officer", [], {1})  # nobody changes their own role
    assert not refusal(admin, admin, "admin", [], {1})


def test_staff_changes_log_only_what_the_table_check_cannot_read_itself():
    officer = Standing("officer", True, frozenset({1, 2}))
    assert staff_changes(officer, Standing("supervisor", True, frozenset({1, 2}))) == (set(), {1, 2})
    assert staff_changes(officer, Standing("officer", True, frozenset({1}))) == (set(), {2})
    assert staff_changes(Standing("team", True, frozenset({1})), Standing("officer", True, frozenset({1}))) == ({1}, set())
    assert staff_changes(officer, Standing("officer", False, frozenset({1, 2}))) == (set(), set())  # deactivated_at
    back = staff_changes(Standing("officer", False, frozenset({1, 2})), officer, assigned={1})
    assert back == ({2}, set())  # coming back to an estate whose table still names them is no change


# --------------------------------------------------------------------------- who may see what

PAGES = {
    "/people/": {"supervisor", "manager", "admin"},
    "/people/new": {"manager", "admin"},
    "/people/{wangxm}": {"supervisor", "manager", "admin"},
    "/people/{wangxm}/edit": {"manager", "admin"},
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("url", PAGES)
def test_pages_by_role(client, login_as, ids, who, url):
    login_as(who)
    response = client.get(url.format(**ids["users"]))
    assert response.status_code == (200 if who in PAGES[url] else 403)


@pytest.mark.parametrize("who", ["officer", "supervisor", "frontdesk", "team"])
@pytest.mark.parametrize("action", ["new", "edit", "password", "photo", "deactivate", "reactivate"])
def test_only_managers_and_the_administrator_change_people(app, client, login_as, csrf, ids, who, action):
    login_as(who)
    target = ids["users"]["zhangwei"]
    url = "/people/new" if action == "new" else f"/people/{target}/{action}"
    data = new_person(ids) | {"password": "hijacked-123"}
    before = person(app, "zhangwei")
    assert post(client, csrf, url, data).status_code == 403
    after = person(app, "zhangwei")
    assert after == before and person(app, "xuming") is None


def test_the_people_link_is_in_the_desk_bar_of_those_who_may_see_it(client, login_as):
    for who, shown in (("supervisor", True), ("manager", True), ("frontdesk", False)):
        login_as(who)
        page = client.get("/overview").get_data(as_text=True)
        assert ('href="/people/"' in page) is shown, who


def test_a_manager_cannot_create_or_change_an_administrator_or_another_manager(app, client, login_as, csrf, ids):
    login_as("manager")
    assert post(client, csrf, "/people/new", new_person(ids, role="admin")).status_code == 403
    assert person(app, "xuming") is None
    assert client.get(f"/people/{ids['users']['admin']}/edit").status_code == 403
    assert post(client, csrf, f"/people/{ids['users']['admin']}/password", {"password": "x" * 12}).status_code == 403
    page = client.get("/people/new").get_data(as_text=True)
    assert 'value="admin"' not in page and 'value="manager"' not in page and 'value="officer"' in page


def test_the_administrator_may_create_an_administrator(app, client, login_as, csrf, ids):
    login_as("admin")
    response = post(client, csrf, "/people/new", new_person(ids, username="admin2", role="admin", estate_ids=""))
    assert response.status_code == 302
    assert person(app, "admin2").role == "admin" and person(app, "admin2").estate_ids == set()
    assert "admin2" in client.get("/people/?role=admin").get_data(as_text=True)  # accounts in no estate
    login_as("manager")
    assert "admin2" not in client.get("/people/?role=admin").get_data(as_text=True)
    assert client.get(f"/people/{person(app, 'admin2').id}").status_code == 403


def test_nobody_manages_people_of_another_estate(app, client, login_as, csrf, ids, other_estate):
    login_as("manager")
    for url in (f"/people/{other_estate.otherofc}", f"/people/{other_estate.otherofc}/edit"):
        response = client.get(url)
        assert response.status_code == 403
        body = response.get_data(as_text=True)
        assert "孙主任" not in body and "13955550000" not in body
    before = person(app, "otherofc")
    assert post(client, csrf, f"/people/{other_estate.otherofc}/deactivate").status_code == 403
    assert post(client, csrf, f"/people/{other_estate.otherofc}/password", {"password": "x" * 12}).status_code == 403
    assert post(client, csrf, "/people/new", new_person(ids, estate_ids=str(other_estate.id))).status_code == 403
    assert person(app, "otherofc") == before and person(app, "xuming") is None
    assert "孙主任" not in client.get("/people/?status=all&q=孙").get_data(as_text=True)
    login_as("othermgr")
    assert client.get(f"/people/{ids['users']['wangxm']}").status_code == 403


def test_a_manager_keeps_the_estates_of_another_manager_when_editing(app, client, login_as, csrf, ids, other_estate):
    with app.app_context():
        zhangwei = db.session.get(User, ids["users"]["zhangwei"])
        zhangwei.estates.append(db.session.get(Estate, other_estate.id))
        db.session.commit()
        db.session.remove()
    login_as("manager")
    form = page_values(client, f"/people/{ids['users']['zhangwei']}/edit")
    assert post(client, csrf, f"/people/{ids['users']['zhangwei']}/edit", form).status_code == 302
    assert person(app, "zhangwei").estate_ids == {ids["estate"], other_estate.id}


def test_nobody_changes_their_own_role_or_deactivates_themselves(app, client, login_as, csrf, ids):
    login_as("admin")
    me = ids["users"]["admin"]
    assert post(client, csrf, f"/people/{me}/deactivate").status_code == 403
    response = post(client, csrf, f"/people/{me}/edit", {"display_name": "管理员", "role": "officer",
                                                          "estate_ids": str(ids["estate"])})
    assert response.status_code == 403
    assert person(app, "admin").role == "admin" and person(app, "admin").active
    login_as("manager")
    assert client.get(f"/people/{ids['users']['zhaogang']}/edit").status_code == 403  # managers: on 我的


def test_unknown_people_are_404(client, login_as):
    login_as("manager")
    assert client.get("/people/99999").status_code == 404


# --------------------------------------------------------------------------- the list


def test_the_list_searches_filters_and_answers_htmx_with_a_fragment(client, login_as):
    login_as("supervisor")
    page = client.get("/people/?q=13816620102").get_data(as_text=True)
    assert "<html" in page and "李娜" in page and "王晓明" not in page
    fragment = client.get("/people/?role=team", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "周强" in text and "李娜" not in text
    assert "HX-Request" in fragment.headers.get("Vary", "")
    assert "王晓明" in client.get("/people/?q=wangxm").get_data(as_text=True)
    assert "没有符合" in client.get("/people/?q=%25").get_data(as_text=True)  # a % is text, not a wildcard


def test_the_list_filters_by_status(app, client, login_as, ids):
    with app.app_context():
        db.session.get(User, ids["users"]["liuyang"]).deactivate()
        db.session.commit()
        db.session.remove()
    login_as("manager")
    assert "刘洋" not in client.get("/people/").get_data(as_text=True)
    inactive = client.get("/people/?status=inactive").get_data(as_text=True)
    assert "刘洋" in inactive and "王晓明" not in inactive
    assert "刘洋" in client.get("/people/?status=all").get_data(as_text=True)
    assert client.get("/people/?status=bogus&role=bogus").status_code == 200


def test_pages_are_translated(client, login_as, ids):
    login_as("manager")
    assert "人员" in client.get("/people/").get_data(as_text=True)
    english = client.get(f"/people/{ids['users']['wangxm']}?lang=en").get_data(as_text=True)
    assert "Reset password" in english and "Deactivate" in english


# --------------------------------------------------------------------------- create and edit


def page_values(client, url) -> dict:
    """The values an edit form shows, as a browser would post them back."""
    page = client.get(url).get_data(as_text=True)
    values = {}
    for name, value in re.findall(r'<input id="f-[^"]+" name="([^"]+)" type="(?:text|tel)" value="([^"]*)"', page):
        values[name] = value
    for name in ("role", "team"):
        select_html = re.search(rf'name="{name}".*?</select>', page, re.S)
        chosen = re.search(r'<option value="([^"]*)" selected', select_html.group(0)) if select_html else None
        values[name] = chosen.group(1) if chosen else ""
    values["estate_ids"] = re.findall(r'name="estate_ids" value="(\d+)" checked', page)
    return values


def test_a_manager_creates_an_officer_who_can_log_in(app, client, login_as, csrf, ids, auth):
    login_as("manager")
    response = post(client, csrf, "/people/new", new_person(ids))
    assert response.status_code == 302
    created = person(app, "xuming")
    assert response.headers["Location"] == f"/people/{created.id}"
    assert created.role == "officer" and created.mobile == "13816620999" and created.work_phone == "021-58880999"
    assert created.estate_ids == {ids["estate"]} and "chushi-mima-1" not in created.password_hash
    assert "徐明" in client.get(response.headers["Location"]).get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf()})
    assert auth.login("xuming", "chushi-mima-1").status_code == 302


def test_a_new_person_chooses_their_own_password_before_anything_else(app, client, login_as, csrf, ids):
    """The manager chose the first password: at their first login the officer replaces it; until then
    every page leads to 我的 (the phone's sync still goes on), and then everything opens."""
    login_as("manager")
    assert post(client, csrf, "/people/new", new_person(ids)).status_code == 302
    phone, _ = logged_in_phone(app, "xuming", "chushi-mima-1")
    today = phone.get("/today")
    assert today.status_code == 302 and today.headers["Location"] == "/me#password"
    page = phone.get("/me").get_data(as_text=True)
    assert "请先设置您自己的密码" in page and 'id="password"' in page
    assert phone.get("/today", headers={"HX-Request": "true"}).status_code == 403
    assert phone.get("/sync/pull", headers={"Accept": "application/json"}).status_code == 200
    token = csrf_token(phone, "/me")
    assert phone.post("/notes/", data={"csrf_token": token}).status_code == 403
    changed = phone.post("/me/password", data={"csrf_token": token, "old_password": "chushi-mima-1",
                                               "new_password": "wo de mima 1"})
    assert changed.status_code == 302
    assert phone.get("/today").status_code == 200


def test_a_reset_password_is_replaced_at_the_next_login_demo_people_are_not_asked(app, client, login_as, csrf,
                                                                                  ids):
    assert logged_in_phone(app, "lina")[0].get("/today").status_code == 200
    login_as("manager")
    post(client, csrf, f"/people/{ids['users']['lina']}/password", {"password": "xin mima 2026"})
    phone, _ = logged_in_phone(app, "lina", "xin mima 2026")
    assert phone.get("/patrol/findings").headers["Location"] == "/me#password"


def test_a_new_officer_sets_the_assignment_table_due(client, login_as, csrf, ids):
    assert TABLE_DUE not in home_text(client, login_as, "supervisor")
    login_as("manager")
    assert post(client, csrf, "/people/new", new_person(ids)).status_code == 302
    assert TABLE_DUE in home_text(client, login_as, "supervisor")  # R-AREA-3
    assert TABLE_DUE in home_text(client, login_as, "manager")


@pytest.mark.parametrize("overrides,field,message", [
    ({"username": "WangXM"}, "username", "用户名已被使用"),
    ({"username": "王"}, "username", "小写字母"),
    ({"mobile": "12345"}, "mobile", "11 位手机号"),
    ({"mobile": "021-58881234"}, "mobile", "11 位手机号"),
    ({"work_phone": "call me"}, "work_phone", "只能包含数字"),
    ({"role": "boss"}, "role", "请选择角色"),
    ({"role": "team"}, "team", "请选择此人所在的班组"),
    ({"estate_ids": ""}, "estate_ids", "请至少选择一个项目"),
    ({"password": "short"}, "password", "至少需要 8 个字符"),
    ({"display_name": "  "}, "display_name", "必填"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_stored(app, client, login_as, csrf, ids, overrides, field,
                                                              message):
    login_as("manager")
    users = count(app, User)
    response = post(client, csrf, "/people/new", new_person(ids, **overrides))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body and f'id="e-{field}"' in body
    assert count(app, User) == users
    assert 'value="徐明"' in body or field == "display_name"  # what was typed is kept


def test_messages_follow_the_users_language(client, login_as, csrf, ids):
    login_as("manager")
    client.get("/people/?lang=en")
    body = post(client, csrf, "/people/new", new_person(ids, username="lina")).get_data(as_text=True)
    assert "This username is taken" in body


def test_a_manager_edits_a_person(app, client, login_as, csrf, ids):
    login_as("manager")
    url = f"/people/{ids['users']['sunli']}/edit"
    form = page_values(client, url) | {"display_name": "孙丽丽", "role": "team", "team": "security",
                                       "work_phone": "021 5888 0401"}
    assert post(client, csrf, url, form).status_code == 302
    changed = person(app, "sunli")
    assert (changed.display_name, changed.role, changed.team, changed.work_phone) == (
        "孙丽丽", "team", "security", "021-58880401")
    form["mobile"] = "not a phone"
    response = post(client, csrf, url, form)
    assert response.status_code == 422 and person(app, "sunli").mobile == "13816620401"


def test_changing_an_assigned_officers_phone_sets_the_lobby_card_due(app, client, login_as, csrf, ids):
    assert EAST_CARD not in home_text(client, login_as, "supervisor")
    login_as("manager")
    url = f"/people/{ids['users']['wangxm']}/edit"
    response = post(client, csrf, url, page_values(client, url) | {"mobile": "13900001111"}, follow_redirects=True)
    assert "东区的大堂公示卡须在 3 天内重新张贴" in response.get_data(as_text=True)  # told at once
    for who in ("officer", "supervisor", "manager"):  # R-AREA-4
        assert EAST_CARD in home_text(client, login_as, who), who
    assert TABLE_DUE not in home_text(client, login_as, "manager")


def test_an_unchanged_edit_sets_nothing_due(client, login_as, csrf, ids):
    login_as("manager")
    url = f"/people/{ids['users']['wangxm']}/edit"
    assert post(client, csrf, url, page_values(client, url)).status_code == 302
    assert EAST_CARD not in home_text(client, login_as, "supervisor")
    assert TABLE_DUE not in home_text(client, login_as, "supervisor")


def test_an_assigned_officer_given_another_role_sets_the_table_due(app, client, login_as, csrf, ids):
    login_as("manager")
    url = f"/people/{ids['users']['lina']}/edit"
    response = post(client, csrf, url, page_values(client, url) | {"role": "supervisor"}, follow_redirects=True)
    assert "必须在 3 天内审批新的工作分配表" in response.get_data(as_text=True)
    assert TABLE_DUE in home_text(client, login_as, "supervisor")  # R-AREA-3
    assert count(app, AreaChange, AreaChange.kind == "officer_left", AreaChange.detail == "李娜") == 1
    login_as("supervisor")
    assert "区域客户主任离职" in client.get("/areas/tables").get_data(as_text=True)


# --------------------------------------------------------------------------- password


def test_reset_password(app, client, login_as, csrf, ids, auth):
    login_as("manager")
    url = f"/people/{ids['users']['lina']}/password"
    short = post(client, csrf, url, {"password": "1234567"})
    assert short.status_code == 422 and "至少需要 8 个字符" in short.get_data(as_text=True)
    before = person(app, "lina").password_hash
    assert person(app, "lina").password_hash == before
    assert post(client, csrf, url, {"password": "xin mima 2026"}).status_code == 302
    client.post("/logout", data={"csrf_token": csrf()})
    assert auth.login("lina", "patrol123").status_code == 401
    assert auth.login("lina", "xin mima 2026").status_code == 302  # spaces are kept


def logged_in_phone(app, username: str, password: str = "patrol123"):
    """Another client, logged in through the form with "remember me": (client, remember cookie)."""
    phone = app.test_client()
    token = csrf_token(phone, "/login")
    response = phone.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 302
    return phone, phone.get_cookie("remember_token").value


def still_logged_in(app, phone, remembered: str) -> tuple[bool, bool]:
    """(the session still works, the remember cookie alone still logs in)."""
    again = app.test_client()
    again.set_cookie("remember_token", remembered)
    return phone.get("/today").status_code == 200, again.get("/today").status_code == 200


def test_a_reset_password_ends_the_persons_sessions_and_remembered_logins(app, client, login_as, csrf, ids):
    """A lost phone: the manager sets a new password, and the phone is logged out at once."""
    phone, remembered = logged_in_phone(app, "lina")
    assert still_logged_in(app, phone, remembered) == (True, True)
    login_as("manager")
    response = post(client, csrf, f"/people/{ids['users']['lina']}/password", {"password": "xin mima 2026"},
                    follow_redirects=True)
    assert "其原有登录已全部退出" in response.get_data(as_text=True)
    assert still_logged_in(app, phone, remembered) == (False, False)
    assert phone.get("/sync/pull", headers={"Accept": "application/json"}).status_code == 401
    assert client.get("/people/").status_code == 200, "the manager's own session goes on"
    assert logged_in_phone(app, "lina", "xin mima 2026")[0].get("/me").status_code == 200


def test_changing_my_password_keeps_this_login_and_ends_the_others(app):
    here, _ = logged_in_phone(app, "wangxm")
    lost, remembered = logged_in_phone(app, "wangxm")
    token = csrf_token(here, "/me")
    response = here.post("/me/password", data={"csrf_token": token, "old_password": "patrol123",
                                               "new_password": "new secret 1"}, follow_redirects=True)
    assert "其他设备上的登录已全部退出" in response.get_data(as_text=True)
    assert here.get("/today").status_code == 200
    assert still_logged_in(app, lost, remembered) == (False, False)


def test_reactivating_a_person_does_not_bring_their_old_logins_back(app, client, login_as, csrf, ids):
    phone, remembered = logged_in_phone(app, "wangxm")
    login_as("manager")
    url = f"/people/{ids['users']['wangxm']}"
    assert post(client, csrf, f"{url}/deactivate").status_code == 302
    assert post(client, csrf, f"{url}/reactivate").status_code == 302
    assert person(app, "wangxm").active is True
    assert still_logged_in(app, phone, remembered) == (False, False)
    assert logged_in_phone(app, "wangxm")[0].get("/today").status_code == 200


def test_the_offline_outbox_is_kept_under_the_user_id_not_the_login_id(app, client, login_as, csrf, ids):
    """A new password changes the login id; the phone's unsent work must stay under the same key."""
    login_as("manager")
    post(client, csrf, f"/people/{ids['users']['wangxm']}/password", {"password": "xin mima 2026"})
    phone, _ = logged_in_phone(app, "wangxm", "xin mima 2026")
    page = phone.get("/me").get_data(as_text=True)
    config = re.search(r'id="pb-config"[^>]*>(.*?)</script>', page, re.S).group(1)
    assert f'"user":"{ids["users"]["wangxm"]}"' in config.replace(" ", "")


# --------------------------------------------------------------------------- photo (R-AREA-4)


def test_a_photo_upload_shows_on_the_lobby_card_with_the_phones(app, client, login_as, csrf, ids):
    login_as("manager")
    response = upload(client, csrf, f"/people/{ids['users']['wangxm']}/photo", PNG, "me.png", "image/png")
    assert response.status_code == 302
    photo = person(app, "wangxm").photo
    assert photo and count(app, Media, Media.id == photo) == 1
    login_as("supervisor")
    card = client.get(f"/areas/{ids['areas']['东区']}/lobby-card").get_data(as_text=True)
    assert f'src="/sync/media/{photo}"' in card
    assert "13816620101" in card and "021-58880101" in card
    with client.get(f"/sync/media/{photo}") as image:
        assert image.status_code == 200 and image.mimetype == "image/png" and image.data == PNG
    assert EAST_CARD in home_text(client, login_as, "supervisor")  # a new photo: repost the card


def test_the_lobby_card_links_to_where_its_phones_and_photo_are_changed(client, login_as, ids):
    card = f"/areas/{ids['areas']['东区']}/lobby-card"
    login_as("officer")
    assert 'href="/me#contacts"' in client.get(card).get_data(as_text=True)
    login_as("manager")
    assert f'href="/people/{ids["users"]["wangxm"]}"' in client.get(card).get_data(as_text=True)
    login_as("officer2")
    page = client.get(f"/areas/{ids['areas']['南区']}/lobby-card").get_data(as_text=True)
    assert 'href="/me#contacts"' in page and f'href="/people/{ids["users"]["lina"]}"' not in page


def upload(client, csrf, url, data: bytes, name="photo.jpg", mimetype="image/jpeg"):
    """A multipart form as a browser sends it, built here: the test client would spool a large one to
    a temporary file it never closes."""
    head = (f'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf()}\r\n--b\r\n'
            f'Content-Disposition: form-data; name="photo"; filename="{name}"\r\nContent-Type: {mimetype}\r\n\r\n')
    return client.post(url, data=head.encode() + data + b"\r\n--b--\r\n", content_type="multipart/form-data; boundary=b")


@pytest.mark.parametrize("data,name,status,message", [
    (b"GIF89a" + b"\x00" * 64, "photo.gif", 415, "不接受此文件类型"),
    (b"%PDF-1.4 a document", "photo.pdf", 415, "不接受此文件类型"),
    (b"just text", "photo.jpg", 415, "不接受此文件类型"),
    (b"", "photo.jpg", 400, "上传的内容为空"),
])
def test_a_wrong_photo_is_refused_and_nothing_stored(app, client, login_as, csrf, ids, data, name, status, message):
    login_as("manager")
    media = count(app, Media)
    response = upload(client, csrf, f"/people/{ids['users']['wangxm']}/photo", data, name)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert person(app, "wangxm").photo is None and count(app, Media) == media


def test_a_photo_above_the_media_limit_is_refused(app, client, login_as, csrf, ids):
    login_as("manager")
    media = count(app, Media)
    too_big = JPEG + b"\x00" * app.config["MEDIA_MAX_BYTES"]
    response = upload(client, csrf, f"/people/{ids['users']['wangxm']}/photo", too_big)
    assert response.status_code == 413 and "最大 8 MB" in response.get_data(as_text=True)
    assert person(app, "wangxm").photo is None and count(app, Media) == media


def test_a_request_above_the_upload_limit_is_a_413_not_a_crash(app, client, login_as, csrf, ids):
    login_as("manager")
    huge = JPEG + b"\x00" * app.config["MAX_CONTENT_LENGTH"]
    assert upload(client, csrf, f"/people/{ids['users']['wangxm']}/photo", huge).status_code == 413
    assert person(app, "wangxm").photo is None


def test_no_file_chosen_is_refused(app, client, login_as, csrf, ids):
    login_as("manager")
    response = post(client, csrf, f"/people/{ids['users']['wangxm']}/photo", {}, content_type="multipart/form-data")
    assert response.status_code == 400 and person(app, "wangxm").photo is None


# --------------------------------------------------------------------------- deactivate


def test_a_deactivated_person_cannot_log_in_and_their_sessions_end(app, client, login_as, csrf, ids, auth):
    assert auth.login("wangxm").status_code == 302
    remembered = client.get_cookie("remember_token")
    assert remembered is not None and client.get("/today").status_code == 200
    other = app.test_client()
    other.set_cookie("remember_token", remembered.value)
    assert other.get("/today").status_code == 200  # the remembered login works…

    manager = app.test_client()
    with manager.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(ids["users"]["zhaogang"]), True
    token = csrf_token(manager, "/me")
    response = manager.post(f"/people/{ids['users']['wangxm']}/deactivate", data={"csrf_token": token})
    assert response.status_code == 302 and person(app, "wangxm").active is False

    page = client.get("/today")  # …and both stop at once
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    assert client.get("/sync/pull", headers={"Accept": "application/json"}).status_code == 401
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remembered.value)
    assert fresh.get("/today").status_code == 302
    assert auth.login("wangxm").status_code == 401


def test_deactivating_an_assigned_officer_sets_the_table_due_and_reactivating_lets_them_in(
        app, client, login_as, csrf, ids, auth):
    login_as("manager")
    url = f"/people/{ids['users']['wangxm']}"
    response = post(client, csrf, f"{url}/deactivate", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "已停用" in text and "必须在 3 天内审批新的工作分配表" in text
    assert TABLE_DUE in home_text(client, login_as, "supervisor")  # R-AREA-3
    login_as("manager")
    assert post(client, csrf, f"{url}/reactivate").status_code == 302
    assert person(app, "wangxm").active
    assert TABLE_DUE not in home_text(client, login_as, "supervisor")  # back in the table in force
    client.post("/logout", data={"csrf_token": csrf()})
    assert auth.login("wangxm").status_code == 302


def test_reactivating_an_officer_who_is_not_in_the_table_sets_it_due(app, client, login_as, csrf, other_estate):
    login_as("othermgr")
    assert post(client, csrf, f"/people/{other_estate.otherofc}/deactivate").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AreaChange).where(AreaChange.estate_id == other_estate.id)) is None
        db.session.remove()
    assert post(client, csrf, f"/people/{other_estate.otherofc}/reactivate").status_code == 302
    assert count(app, AreaChange, AreaChange.estate_id == other_estate.id, AreaChange.kind == "officer_joined") == 1


# --------------------------------------------------------------------------- 我的


def test_an_officer_edits_their_own_phones_and_the_card_becomes_due(app, client, login_as, csrf):
    login_as("officer")
    page = client.get("/me").get_data(as_text=True)
    assert 'value="13816620101"' in page and "东区" in page
    bad = post(client, csrf, "/me/contacts", {"mobile": "1381662", "work_phone": "021-58880101"})
    assert bad.status_code == 422 and "11 位手机号" in bad.get_data(as_text=True)
    assert person(app, "wangxm").mobile == "13816620101"
    response = post(client, csrf, "/me/contacts", {"mobile": "+86 139 0000 2222", "work_phone": ""})
    assert response.status_code == 302
    assert (person(app, "wangxm").mobile, person(app, "wangxm").work_phone) == ("13900002222", None)
    assert EAST_CARD in home_text(client, login_as, "officer")  # R-AREA-4
    assert EAST_CARD in home_text(client, login_as, "supervisor")


def test_the_repost_deadline_runs_from_the_contact_change_not_a_later_edit(app, client, login_as, csrf, ids):
    login_as("officer")
    assert post(client, csrf, "/me/contacts", {"mobile": "13900002222", "work_phone": ""}).status_code == 302
    with app.app_context():
        officer = db.session.get(User, ids["users"]["wangxm"])
        officer.contacts_changed_at -= timedelta(days=5)  # also an edit of the account now (updated_at)
        db.session.commit()
        db.session.remove()
    page = home_text(client, login_as, "supervisor")
    entry = re.search(rf"{EAST_CARD}.*?</li>", page, re.S).group(0)
    assert "逾期" in entry  # R-AREA-4: 3 days from the change, overdue since two days


def test_an_officer_uploads_their_own_photo(app, client, login_as, csrf, ids):
    login_as("officer")
    assert upload(client, csrf, "/me/photo", JPEG).status_code == 302
    photo = person(app, "wangxm").photo
    assert photo and f'src="/sync/media/{photo}"' in client.get("/me").get_data(as_text=True)
    wrong = upload(client, csrf, "/me/photo", b"not an image", "x.jpg")
    assert wrong.status_code == 415 and person(app, "wangxm").photo == photo


@pytest.mark.parametrize("who", ["team", "frontdesk"])
def test_everyone_keeps_their_own_phones(app, client, login_as, csrf, users, who):
    login_as(who)
    assert post(client, csrf, "/me/contacts", {"mobile": "13700000000"}).status_code == 302
    assert person(app, users[who].username).mobile == "13700000000"


def test_state_changes_need_the_csrf_token(app, client, login_as, ids):
    login_as("manager")
    assert client.post(f"/people/{ids['users']['wangxm']}/deactivate").status_code == 400
    assert client.post("/me/contacts", data={"mobile": "13700000000"}).status_code == 400
    assert person(app, "wangxm").active and person(app, "zhaogang").mobile == "13816620301"

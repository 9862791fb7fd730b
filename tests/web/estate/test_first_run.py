"""A new customer starts from nothing: `flask db upgrade`, `create-admin`, log in, create the estate,
import its households, add its people. And the estate form: bad input is refused with a message and
stores nothing; only the administrator creates estates, managers edit their own."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from webapp import create_app
from webapp.auth.models import User
from webapp.estate.models import Estate, Household
from webapp.extensions import db

ROLES = ("officer", "supervisor", "manager", "frontdesk", "team", "admin")
NEW_ESTATE = {"name": "翠湖苑", "code": "cuihu", "kind": "residential", "address": "杭州市西湖区翠湖路8号",
              "time_zone": "Asia/Shanghai"}


@pytest.fixture
def empty_app(tmp_path):
    """An app on a store of its own, with nothing in it but what `flask db upgrade` makes."""
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'new.sqlite3'}",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "MEDIA_ROOT": str(tmp_path / "media")})
    app.instance_path = str(tmp_path / "instance")
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def log_in(client, username, password="first-run-1"):
    token = csrf_of(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def post(client, url, **data):
    token = csrf_of(client.get("/me").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def counts(app) -> tuple[int, int]:
    with app.app_context():
        found = (db.session.scalar(select(func.count()).select_from(Estate)),
                 db.session.scalar(select(func.count()).select_from(Household)))
        db.session.remove()
        return found


# --------------------------------------------------------------------------- the first run, by the CLI and the web


def test_create_admin_on_an_empty_store_needs_no_estate(empty_app):
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "--username", "it", "--name", "系统管理员", "--password", "first-run-1"])
    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "it"))
        assert admin.role == "admin" and admin.estates == [] and admin.check_password("first-run-1")


def test_create_admin_prompts_for_the_password(empty_app):
    result = empty_app.test_cli_runner().invoke(args=["create-admin", "--username", "it", "--name", "管理员"],
                                                input="first-run-1\nfirst-run-1\n")
    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        assert db.session.scalar(select(User).where(User.username == "it")).check_password("first-run-1")


@pytest.mark.parametrize(("args", "message"), [
    (["create-admin", "--username", "it", "--name", "管理员", "--password", "short"], "at least 8"),
    (["create-user", "--username", "m", "--name", "经理", "--role", "manager", "--estate", "JXHY",
      "--password", "first-run-1"], "create-admin"),
])
def test_the_cli_refuses_with_a_way_forward(empty_app, args, message):
    result = empty_app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0 and message in result.output
    with empty_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_user_with_role_admin_and_no_estate(empty_app):
    result = empty_app.test_cli_runner().invoke(args=["create-user", "--username", "it", "--name", "管理员",
                                                      "--role", "admin", "--password", "first-run-1"])
    assert result.exit_code == 0, result.output


def test_from_nothing_to_a_working_estate(empty_app):
    empty_app.test_cli_runner().invoke(args=["create-admin", "--username", "it", "--name", "管理员",
                                             "--password", "first-run-1"])
    client = empty_app.test_client()
    assert log_in(client, "it").status_code == 302
    home = client.get("/overview").get_data(as_text=True)
    assert "请先创建项目" in home and 'href="/estate/new"' in home  # "First create your estate"
    refused = client.get("/people/")  # nothing to list people of, yet: a 403 that says what to do
    assert refused.status_code == 403 and "请先创建项目" in refused.get_data(as_text=True)

    response = post(client, "/estate/new", **NEW_ESTATE)
    assert response.status_code == 302 and response.location.endswith("/estate/import")
    with empty_app.app_context():
        estate = db.session.scalar(select(Estate))
        assert (estate.code, estate.name, estate.time_zone) == ("CUIHU", "翠湖苑", "Asia/Shanghai")
        assert [e.code for e in db.session.scalar(select(User).where(User.username == "it")).estates] == ["CUIHU"]
    assert "翠湖苑" in client.get("/overview").get_data(as_text=True)

    sheet = "楼栋,楼层,房号,业户姓名,身份,电话\n1,3,301,周敏,业主,13900001111\n1,3,302,钱力,租户,13900002222\n"
    token = csrf_of(client.get("/estate/import").get_data(as_text=True))
    response = client.post("/estate/import", data={"csrf_token": token, "file": (__import__("io").BytesIO(
        sheet.encode()), "households.csv")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert counts(empty_app) == (1, 2)

    for page in ("/people/", "/people/new", "/areas/", "/policies/", "/estate/", "/estate/settings"):
        assert client.get(page).status_code == 200, page


# --------------------------------------------------------------------------- the estate form on the demo store


@pytest.mark.parametrize("role", ROLES)
def test_only_the_administrator_creates_estates(client, login_as, csrf, app, role):
    login_as(role)
    assert client.get("/estate/new").status_code == (200 if role == "admin" else 403)
    response = client.post("/estate/new", data={"csrf_token": csrf(), **NEW_ESTATE})
    assert response.status_code == (302 if role == "admin" else 403)
    assert counts(app)[0] == (2 if role == "admin" else 1)


@pytest.mark.parametrize("role", ROLES)
def test_managers_and_the_administrator_edit_the_estate(client, login_as, csrf, app, role):
    login_as(role)
    may = role in ("manager", "admin")
    assert client.get("/estate/settings").status_code == (200 if may else 403)
    response = client.post("/estate/settings", data={"csrf_token": csrf(), "name": "锦绣花园二期", "kind": "mall",
                                                      "address": "", "time_zone": "Asia/Urumqi"})
    assert response.status_code == (302 if may else 403)
    with app.app_context():
        estate = db.session.scalar(select(Estate).where(Estate.code == "JXHY"))
        assert (estate.name == "锦绣花园二期") is may
        if may:
            assert (estate.kind, estate.address, estate.time_zone) == ("mall", None, "Asia/Urumqi")


def test_the_code_is_fixed_once_the_estate_exists(client, login_as, csrf, app):
    login_as("admin")
    response = client.post("/estate/settings", data={"csrf_token": csrf(), "name": "锦绣花园", "code": "NEW",
                                                      "kind": "residential", "time_zone": "Asia/Shanghai"})
    assert response.status_code == 302  # saved, the code sent along ignored
    with app.app_context():
        assert db.session.scalar(select(Estate.code)) == "JXHY"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "", "必填"),
    ("name", "园" * 129, "最多 128 个字符"),
    ("code", "jxhy", "已有项目使用代码 JXHY"),
    ("code", "J", "2 到 32 个"),
    ("code", "锦绣", "2 到 32 个"),
    ("code", "", "必填"),
    ("kind", "castle", "请选择类别"),
    ("time_zone", "Mars/Olympus", "请从列表中选择时区"),
    ("time_zone", "", "必填"),
])
def test_bad_input_is_refused_with_a_message_and_stores_nothing(client, login_as, csrf, app, field, value, message):
    login_as("admin")
    response = client.post("/estate/new", data={"csrf_token": csrf(), **NEW_ESTATE, field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page, page[page.find("field-error") - 200:page.find("field-error") + 300]
    assert counts(app)[0] == 1


def test_a_manager_without_an_estate_is_told_whom_to_ask(client, login_as, make_user):
    login_as(make_user(role="manager", estates=()).username)
    page = client.get("/overview").get_data(as_text=True)
    assert "请管理员" in page and 'href="/estate/new"' not in page
    for url in ("/people/", "/estate/", "/areas/"):
        refused = client.get(url)
        assert refused.status_code == 403 and "请管理员" in refused.get_data(as_text=True), url

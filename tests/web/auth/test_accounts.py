"""Accounts: hashed passwords, login/logout through the real forms, throttling, CSRF, roles."""

import pytest
from sqlalchemy import select

from webapp.auth.models import LoginAttempt, User
from webapp.extensions import db


def test_passwords_are_hashed(app, ctx):
    user = db.session.scalar(select(User).where(User.username == "wangxm"))
    assert "patrol123" not in user.password_hash
    assert user.check_password("patrol123") and not user.check_password("wrong")


def test_login_and_logout(client, auth):
    response = auth.login()
    assert response.status_code == 302
    assert client.get("/today").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/today").status_code == 302  # back to the login page


def test_login_session_is_long_lived_and_remembered(client, auth):
    response = auth.login()
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "Expires=" in remember and "HttpOnly" in remember


def test_wrong_password_is_refused_in_the_users_language(client, auth):
    response = auth.login(password="nope")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_login_is_throttled_after_repeated_failures(app, client, auth, ctx):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert auth.login(password="nope").status_code == 401
    locked = auth.login()  # even the right password waits out the lockout
    assert locked.status_code == 429
    assert "请" in locked.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(LoginAttempt).where(LoginAttempt.succeeded.is_(False))) == 5


def test_inactive_user_cannot_log_in(app, client, auth, ctx):
    db.session.scalar(select(User).where(User.username == "wangxm")).deactivate()
    db.session.commit()
    assert auth.login().status_code == 401


def test_a_deactivated_users_open_session_ends(app, client, auth, ctx):
    assert auth.login().status_code == 302
    assert client.get("/today").status_code == 200
    user = db.session.scalar(select(User).where(User.username == "wangxm"))
    user.deactivate()
    db.session.commit()
    response = client.get("/today")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_post_without_csrf_is_refused(client, login_as):
    login_as("officer")
    response = client.post("/language", data={"locale": "en"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_login_redirects_only_to_local_paths(client, auth):
    token = auth.csrf()
    response = client.post("/login", data={"username": "wangxm", "password": "patrol123", "csrf_token": token,
                                           "next": "//evil.example/x"})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("path", ["/", "/today", "/overview", "/me"])
def test_pages_need_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("who,home", [("officer", "/today"), ("team", "/today"), ("supervisor", "/overview"),
                                      ("manager", "/overview"), ("frontdesk", "/overview"), ("admin", "/overview")])
def test_each_role_lands_on_its_home(client, login_as, who, home):
    login_as(who)
    response = client.get("/")
    assert response.headers["Location"] == home
    assert client.get(home).status_code == 200


def test_officer_sees_only_own_areas(client, login_as):
    login_as("officer")
    page = client.get("/today").get_data(as_text=True)
    assert "东区" in page and "1栋首层大堂" in page
    assert "南区" not in page and "3栋首层大堂" not in page


def test_create_user_command(app, runner, ctx):
    result = runner.invoke(args=["create-user", "--username", "xiaoli", "--name", "小李", "--role", "officer",
                                 "--estate", "JXHY", "--password", "secret-pass"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "xiaoli"))
    assert user.check_password("secret-pass") and [e.code for e in user.estates] == ["JXHY"]
    again = runner.invoke(args=["create-user", "--username", "xiaoli", "--name", "x", "--role", "officer",
                                "--password", "secret-pass"])
    assert again.exit_code != 0 and "exists" in again.output


def test_a_person_of_two_estates_switches_between_them(app, client, auth):
    """A supervisor covering a second estate: both are offered on 我的 and the switch takes effect."""
    from webapp.estate.models import Estate

    with app.app_context():
        second = Estate(code="BJDS", name="滨江大厦", kind="mall")
        db.session.add(second)
        lead = db.session.scalar(select(User).where(User.username == "chenjing"))
        lead.estates.append(second)
        db.session.commit()
        second_id = second.id
        db.session.remove()
    assert auth.login("chenjing").status_code == 302
    page = client.get("/me").get_data(as_text=True)
    assert "锦绣花园" in page and "滨江大厦" in page
    token = auth.csrf("/me")
    assert client.post("/estate", data={"csrf_token": token, "estate_id": second_id}).status_code == 302
    assert f'class="btn btn-primary" name="estate_id" value="{second_id}"' in client.get("/me").get_data(as_text=True)

"""Simplified Chinese by default, English selectable and remembered per user."""

from sqlalchemy import select

from webapp.auth.models import User
from webapp.extensions import db


def test_chinese_is_the_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page and "登录" in page


def test_english_can_be_chosen_before_login(client, csrf):
    token = csrf("/login")
    client.post("/language", data={"locale": "en", "csrf_token": token, "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in" in page


def test_language_is_remembered_per_user(app, client, login_as, csrf, ctx):
    user = login_as("officer")
    client.post("/language", data={"locale": "en", "csrf_token": csrf()})
    assert db.session.get(User, user.id).locale == "en"
    other = app.test_client()  # a new phone: no session state, same user
    with other.session_transaction() as session:
        session["_user_id"] = str(user.id)
    assert "Today" in other.get("/today").get_data(as_text=True)


def test_unknown_language_is_refused(client, csrf):
    response = client.post("/language", data={"locale": "fr", "csrf_token": csrf("/login")})
    assert response.status_code == 400


def test_times_are_shown_in_shanghai(app):
    from datetime import UTC, datetime

    with app.test_request_context():
        from flask_babel import format_datetime

        assert format_datetime(datetime(2026, 11, 23, 16, 30, tzinfo=UTC), "HH:mm") == "00:30"


def test_user_ids_are_not_guessable_from_pages(client, login_as, ctx):
    login_as("officer")
    page = client.get("/me").get_data(as_text=True)
    assert db.session.scalar(select(User.password_hash).where(User.username == "wangxm")) not in page

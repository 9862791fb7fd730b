"""App-wide contracts: configuration, secure headers, errors in kind, the htmx page/fragment helper."""

import pytest

from webapp import create_app
from webapp.config import DEFAULT_SECRET
from webapp.kernel.htmx import render


def test_production_refuses_the_default_secret(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV": "production", "SECRET_KEY": DEFAULT_SECRET,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_with_a_real_secret_sets_secure_cookies(tmp_path):
    app = create_app({"ENV": "production", "SECRET_KEY": "s3cr3t-from-env",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_production_is_set_from_the_environment_as_the_readme_says(tmp_path, monkeypatch):
    monkeypatch.setenv("PATROLBOOK_ENV", "production")
    monkeypatch.delenv("PATROLBOOK_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    monkeypatch.setenv("PATROLBOOK_SECRET_KEY", "s3cr3t-from-env")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_SECURE"]
    assert app.test_client().get("/login").headers["Strict-Transport-Security"].startswith("max-age=")


def test_behind_a_proxy_the_client_address_is_the_forwarded_one(tmp_path, monkeypatch):
    monkeypatch.setenv("PATROLBOOK_PROXY_HOPS", "1")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    seen = []
    app.before_request(lambda: seen.append(__import__("flask").request.remote_addr))
    app.test_client().get("/login", headers={"X-Forwarded-For": "10.1.2.3"}, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen == ["10.1.2.3"]


def test_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/patrolbook.sqlite3")


def test_secure_headers(client):
    headers = client.get("/login").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_errors_answer_in_kind(client, login_as):
    login_as("officer")
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "<html" in page.get_data(as_text=True)
    fragment = client.get("/no-such-page", headers={"HX-Request": "true"})
    assert fragment.status_code == 404 and "<html" not in fragment.get_data(as_text=True)
    as_json = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert as_json.status_code == 404 and as_json.get_json()["error"]["status"] == 404


def test_forbidden_page_leaks_nothing(client, login_as):
    login_as("officer")
    response = client.get("/overview")  # desk page: the officer is sent to their own home
    assert response.status_code == 302


@pytest.mark.parametrize("headers,whole_page", [
    ({}, True),
    ({"HX-Request": "true"}, False),
    ({"HX-Request": "true", "HX-Boosted": "true"}, True),
    ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, True),
])
def test_htmx_page_or_fragment(app, headers, whole_page):
    with app.test_request_context("/", headers=headers):
        response = render("errors/error.html", "errors/_error.html", status=200, message="probe")
    assert ("<html" in response.get_data(as_text=True)) is whole_page
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("path", ["/areas/99999999999999999999999", "/estate/buildings/99999999999999999999999",
                                  "/renovation/99999999999999999999999"])
def test_an_id_beyond_the_database_range_is_a_404(client, login_as, path):
    login_as("supervisor")
    assert client.get(path).status_code == 404


def test_a_nul_character_is_refused_with_a_message(client, login_as, csrf):
    login_as("supervisor")
    search = client.get("/estate/households?q=%00")
    assert search.status_code == 400 and "NUL" in search.get_data(as_text=True)
    token = csrf()
    client.post("/logout", data={"csrf_token": token})
    login = client.post("/login", data={"username": "wang\x00xm", "password": "x", "csrf_token": csrf("/login")})
    assert login.status_code == 400 and "无法保存" in login.get_data(as_text=True)

"""The daily check (R-DUTY-3): the supervisor (kernel/roles.py has no deputy supervisor) reads and signs each day's
log; a day not signed is an obligation on their home page, gone once signed; nobody else signs; a day is signed
once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from webapp.duty.models import DailyCheck
from webapp.extensions import db
from webapp.kernel.demo import ZONE


def day_before(n: int) -> str:
    return (datetime.now(UTC).astimezone(ZONE).date() - timedelta(days=n)).isoformat()


def checks(app) -> int:
    with app.app_context():
        try:
            return db.session.scalar(select(func.count()).select_from(DailyCheck))
        finally:
            db.session.remove()


def test_an_unsigned_day_is_an_obligation_until_the_supervisor_signs_it(client, login_as, csrf):
    login_as("supervisor")
    yesterday = day_before(1)
    assert f"{yesterday} 的值班记录尚未审核签字" in client.get("/overview").get_data(as_text=True)
    page = client.get("/duty/check").get_data(as_text=True)
    assert f'data-day="{yesterday}"' in page and "未签字" in page
    response = client.post(f"/duty/check/{yesterday}", data={"note": "已阅，正常", "csrf_token": csrf()})
    assert response.status_code == 302
    assert f"{yesterday} 的值班记录尚未审核签字" not in client.get("/overview").get_data(as_text=True)
    assert "陈静" in client.get("/duty/check").get_data(as_text=True)


def test_a_day_is_signed_once(app, client, login_as, csrf):
    login_as("supervisor")
    assert client.post(f"/duty/check/{day_before(1)}", data={"csrf_token": csrf()}).status_code == 302
    before = checks(app)
    response = client.post(f"/duty/check/{day_before(1)}", data={"csrf_token": csrf()})
    assert response.status_code == 409 and "已经签过字" in response.get_data(as_text=True)
    assert checks(app) == before


@pytest.mark.parametrize("day", [0, -1, 30, "昨天"])
def test_only_a_past_day_of_the_week_shown_is_signed(app, client, login_as, csrf, day):
    login_as("supervisor")
    before = checks(app)
    path = f"/duty/check/{day if isinstance(day, str) else day_before(day)}"
    assert client.post(path, data={"csrf_token": csrf()}).status_code == 404
    assert checks(app) == before


@pytest.mark.parametrize("who", ["frontdesk", "manager", "officer", "team"])
def test_only_the_supervisor_signs_the_daily_check(app, client, login_as, csrf, who):
    login_as(who)
    before = checks(app)
    assert client.post(f"/duty/check/{day_before(1)}", data={"csrf_token": csrf()}).status_code == 403
    assert checks(app) == before
    assert "尚未审核签字" not in client.get("/", follow_redirects=True).get_data(as_text=True)

"""The estate's time zone is its clock: what a user of the estate sees, and what their 'today' is."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_login import login_user
from sqlalchemy import select

from tests import factories
from webapp.auth.models import User
from webapp.extensions import db
from webapp.kernel.dates import tz

LATE_EVENING = datetime(2026, 12, 6, 16, 30, tzinfo=UTC)  # 00:30 on the 7th in Beijing, 22:30 on the 6th in Xinjiang


def _clock_of(app, user_id):
    with app.test_request_context("/"):
        login_user(db.session.get(User, user_id))
        return tz().key


def test_a_users_clock_is_their_estates(app, make_estate, make_user):
    far_west = make_estate(time_zone="Asia/Urumqi")
    assert _clock_of(app, make_user(estates=(far_west.code,)).id) == "Asia/Urumqi"
    assert _clock_of(app, make_user(estates=("JXHY",)).id) == "Asia/Shanghai"


def test_estates_that_disagree_and_no_user_keep_the_apps_clock(app, make_estate, make_user):
    far_west = make_estate(time_zone="Asia/Urumqi")
    both = make_user(role="manager", estates=(far_west.code, "JXHY"))
    assert _clock_of(app, both.id) == app.config["BABEL_DEFAULT_TIMEZONE"]
    with app.test_request_context("/"):
        assert tz().key == app.config["BABEL_DEFAULT_TIMEZONE"]


def test_times_on_pages_follow_the_estates_clock(app, client, login_as, make_estate, make_user, make_area):
    far_west = make_estate(time_zone="Asia/Urumqi")
    officer = make_user(estates=(far_west.code,))
    area = make_area(estate=far_west.code, officer=officer)
    made = factories.mutation("quick_note", {"area_id": area.id, "text": "大堂灯不亮", "photo_ids": []},
                              observed_at=LATE_EVENING)
    factories.push(app, officer, made)
    login_as(officer.username)
    page = client.get(f"/notes/{made['record_id']}").get_data(as_text=True)
    assert "2026-12-06 22:30" in page
    with app.app_context():
        db.session.scalar(select(User).where(User.username == officer.username)).estates[0].time_zone = "Asia/Shanghai"
        db.session.commit()
    assert "2026-12-07 00:30" in client.get(f"/notes/{made['record_id']}").get_data(as_text=True)

"""The daily work record's pages by role (R-REC-1, R-REC-3): the officer's day, assembled from the domains'
work and submitted; the supervisor's morning review, reading and replying; the officer's badge and answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.web.app.test_query_counts import LIMIT, queries_of
from tests.web.records.conftest import today
from webapp.areas.public import assigned_areas
from webapp.extensions import db
from webapp.records import rules
from webapp.records.models import DailyRecord, RecordRead


@pytest.fixture
def submitted(phones, record_mutation):
    """The demo officer's record of today, submitted from their phone."""
    m = record_mutation(notes="参加部门例会", follow_up="5栋电梯异响")
    assert phones("officer", "phone-a").push(m)[0]["status"] == "applied"
    return m


def test_the_officer_sees_the_days_work_from_the_domains_and_the_form(client, login_as, make_note, users, make_area):
    area = make_area(officer=users["officer"])
    make_note(area, text="大堂灯不亮")
    login_as("officer")
    page = client.get(f"/records/day/{today().isoformat()}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "data-day-item=\"quick_note:" in html and "大堂灯不亮" in html
    assert 'data-offline-entity="daily_record"' in html and rules.record_id(users["officer"].id, today()) in html


def test_a_day_still_to_come_or_not_a_day_is_not_found(client, login_as):
    login_as("officer")
    assert client.get(f"/records/day/{(today() + timedelta(days=1)).isoformat()}").status_code == 404
    assert client.get("/records/day/2026-13-40").status_code == 404


@pytest.mark.parametrize("who, status", [("officer", 200), ("supervisor", 302), ("manager", 302),
                                         ("frontdesk", 403), ("team", 403)])
def test_the_record_list_by_role(client, login_as, who, status):
    login_as(who)
    assert client.get("/records/").status_code == status


@pytest.mark.parametrize("who, status", [("supervisor", 200), ("manager", 200), ("admin", 200), ("officer", 403),
                                         ("frontdesk", 403), ("team", 403)])
def test_the_morning_review_by_role(client, login_as, who, status):
    login_as(who)
    assert client.get("/records/review").status_code == status


def test_the_supervisor_reads_and_replies_and_the_officer_sees_the_badge_and_answers(app, client, csrf, submitted, login_as, users,
                                                                                    ctx):
    record_id = submitted["record_id"]
    login_as("supervisor")
    desk = client
    review = desk.get(f"/records/review?day={today().isoformat()}").get_data(as_text=True)
    assert f'data-review-officer="{users["officer"].id}"' in review and "参加部门例会" in review
    assert desk.get(f"/records/{record_id}").status_code == 200
    assert db.session.get(RecordRead, (record_id, users["supervisor"].id)) is not None
    assert desk.post(f"/records/{record_id}/replies", data={"text": "没有令牌"}).status_code == 400  # CSRF
    answer = desk.post(f"/records/{record_id}/replies", data={"text": "电梯问题今天回复业主", "line": "follow_up",
                                                               "csrf_token": csrf()})
    assert answer.status_code == 302
    login_as("officer")
    officer = client
    home = officer.get("/today").get_data(as_text=True)
    assert "data-reply-badge" in home and f'data-unseen-reply="{record_id}"' in home
    day = officer.get(f"/records/day/{today().isoformat()}").get_data(as_text=True)
    assert "电梯问题今天回复业主" in day
    assert 'data-reply-form="follow_up"' in day and 'data-reply-form="notes"' not in day  # answer where replied
    assert f'data-unseen-reply="{record_id}"' not in officer.get("/today").get_data(as_text=True)  # seen
    assert officer.post(f"/records/{record_id}/replies", data={"text": "好的", "line": "follow_up",
                                                               "csrf_token": csrf()}).status_code == 302
    login_as("supervisor")
    assert "好的" in client.get(f"/records/{record_id}").get_data(as_text=True)


def test_a_background_refresh_is_not_a_reading(client, submitted, login_as, users, ctx):
    login_as("supervisor")
    desk = client
    desk.get(f"/records/{submitted['record_id']}", headers={"X-Patrolbook-Refresh": "1"})
    assert db.session.get(RecordRead, (submitted["record_id"], users["supervisor"].id)) is None


def test_an_empty_reply_is_refused_in_words_and_someone_elses_record_is_forbidden(client, csrf, submitted, login_as):
    login_as("supervisor")
    desk = client
    refused = desk.post(f"/records/{submitted['record_id']}/replies", data={"text": "  ", "csrf_token": csrf()})
    assert refused.status_code == 422 and "此项必填" in refused.get_data(as_text=True)
    nowhere = desk.post(f"/records/{submitted['record_id']}/replies",
                        data={"text": "看不到的回复", "line": "quick_note:nothing", "csrf_token": csrf()})
    assert nowhere.status_code == 422 and "这条内容不在这份记录中" in nowhere.get_data(as_text=True)
    login_as("officer2")
    other = client
    assert other.get(f"/records/{submitted['record_id']}").status_code == 403
    assert other.post(f"/records/{submitted['record_id']}/replies", data={"text": "x", "csrf_token": csrf()}).status_code == 403
    assert other.get(f"/records/{submitted['record_id']}/print").status_code == 403


def test_the_print_page_is_the_paper_forms_layout(client, submitted, login_as):
    login_as("supervisor")
    page = client.get(f"/records/{submitted['record_id']}/print").get_data(as_text=True)
    assert "区域客户主任日工作记录表" in page and "参加部门例会" in page and "主管签名" in page


def test_the_overview_opens_with_the_day_befores_records(client, login_as):
    login_as("supervisor")
    html = client.get("/overview").get_data(as_text=True)
    assert "data-records-overview" in html
    assert html.index("data-records-overview") < html.index("data-residents-overview")


def test_without_javascript_the_form_submits_and_an_amendment_without_a_reason_is_refused_in_words(
        client, csrf, login_as, users, ctx):
    login_as("officer")
    day = today().isoformat()
    rid = rules.record_id(users["officer"].id, today())
    form = {"record_id": rid, "op": "create", "officer_id": users["officer"].id, "area_id": _area(users), "day": day,
            "notes": "下午接待业主", "return_url": f"/records/day/{day}"}
    sent = client.post("/sync/form/daily_record", data={**form, "csrf_token": csrf()})
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/records/day/{day}")
    amend = {**form, "op": "update", "base_version": 1, "notes": "下午接待业主两次", "csrf_token": csrf()}
    refused = client.post("/sync/form/daily_record", data=amend)
    assert refused.status_code == 422 and "请写明更正原因" in refused.get_data(as_text=True)
    assert client.post("/sync/form/daily_record", data={**amend, "amend_note": "次数写错"}).status_code == 302
    page = client.get(f"/records/day/{day}").get_data(as_text=True)
    assert "下午接待业主两次" in page and 'data-version="1"' in page and 'data-version="2"' in page


def _area(users) -> int:
    return assigned_areas(users["officer"].id)[0].id


def test_a_full_day_and_its_record_stay_within_the_query_budget(app, client, login_as, users):
    """A demo officer's day: every domain's lines, the record, its replies and versions (no app context held
    by the test: each request reads afresh)."""
    with app.app_context():
        day = db.session.scalar(select(DailyRecord.day).where(DailyRecord.officer_id == users["officer2"].id,
                                                              DailyRecord.version > 1))
        db.session.remove()
    record_id = rules.record_id(users["officer2"].id, day)
    login_as("officer2")
    assert queries_of(app, client, f"/records/day/{day.isoformat()}") <= LIMIT
    login_as("supervisor")
    assert queries_of(app, client, f"/records/{record_id}") <= LIMIT
    assert queries_of(app, client, f"/records/{record_id}/print") <= LIMIT

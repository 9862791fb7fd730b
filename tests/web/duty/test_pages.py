"""The duty log's pages by role (R-DUTY-1): the desk roles read and write it, officers and work teams do not; a
correction is shown beside what it corrects; there is no way to edit or delete an entry; the check page and
`flask duty verify` name the first entry altered in the database; bad input is a clear message and stores nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from tests.web.duty.conftest import entry_mutation
from webapp.duty.models import DutyEntry
from webapp.extensions import db


def pushed(phones, estate_id, who="frontdesk", **fields) -> str:
    m = entry_mutation(estate_id, **fields)
    assert phones(who, "desk-pc").push(m)[0]["status"] == "applied"
    return m["record_id"]


def count(app) -> int:
    with app.app_context():
        try:
            return db.session.scalar(select(func.count()).select_from(DutyEntry))
        finally:
            db.session.remove()


@pytest.mark.parametrize("who", ["frontdesk", "supervisor", "manager", "admin"])
def test_desk_roles_read_the_log_and_its_form(client, login_as, who):
    login_as(who)
    assert client.get("/duty/").status_code == 200
    form = client.get("/duty/new").get_data(as_text=True)
    assert 'data-offline-entity="duty_entry"' in form and "data-now" in form


@pytest.mark.parametrize("who", ["officer", "team"])
def test_officers_and_work_teams_see_no_duty_log(client, login_as, phones, estate_id, who):
    entry = pushed(phones, estate_id, what="夜班：东门岗亭未锁")
    login_as(who)
    for path in ("/duty/", "/duty/new", f"/duty/entries/{entry}", "/duty/verify"):
        response = client.get(path)
        assert response.status_code == 403
        assert "东门岗亭" not in response.get_data(as_text=True)
    assert "/duty/" not in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_a_correction_is_shown_beside_the_entry_it_corrects(client, login_as, phones, estate_id):
    wrong = pushed(phones, estate_id, what="3栋1单元业主报修渗水")
    pushed(phones, estate_id, who="supervisor", what="更正：应为3栋2单元", corrects_id=wrong)
    login_as("frontdesk")
    page = client.get("/duty/").get_data(as_text=True)
    line = page[page.index(f'data-record="{wrong}"'):]
    line = line[:line.index("</li>")]
    assert "3栋1单元业主报修渗水" in line and "更正：应为3栋2单元" in line
    detail = client.get(f"/duty/entries/{wrong}").get_data(as_text=True)
    assert "更正：应为3栋2单元" in detail
    form = client.get(f"/duty/new?corrects={wrong}").get_data(as_text=True)
    assert f'name="corrects_id" value="{wrong}"' in form and "3栋1单元业主报修渗水" in form


def test_there_is_no_way_to_edit_or_delete_an_entry(client, login_as, phones, estate_id, csrf):
    entry = pushed(phones, estate_id)
    login_as("admin")
    token = csrf()
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"/duty/entries/{entry}", data={"what": "改", "csrf_token": token})
        assert response.status_code == 405
    assert client.get(f"/duty/entries/{entry}/edit").status_code == 404
    response = client.post("/sync/form/duty_entry", data={"record_id": entry, "op": "update", "base_version": "1",
                                                          "what": "改掉", "csrf_token": token})
    assert response.status_code == 422
    with client.application.app_context():
        assert db.session.get(DutyEntry, entry).what == "3栋大堂灯不亮"
        db.session.remove()


def test_the_no_js_form_refuses_bad_input_with_a_message_and_stores_nothing(app, client, login_as, csrf, estate_id):
    login_as("frontdesk")
    before = count(app)
    response = client.post("/sync/form/duty_entry", data={
        "record_id": "0d6a4c3e-6b0e-4c1e-9d7a-3c2b1a0f9e8d", "op": "create", "estate_id": str(estate_id),
        "occurred_at": "2026-12-06T08:00:00+08:00", "category": "repair", "what": "  ", "handled_by": "孙丽",
        "csrf_token": csrf()})
    assert response.status_code == 422
    assert "请写明发生了什么。" in response.get_data(as_text=True)
    assert count(app) == before


def test_a_day_that_is_not_a_date_is_a_clear_400(client, login_as):
    login_as("frontdesk")
    response = client.get("/duty/?day=昨天下午")
    assert response.status_code == 400
    assert "日期无法识别" in response.get_data(as_text=True)


def test_the_check_page_and_command_name_the_first_altered_entry(app, client, login_as, runner, phones, estate_id):
    first = pushed(phones, estate_id, what="早班交接正常")
    pushed(phones, estate_id, what="午间巡查正常")
    login_as("supervisor")
    assert 'data-chain="ok"' in client.get("/duty/verify").get_data(as_text=True)
    assert runner.invoke(args=["duty", "verify"]).exit_code == 0
    with app.app_context():
        db.session.execute(text("UPDATE duty_entries SET what = '早班一切正常' WHERE id = :id"), {"id": first})
        db.session.commit()
        seq = db.session.get(DutyEntry, first).seq
        db.session.remove()
    page = client.get("/duty/verify").get_data(as_text=True)
    assert 'data-chain="broken"' in page and f"/duty/entries/{first}" in page
    assert f"从第 {seq} 条起对不上" in page and "内容被改动过" in page
    result = runner.invoke(args=["duty", "verify"])
    assert result.exit_code == 1 and f"BROKEN at no. {seq}: entry {first}" in result.output


def test_the_desk_overview_shows_todays_log(client, login_as, phones, estate_id):
    pushed(phones, estate_id, what="7栋电梯困人，已通知维保")
    login_as("frontdesk")
    page = client.get("/overview").get_data(as_text=True)
    assert "今日值班记录" in page and "7栋电梯困人" in page

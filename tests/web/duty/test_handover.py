"""Handover at the desk (R-DUTY-2): both people sign on the one screen, each with their own password, and the person
logged in stays logged in; one account cannot sign for two; important unfinished work blocks until done or a lead
lets it carry over; bad input is a clear message and stores nothing; only the desk signs."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.web.duty.conftest import entry_mutation
from webapp.duty.models import Handover, HandoverItem, Shift
from webapp.extensions import db

PASSWORD = "patrol123"


def handovers(app) -> int:
    with app.app_context():
        try:
            return db.session.scalar(select(func.count()).select_from(Handover))
        finally:
            db.session.remove()


def sign(client, csrf, incoming="chenjing", incoming_password=PASSWORD, outgoing_password=PASSWORD, **extra):
    return client.post("/duty/handover", data={"incoming": incoming, "incoming_password": incoming_password,
                                               "outgoing_password": outgoing_password, "csrf_token": csrf(), **extra})


def add_item(client, csrf, text, important=False):
    data = {"text": text, "csrf_token": csrf(), **({"important": "1"} if important else {})}
    assert client.post("/duty/handover/items", data=data).status_code == 302
    with client.application.app_context():
        found = db.session.scalar(select(HandoverItem.id).where(HandoverItem.text == text))
        db.session.remove()
        return found


def test_two_people_sign_on_one_screen_and_the_first_stays_logged_in(app, client, login_as, csrf, phones, estate_id):
    entry = entry_mutation(estate_id, what="夜班：东门岗亭未锁，已通知保安")
    phones("frontdesk", "desk-pc").push(entry)
    login_as("frontdesk")
    add_item(client, csrf, "3栋漏水待工程部回复")
    page = client.get("/duty/handover").get_data(as_text=True)
    assert "东门岗亭未锁" in page and "3栋漏水待工程部回复" in page
    response = sign(client, csrf, anomalies="大堂地面有水渍", explanation="保洁已清理")
    assert response.status_code == 302
    sheet = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<strong data-signed="outgoing">孙丽</strong>' in sheet and '<strong data-signed="incoming">陈静</strong>' in sheet
    assert "东门岗亭未锁" in sheet and "3栋漏水待工程部回复" in sheet and "大堂地面有水渍" in sheet
    assert client.get("/sync/whoami").get_json()["username"] == "sunli"  # still the outgoing person
    later = client.get("/duty/handover").get_data(as_text=True)
    assert "东门岗亭未锁" not in later  # the next shift starts after what was handed over


@pytest.mark.parametrize(("form", "status", "field_message"), [
    ({"incoming": "sunli"}, 422, "交班和接班必须是两个人"),
    ({"incoming": "wangxm"}, 422, "只有值班人员才能签交接班"),
    ({"incoming_password": "wrong"}, 401, "用户名或密码错误"),
    ({"outgoing_password": "wrong"}, 401, "这不是您的密码"),
    ({"incoming": ""}, 422, "此项必填。"),
])
def test_a_bad_signature_is_refused_with_a_clear_message_and_stores_nothing(app, client, login_as, csrf, form, status,
                                                                             field_message):
    login_as("frontdesk")
    before = handovers(app)
    response = sign(client, csrf, **form)
    assert response.status_code == status
    assert field_message in response.get_data(as_text=True)
    assert handovers(app) == before
    assert client.get("/sync/whoami").get_json()["username"] == "sunli"


def test_important_unfinished_work_blocks_until_done(app, client, login_as, csrf):
    login_as("frontdesk")
    before = handovers(app)
    urgent = add_item(client, csrf, "7栋电梯困人后续：等维保报告", important=True)
    page = client.get("/duty/handover").get_data(as_text=True)
    assert "data-blocked" in page
    response = sign(client, csrf)
    assert response.status_code == 409 and "主管同意" in response.get_data(as_text=True)
    assert handovers(app) == before
    assert client.post(f"/duty/handover/items/{urgent}/done", data={"csrf_token": csrf()}).status_code == 302
    assert sign(client, csrf).status_code == 302
    assert handovers(app) == before + 1


def test_the_supervisor_lets_important_work_carry_over_saying_why(app, client, login_as, csrf):
    login_as("frontdesk")
    urgent = add_item(client, csrf, "等业主回电确认维修时间", important=True)
    assert client.post(f"/duty/handover/items/{urgent}/carry", data={"note": "业主出差", "csrf_token": csrf()}
                       ).status_code == 403  # the front desk may not let it pass
    assert sign(client, csrf).status_code == 409
    login_as("supervisor")
    response = client.post(f"/duty/handover/items/{urgent}/carry", data={"note": " ", "csrf_token": csrf()})
    assert response.status_code == 422 and "请说明为什么可以留给下一班" in response.get_data(as_text=True)
    assert client.post(f"/duty/handover/items/{urgent}/carry", data={"note": "业主出差，下周处理",
                                                                      "csrf_token": csrf()}).status_code == 302
    login_as("frontdesk")
    response = sign(client, csrf)
    assert response.status_code == 302
    sheet = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "等业主回电确认维修时间" in sheet and "业主出差，下周处理" in sheet


@pytest.mark.parametrize("who", ["officer", "team"])
def test_only_the_desk_opens_and_signs_handovers(client, login_as, csrf, who):
    login_as(who)
    assert client.get("/duty/handover").status_code == 403
    assert client.get("/duty/roster").status_code == 403
    assert sign(client, csrf).status_code == 403


def test_an_empty_item_is_refused_with_a_message(app, client, login_as, csrf):
    login_as("frontdesk")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(HandoverItem))
        db.session.remove()
    response = client.post("/duty/handover/items", data={"text": "  ", "csrf_token": csrf()})
    assert response.status_code == 422 and "请写明还有什么没做完" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HandoverItem)) == before
        db.session.remove()


def test_the_roster_takes_a_night_turn_and_refuses_a_bad_time(app, client, login_as, csrf, users):
    login_as("frontdesk")
    assert client.post("/duty/roster", data={"csrf_token": csrf()}).status_code == 403
    login_as("supervisor")
    bad = client.post("/duty/roster", data={"user_id": users["frontdesk"].id, "day": "2026-12-07", "starts": "8点",
                                            "ends": "08:00", "csrf_token": csrf()})
    assert bad.status_code == 422 and "请按 08:00 的格式填写时间" in bad.get_data(as_text=True)
    ok = client.post("/duty/roster", data={"user_id": users["frontdesk"].id, "day": "2026-12-07", "starts": "20:00",
                                           "ends": "08:00", "csrf_token": csrf()})
    assert ok.status_code == 302
    with app.app_context():
        shift = db.session.scalar(select(Shift).order_by(Shift.id.desc()))
        assert (shift.ends_at - shift.starts_at).total_seconds() == 12 * 3600
        db.session.remove()

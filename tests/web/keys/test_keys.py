"""The key cabinet by role and through sync (R-KEY-1…5): only the desk sees it; a key lent twice (two phones
offline) is one loan and one conflict for the supervisor; the return checks the count and is countersigned; a key
goes back to the customer only against a document, of which only the kind and last four are kept; a loan out longer
than the policy is an obligation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from sync.models import Conflict
from tests.web.duty.conftest import estate_id  # noqa: F401  (a fixture)
from tests.web.residents.conftest import mutation, phones  # noqa: F401  (phones: a fixture)
from webapp.extensions import db
from webapp.keys.models import HandBack, Key, KeyLoan


@pytest.fixture
def key(app, estate_id):  # noqa: F811
    with app.app_context():
        made = Key(estate_id=estate_id, unit_label="6栋1单元101", label="6栋1单元101 入户门钥匙", count=2,
                   kind="customer", slot="C09")
        db.session.add(made)
        db.session.commit()
        found = made.id
        db.session.remove()
    return found


def loan(estate, held, **extra):
    fields = {"estate_id": estate, "key_id": held, "count": 2, "borrower": "王师傅", "phone": "13900001111",
              "purpose": "查看漏水", "lent_at": datetime.now(UTC).isoformat(),
              "expected_return": (datetime.now(UTC) + timedelta(days=1)).date().isoformat()}
    return mutation("key_loan", {**fields, **extra})


def test_a_key_lent_on_two_phones_offline_is_one_loan_and_one_conflict(phones, estate_id, key, ctx):  # noqa: F811
    first, second = loan(estate_id, key), loan(estate_id, key, borrower="李女士")
    assert phones("frontdesk", "desk-pc").push(first)[0]["status"] == "applied"
    [result] = phones("supervisor", "phone-a").push(second)
    assert result["status"] == "conflict"
    loans = db.session.scalars(select(KeyLoan).where(KeyLoan.key_id == key)).all()
    assert [x.borrower for x in loans] == ["王师傅"]
    assert db.session.scalar(select(func.count()).select_from(Conflict).where(
        Conflict.record_id == second["record_id"])) == 1


def test_two_loans_of_one_key_in_one_batch_are_one_loan_and_one_conflict(phones, estate_id, key, ctx):  # noqa: F811
    results = phones("frontdesk", "desk-pc").push(loan(estate_id, key), loan(estate_id, key, borrower="李女士"))
    assert [r["status"] for r in results] == ["applied", "conflict"]


@pytest.mark.parametrize(("change", "field"), [({"borrower": " "}, "borrower"), ({"phone": "abc"}, "phone"),
                                               ({"count": 3}, "count"), ({"key_id": 999999}, "key_id")])
def test_a_bad_loan_is_refused_and_stores_nothing(phones, estate_id, key, ctx, change, field):  # noqa: F811
    [result] = phones("frontdesk", "desk-pc").push(loan(estate_id, key, **change))
    assert result["status"] == "rejected" and field in result["errors"]
    assert db.session.scalar(select(func.count()).select_from(KeyLoan).where(KeyLoan.key_id == key)) == 0


@pytest.mark.parametrize("who", ["officer", "team"])
def test_officers_and_work_teams_see_no_key_register(client, login_as, phones, estate_id, key, who):  # noqa: F811
    login_as(who)
    assert client.get("/keys/").status_code == 403
    assert client.get(f"/keys/{key}/lend").status_code == 403
    assert phones(who, "phone-x").push(loan(estate_id, key))[0]["status"] == "forbidden"


def test_the_return_checks_the_count_and_is_countersigned(app, client, login_as, csrf, phones, estate_id, key, users):  # noqa: F811
    m = loan(estate_id, key)
    phones("frontdesk", "desk-pc").push(m)
    login_as("frontdesk")
    short = client.post(f"/keys/loans/{m['record_id']}/return", data={"returned_count": "1", "csrf_token": csrf()})
    assert short.status_code == 422 and "借出 2 把，请重新清点" in short.get_data(as_text=True)
    ok = client.post(f"/keys/loans/{m['record_id']}/return", data={"returned_count": "2", "csrf_token": csrf()})
    assert ok.status_code == 302
    with app.app_context():
        back = db.session.get(KeyLoan, m["record_id"])
        assert (back.returned_count, back.received_by) == (2, users["frontdesk"].id) and back.returned_at
        db.session.remove()


def test_a_key_goes_back_only_against_a_document_of_which_the_last_four_are_kept(app, client, login_as, csrf, key):
    login_as("frontdesk")
    refused = client.post(f"/keys/{key}/hand-back", data={"collector": "业主本人", "document": "",
                                                          "document_number": "", "csrf_token": csrf()})
    assert refused.status_code == 422 and "须凭客户证或身份证件" in refused.get_data(as_text=True)
    ok = client.post(f"/keys/{key}/hand-back", data={"collector": "业主本人", "document": "id_card",
                                                     "document_number": "110101199001011234", "csrf_token": csrf()})
    assert ok.status_code == 302
    with app.app_context():
        record = db.session.scalar(select(HandBack).where(HandBack.key_id == key))
        assert (record.document, record.document_last4) == ("id_card", "1234")
        assert db.session.get(Key, key).handed_back_at is not None
        db.session.remove()
    assert "6栋1单元101" not in client.get("/keys/").get_data(as_text=True)


def test_the_demo_cabinet_has_a_loan_to_chase(client, login_as):
    login_as("frontdesk")
    page = client.get("/keys/").get_data(as_text=True)
    assert "逾期" in page and "李女士（业主亲属）" in page
    assert "钥匙 7栋1单元602 入户门、信箱钥匙 逾期未还" in client.get("/overview").get_data(as_text=True)


def test_a_lost_key_is_written_down_in_a_memo(app, client, login_as, csrf, key):
    login_as("frontdesk")
    assert "遗失" in client.get("/keys/memos").get_data(as_text=True)  # the demo's lost key
    bad = client.post(f"/keys/{key}/memo", data={"what": "钥匙丢了", "csrf_token": csrf()})
    assert bad.status_code == 422 and "请选择钥匙是遗失还是损坏" in bad.get_data(as_text=True)
    ok = client.post(f"/keys/{key}/memo", data={"kind": "damaged", "what": "钥匙齿断在锁里", "supervisor_told": "1",
                                                "action": "请锁匠配钥匙", "csrf_token": csrf()})
    assert ok.status_code == 302
    page = client.get("/keys/memos").get_data(as_text=True)
    assert "钥匙齿断在锁里" in page and "尚未取得业主同意" in page
    login_as("officer")
    assert client.get("/keys/memos").status_code == 403
    assert client.post(f"/keys/{key}/memo", data={"kind": "lost", "what": "x", "csrf_token": csrf()}).status_code == 403

"""The officer's chase list and chases pushed from the phone (R-FEE-2, R-FEE-4): cadence, tap-to-call,
scope by area, the outcomes' rules, obligations on Today and the overview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select

from webapp.estate.models import Estate, Household
from webapp.extensions import db
from webapp.fees.models import ArrearsList
from webapp.kernel.dates import local_date

from .conftest import chase, csv_file, post, push


def test_the_officer_sees_who_owes_what_and_since_when_with_tap_to_call(client, login_as, listed):
    login_as("officer")
    page = client.get("/fees/").get_data(as_text=True)
    assert page.count("data-debtor=") == 1  # 东区 only: the 南区 unit is another officer's
    assert "3,456.50" in page and "8 个月" in page and "尚未催缴" in page
    assert f'href="tel:{listed["phone"]}"' in page
    assert f'/fees/units/{listed["unit"]}/chase/{listed["household"]}' in page
    login_as("officer2")
    assert f'/fees/units/{listed["unit"]}/chase/' not in client.get("/fees/").get_data(as_text=True)


def test_a_chase_pushed_from_the_phone_shows_as_the_last_and_moves_the_next(app, client, login_as, users, listed):
    result = push(app, users["officer"], chase(listed, outcome="promised", promised_on=str(listed["today"] + timedelta(days=10)),
                                               promised_yuan=3000, note="月底前交"))
    assert result["status"] == "applied", result
    login_as("officer")
    page = client.get("/fees/").get_data(as_text=True)
    assert "电话催缴 · 承诺缴费" in page
    next_phone = (listed["today"] + timedelta(days=7)).strftime("%m-%d")
    assert f"电话催缴 {next_phone}" in page


@pytest.mark.parametrize("fields, field", [({"outcome": "promised"}, "promised_on"),
                                           ({"outcome": "paid"}, "receipt_no"),
                                           ({"outcome": "nobody_home"}, "outcome"),
                                           ({"method": "fax"}, "method")])
def test_a_chase_that_says_too_little_is_rejected(app, users, listed, fields, field):
    result = push(app, users["officer"], chase(listed, **fields))
    assert result["status"] == "rejected" and field in result["errors"], result


def test_a_chase_outside_the_officers_areas_or_with_another_units_household_is_refused(app, users, listed):
    assert push(app, users["officer2"], chase(listed))["status"] != "applied"
    with app.app_context():
        other = db.session.scalar(select(Household.id).where(Household.unit_id != listed["unit"]))
    result = push(app, users["officer"], chase(listed, household_id=other))
    assert result["status"] == "rejected" and "household_id" in result["errors"]


def test_the_chase_form_by_role_and_area(client, login_as, listed):
    url = f'/fees/units/{listed["unit"]}/chase/{listed["household"]}'
    for who, status in (("officer", 200), ("supervisor", 200), ("officer2", 403), ("finance", 403), ("frontdesk", 403)):
        login_as(who)
        assert client.get(url).status_code == status, who
    login_as("officer")
    page = client.get(url).get_data(as_text=True)
    assert 'data-offline-entity="fee_chase"' in page and f'href="tel:{listed["phone"]}"' in page
    assert client.get(f'/fees/units/{listed["unit"]}/chase/999999').status_code == 404


def test_overdue_chases_are_obligations_on_today_and_the_overview_until_chased(app, client, login_as, users, listed):
    login_as("officer")
    assert "东区：1 户欠费催缴逾期" in client.get("/today").get_data(as_text=True)
    login_as("supervisor")
    assert "东区：1 户欠费催缴逾期" in client.get("/overview").get_data(as_text=True)
    push(app, users["officer"], chase(listed, outcome="paid", receipt_no="SK2026-0012"))
    login_as("officer")
    assert "欠费催缴逾期" not in client.get("/today").get_data(as_text=True)
    assert "已缴费" in client.get("/fees/").get_data(as_text=True)


def test_finance_sees_the_list_obligation_until_the_month_is_in(app, client, login_as, csrf, debtors):
    month = f"{local_date(datetime.now(UTC), ZoneInfo('Asia/Shanghai')):%Y-%m}"
    with app.app_context():  # the demo's list of this month has not come yet
        db.session.execute(delete(ArrearsList).where(ArrearsList.month == month))
        db.session.commit()
    wanted = f"财务 {month} 欠费清单"
    login_as("finance")
    assert wanted in client.get("/today").get_data(as_text=True)
    login_as("officer")
    assert wanted not in client.get("/today").get_data(as_text=True)
    login_as("finance")
    (room, name), _second, _third = debtors
    assert post(client, csrf, month, csv_file(f"1,{room},{name},物业服务费,2,500,{month}-01")).status_code == 302
    assert wanted not in client.get("/today").get_data(as_text=True)


def test_in_a_mall_a_customer_over_a_month_behind_is_followed_up_every_15_days(app, client, login_as, users, listed):
    """R-FEE-5: by any means, from the list's date; no weekly phone chase or visits of a residential estate."""
    with app.app_context():
        db.session.get(Estate, 1).kind = "mall"
        db.session.commit()
    login_as("officer")
    page = client.get("/fees/").get_data(as_text=True)
    due = (listed["as_of"] + timedelta(days=15)).strftime("%m-%d")
    assert f"商户跟进催缴 {due}" in page and "上门催缴 " not in page
    push(app, users["officer"], chase(listed, method="notice", outcome="not_reached"))
    page = client.get("/fees/").get_data(as_text=True)
    assert f"商户跟进催缴 {(listed['today'] + timedelta(days=15)).strftime('%m-%d')}" in page

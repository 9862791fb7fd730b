"""The monthly long-term arrears table (R-FEE-3): per area, over six months behind, this month's chases;
finance confirms it (who and when), after which the month's list is kept as confirmed; printable and XLSX."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from webapp.extensions import db
from webapp.fees.models import LongTermCheck

from .conftest import chase, push


def url(listed) -> str:
    return f"/fees/long-term/{listed['today']:%Y-%m}"


def test_the_table_lists_the_long_term_households_and_this_months_chases(app, client, login_as, users, listed):
    push(app, users["officer"], chase(listed, outcome="promised", promised_on=f"{listed['today']:%Y-%m-%d}", promised_yuan=500))
    push(app, users["officer"], chase(listed, method="visit", outcome="nobody_home"))
    login_as("supervisor")
    page = client.get(url(listed)).get_data(as_text=True)
    assert "3,456.50" in page  # 东区: 8 months
    assert "200.00" not in page  # 南区: 2 months, not long-term
    assert "电话催缴 1、上门催缴 1" in page or "上门催缴 1、电话催缴 1" in page
    assert "财务尚未核对" in page and "确认</button>" not in page  # the supervisor reads it, finance confirms it


def test_finance_confirms_the_table_once_with_who_and_when(app, client, login_as, csrf, listed):
    login_as("finance")
    assert client.get(url(listed)).status_code == 200
    response = client.post(url(listed) + "/confirm", data={"csrf_token": csrf(), "note": "与账面一致"})
    assert response.status_code == 302
    client.post(url(listed) + "/confirm", data={"csrf_token": csrf(), "note": "again"})
    with app.app_context():
        checks = db.session.scalars(select(LongTermCheck).where(LongTermCheck.month == f"{listed['today']:%Y-%m}")).all()
        assert [(c.confirmed_by, c.note) for c in checks] == [(login_as("finance").id, "与账面一致")]
        assert (datetime.now(UTC) - checks[0].confirmed_at).total_seconds() < 600
    login_as("supervisor")
    page = client.get(url(listed)).get_data(as_text=True)
    assert "财务 钱红 已于" in page and "与账面一致" in page
    assert "data-table-confirmed" in client.get("/fees/").get_data(as_text=True)  # sent on to the supervisor


@pytest.mark.parametrize("who, status", [("officer", 403), ("supervisor", 403), ("frontdesk", 403)])
def test_only_finance_confirms(client, login_as, csrf, listed, who, status):
    login_as(who)
    assert client.post(url(listed) + "/confirm", data={"csrf_token": csrf()}).status_code == status


@pytest.mark.parametrize("who, status", [("officer", 200), ("finance", 200), ("manager", 200), ("frontdesk", 403),
                                         ("team", 403)])
def test_who_reads_the_table(client, login_as, listed, who, status):
    login_as(who)
    assert client.get(url(listed)).status_code == status


def test_an_officer_sees_only_their_areas_rows(client, login_as, listed):
    login_as("officer2")
    page = client.get(url(listed)).get_data(as_text=True)
    assert "3,456.50" not in page and "东区" not in page


def test_the_table_as_xlsx(client, login_as, listed):
    login_as("finance")
    response = client.get(url(listed) + ".xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["区域", "房屋", "业户", "欠费月数"]
    assert any(r[0] == "东区" and r[3] == 8 and r[4] == 3456.5 for r in rows[1:])


def test_an_unknown_month_is_404(client, login_as, listed):
    login_as("finance")
    assert client.get("/fees/long-term/2001-01").status_code == 404

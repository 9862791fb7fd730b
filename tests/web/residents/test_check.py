"""The front desk's check of the visits (R-SUP-2): the month's sample by officer, results recorded, disputes to
the supervisor, the sheet printed and exported — on the demo's last month of visits."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.kernel.demo import ZONE
from webapp.residents import checks
from webapp.residents.models import VisitCheck

MONTH = f"{datetime.now(UTC).astimezone(ZONE).replace(day=1) - timedelta(days=1):%Y-%m}"  # the month the desk checks


def sampled(page: str) -> list[str]:
    return re.findall(r'data-sampled="([^"]+)"', page)


@pytest.mark.parametrize(("who", "status"), [
    ("frontdesk", 200), ("supervisor", 200), ("manager", 200), ("officer", 403), ("team", 403)])
def test_the_check_pages_by_role(client, login_as, who, status):
    login_as(who)
    for path in ("/residents/check", "/residents/check/print", "/residents/check.xlsx"):
        assert client.get(path).status_code == status, path


def test_last_months_sample_is_every_officers_share_and_the_same_each_time(client, login_as):
    login_as("frontdesk")
    page = client.get("/residents/check").get_data(as_text=True)
    assert MONTH in page
    officers = re.findall(r'data-officer-sample="(\d+)"', page)
    assert len(officers) == 4  # every officer of the demo visited last month
    for n, total in re.findall(r"抽查 (\d+) 户（共 (\d+) 次家访）", page):
        assert int(n) * 10 >= int(total) and int(n) >= 1
    assert sampled(client.get(f"/residents/check?month={MONTH}").get_data(as_text=True)) == sampled(page)


def test_a_result_is_recorded_and_a_dispute_reaches_the_supervisor(client, login_as, csrf, ctx):
    login_as("frontdesk")
    page = client.get("/residents/check").get_data(as_text=True)
    first = sampled(page)[0]
    token = csrf("/residents/check")
    response = client.post(f"/residents/check/{first}", data={"csrf_token": token, "month": MONTH,
                                                               "result": "disputed", "note": "业主说没人来过"})
    assert response.status_code == 302
    assert "有异议" in client.get("/residents/check").get_data(as_text=True)
    login_as("supervisor")
    assert "家访抽查有异议" in client.get("/overview").get_data(as_text=True)
    login_as("frontdesk")
    client.post(f"/residents/check/{first}", data={"csrf_token": token, "month": MONTH, "result": "confirmed"})
    stored = db.session.scalars(select(VisitCheck).where(VisitCheck.visit_id == first)).all()
    assert [(c.result, c.note) for c in stored] == [("confirmed", "")]  # replaced, one per visit


def test_the_supervisor_marks_a_dispute_handled_and_it_leaves_their_list(client, login_as, csrf, ctx):
    """R-SUP-2: a disputed visit is the supervisor's until they say what they found."""
    login_as("frontdesk")
    first = sampled(client.get("/residents/check").get_data(as_text=True))[0]
    client.post(f"/residents/check/{first}", data={"csrf_token": csrf("/residents/check"), "month": MONTH,
                                                   "result": "disputed", "note": "业主说没人来过"})
    assert "标记为已处理" not in client.get("/residents/check").get_data(as_text=True)  # the desk records, no more
    assert client.post(f"/residents/check/{first}/handled", data={
        "csrf_token": csrf("/residents/check"), "month": MONTH, "note": "x"}).status_code == 403
    login_as("supervisor")
    token = csrf("/residents/check")
    empty = client.post(f"/residents/check/{first}/handled", data={"csrf_token": token, "month": MONTH, "note": " "})
    assert empty.status_code == 422 and 'aria-invalid="true"' in empty.get_data(as_text=True)
    assert "家访抽查有异议" in client.get("/overview").get_data(as_text=True)
    done = client.post(f"/residents/check/{first}/handled", data={"csrf_token": token, "month": MONTH,
                                                                  "note": "已回访业主，当天是家属接待"})
    assert done.status_code == 302
    assert "家访抽查有异议" not in client.get("/overview").get_data(as_text=True)
    page = client.get(f"/residents/check?month={MONTH}").get_data(as_text=True)
    assert "已回访业主，当天是家属接待" in page and "data-handled" in page
    other = sampled(page)[1]  # not disputed: nothing to handle
    assert client.post(f"/residents/check/{other}/handled", data={"csrf_token": token, "month": MONTH,
                                                                  "note": "x"}).status_code == 404


@pytest.mark.parametrize(("form", "message"), [({"result": ""}, "请选择回访结果。"), ({"result": "maybe"}, "请选择回访结果。"),
                                               ({"result": "confirmed", "note": "长" * 501}, "500")])
def test_a_bad_result_says_what_is_wrong_and_stores_nothing(client, login_as, csrf, ctx, form, message):
    login_as("frontdesk")
    first = sampled(client.get("/residents/check").get_data(as_text=True))[0]
    response = client.post(f"/residents/check/{first}", data={"csrf_token": csrf("/residents/check"), "month": MONTH,
                                                               **form})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(VisitCheck)) == 0


def test_a_visit_outside_the_sample_cannot_be_checked(client, login_as, csrf, ctx):
    login_as("frontdesk")
    response = client.post("/residents/check/00000000-0000-4000-8000-000000000000",
                           data={"csrf_token": csrf("/residents/check"), "month": MONTH, "result": "confirmed"})
    assert response.status_code == 404


def test_the_sheet_prints_and_exports_the_same_sample(client, login_as):
    login_as("frontdesk")
    ids = sampled(client.get("/residents/check").get_data(as_text=True))
    printed = client.get("/residents/check/print").get_data(as_text=True)
    assert printed.count("<tr>") == len(ids) + 1
    response = client.get("/residents/check.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.max_row == len(ids) + 1 and sheet.title == MONTH
    assert [c.value for c in sheet[1]][:2] == ["区域客户主任", "家访时间"]


def test_a_month_is_read_or_last_month_is_meant():
    assert checks.month_of("2026-11", date(2026, 12, 6)) == (2026, 11)
    assert checks.month_of("nonsense", date(2026, 12, 6)) == (2026, 11)
    assert checks.month_of(None, date(2027, 1, 3)) == (2026, 12)
    assert checks.month_of("2026-13", date(2026, 12, 6)) == (2026, 11)


def test_the_check_reads_its_sample_with_their_households_at_once(app, client, login_as, users, make_area,
                                                                    make_household, make_visit):
    """However many visits are drawn, the same queries: each sampled visit's household comes with it."""
    from tests.web.app.test_query_counts import queries_of

    login_as("frontdesk")
    before = queries_of(app, client, "/residents/check")
    area = make_area(officer=users["officer"], buildings=1)
    last_month = datetime.now(UTC) - timedelta(days=datetime.now(UTC).astimezone(ZONE).day + 2)
    for n in range(6):
        make_visit(make_household(area, name=f"抽查{n}"), at=last_month)
    assert queries_of(app, client, "/residents/check") == before

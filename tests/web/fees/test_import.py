"""Finance's monthly arrears list in (R-FEE-1): all or nothing, rows named by number, a month imported
twice replaces the first list — unless its long-term table is confirmed — and the unit's history."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from webapp.estate.models import Building, Unit
from webapp.extensions import db
from webapp.fees.models import Arrear, ArrearsList, LongTermCheck

from .conftest import HEADER, csv_file, post


def stored(app, month="2030-01"):
    with app.app_context():
        found = db.session.scalar(select(ArrearsList).where(ArrearsList.month == month))
        return None if found is None else sorted((r.fee_type, r.months_owed, r.amount_fen) for r in found.rows)


def good_lines(debtors):
    (r1, n1), (r2, n2), (r3, _n3) = debtors
    return (f"1,{r1},{n1},物业服务费,8,\"3,456.50\",2026-11-01", f"1栋,{r1},{n1},水电费,2,¥312,2026/11/1",
            f"1,{r2},{n2},物业费,1,200,2026-11-01", f"3,{r3},,其他,3,99.9,2026年11月1日")


def test_finance_imports_a_good_file_and_the_month_shows_it(app, client, login_as, csrf, debtors):
    login_as("finance")
    response = post(client, csrf, "2030-01", csv_file(*good_lines(debtors)))
    assert response.status_code == 302 and response.location.endswith("/fees/lists/2030-01")
    assert stored(app) == [("other", 3, 99_90), ("property", 1, 200_00), ("property", 8, 3456_50), ("utilities", 2, 312_00)]
    page = client.get("/fees/lists/2030-01").get_data(as_text=True)
    assert "欠费清单已导入" in page or "2030-01" in page
    assert "3,456.50" in page and "水电费" in page


def test_an_xlsx_file_imports_too(app, client, login_as, csrf, debtors):
    (r1, n1), _second, _third = debtors
    book = Workbook()
    book.active.append(HEADER.split(","))
    book.active.append(["1", r1, n1, "物业服务费", 7, 1234.5, "2026-11-01"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    login_as("supervisor")  # the supervisor may import finance's list too
    assert post(client, csrf, "2030-01", (data, "清单.xlsx")).status_code == 302
    assert stored(app) == [("property", 7, 1234_50)]


def test_a_file_with_bad_rows_imports_nothing_and_names_each_row(app, client, login_as, csrf, debtors):
    (r1, n1), (r2, _n2), _third = debtors
    login_as("finance")
    response = post(client, csrf, "2030-01", csv_file(
        f"1,{r1},{n1},物业服务费,8,3456.50,2026-11-01",   # row 2: good
        f"1,{r1},{n1},停车位,8,10,2026-11-01",            # row 3: unknown fee type
        f"1,{r2},不存在的人,物业服务费,2,10,2026-11-01",   # row 4: nobody of that name
        "1,9999,,物业服务费,abc,-5,2026-11-01",            # row 5: months and amount
        f"1,{r1},{n1},物业费,3,10,2026-12-02"))            # row 6: same line as row 2
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert stored(app) is None
    for row, words in ((3, "未知的费用类型"), (4, "不存在的人"), (5, "欠费月数"), (6, "第 2 行")):
        assert f'<td data-label="行">{row}</td>' in page, row
        assert words in page, words
    assert '<td data-label="行">2</td>' not in page


def test_the_same_month_again_replaces_its_list_until_finance_confirms_the_table(app, client, login_as, csrf, debtors):
    (r1, n1), _second, _third = debtors
    login_as("finance")
    assert post(client, csrf, "2030-01", csv_file(*good_lines(debtors))).status_code == 302
    again = post(client, csrf, "2030-01", csv_file(f"1,{r1},{n1},物业服务费,9,3000,2026-11-05"))
    assert again.status_code == 302
    assert stored(app) == [("property", 9, 3000_00)]  # replaced, not added to
    assert "替换" in client.get(again.location).get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(ArrearsList).where(ArrearsList.month == "2030-01")).all()) == 1
        db.session.add(LongTermCheck(estate_id=1, month="2030-01", confirmed_by=1))
        db.session.commit()
    refused = post(client, csrf, "2030-01", csv_file(*good_lines(debtors)))
    assert refused.status_code == 409 and "已确认" in refused.get_data(as_text=True)
    assert stored(app) == [("property", 9, 3000_00)]


@pytest.mark.parametrize("month", ["", "2026-13", "11/2026", "<b>"])
def test_a_bad_month_is_refused_with_a_message(app, client, login_as, csrf, debtors, month):
    login_as("finance")
    response = post(client, csrf, month, csv_file(*good_lines(debtors)))
    assert response.status_code == 422 and "请选择清单所属月份" in response.get_data(as_text=True)


@pytest.mark.parametrize("who, status", [("officer", 403), ("frontdesk", 403), ("team", 403), ("finance", 200),
                                         ("supervisor", 200), ("manager", 200)])
def test_who_sees_and_imports_the_lists(client, login_as, who, status):
    login_as(who)
    assert client.get("/fees/lists").status_code == status


def test_a_units_page_shows_its_arrears_history_to_its_officer(app, client, login_as, csrf, debtors):
    (r1, n1), _second, _third = debtors
    login_as("finance")
    post(client, csrf, "2026-10", csv_file(f"1,{r1},{n1},物业服务费,7,2800,2026-10-01"))
    post(client, csrf, "2030-01", csv_file(*good_lines(debtors)))
    with app.app_context():
        unit_id = db.session.scalar(select(Unit.id).join(Unit.building).where(Building.code == "1", Unit.room == r1))
    login_as("officer")
    page = client.get(f"/estate/units/{unit_id}").get_data(as_text=True)
    assert "欠费记录" in page
    assert page.index("2030-01") < page.index("2026-10")  # newest month first
    assert "3,768.50" in page and "2,800.00" in page
    login_as("frontdesk")
    assert "欠费记录" not in client.get(f"/estate/units/{unit_id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Arrear.id).where(Arrear.unit_id == unit_id)) is not None

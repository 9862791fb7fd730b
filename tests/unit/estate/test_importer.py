"""Importing buildings, units and households from CSV / XLSX: all or nothing, every bad row reported,
re-import without duplicates; through the page and the command line."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from webapp.estate import importer, spreadsheet
from webapp.estate.models import Building, Estate, Household, Unit
from webapp.extensions import db

HEADER = ["楼栋", "楼层", "房号", "面积", "业户姓名", "身份", "电话", "备用电话", "入住日期", "备注"]
GOOD_ROWS = [
    ["9", "3", "301", "88.5", "钱多多", "业主", "138 0013 8000", "", "2024-03-01", ""],
    ["9", "3", "301", "", "孙租", "租户", "13900139000", "021-58881234", "2024/3/1", "租期一年"],
    ["9栋", "5", "502", "", "", "", "", "", "", ""],  # the unit only
    ["1", "12", "1203", "", "新住户", "tenant", "13700137000", "", "", ""],  # an existing unit
]


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count(m.id))) for m in (Building, Unit, Household))


def upload(client, csrf, data: bytes, filename: str, token: bool = True):
    """POST the file as a browser would (encoded in memory: the test client would spool big bodies to
    a temporary file it never closes)."""
    fields = {"file": FileStorage(io.BytesIO(data), filename=filename, content_type="application/octet-stream")}
    if token:
        fields["csrf_token"] = csrf()
    boundary, body = encode_multipart(fields)
    return client.post("/estate/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def desk(client, login_as):
    login_as("frontdesk")
    return client


def demo_estate() -> Estate:
    return db.session.scalar(select(Estate).where(Estate.code == "JXHY"))


# --- through the page --------------------------------------------------------------------------------


def test_good_csv_is_imported(app, desk, csrf):
    with app.app_context():
        before = counts()
    response = upload(desk, csrf, csv_bytes(GOOD_ROWS), "业户.csv")
    assert response.status_code == 302
    message = desk.get(response.headers["Location"]).get_data(as_text=True)
    assert "已导入 4 行：新建楼栋 1 栋、房屋 2 套、业户 3 位；更新业户 0 位，0 位无变化。" in message
    with app.app_context():
        assert counts() == (before[0] + 1, before[1] + 2, before[2] + 3)
        building = db.session.scalar(select(Building).where(Building.code == "9"))
        assert (building.name, building.floors, building.area_id) == ("9栋", 5, None)
        rooms = {u.room: u for u in building.units}
        assert rooms["301"].floor_area_m2 == 88.5 and rooms["301"].occupancy == "occupied"
        assert rooms["502"].households == [] and rooms["502"].occupancy == "vacant"
        owner, tenant = rooms["301"].households
        assert (owner.name, owner.relation, owner.phone, owner.move_in_date) == ("钱多多", "owner", "13800138000", date(2024, 3, 1))
        assert (tenant.relation, tenant.phone2, tenant.move_in_date, tenant.note) == ("tenant", "021-58881234", date(2024, 3, 1), "租期一年")


def test_reimport_creates_no_duplicates(app, desk, csrf):
    data = csv_bytes(GOOD_ROWS)
    assert upload(desk, csrf, data, "a.csv").status_code == 302
    with app.app_context():
        after_first = counts()
    response = upload(desk, csrf, data, "a.csv")
    assert response.status_code == 302
    assert "新建楼栋 0 栋、房屋 0 套、业户 0 位；更新业户 0 位，3 位无变化" in desk.get("/estate/import").get_data(as_text=True)
    with app.app_context():
        assert counts() == after_first


def test_reimport_updates_changed_contacts_and_keeps_what_is_left_empty(app, desk, csrf):
    upload(desk, csrf, csv_bytes(GOOD_ROWS), "a.csv")
    changed = [["9", "3", "301", "", "孙租", "", "13900139001", "", "", ""]]
    assert upload(desk, csrf, csv_bytes(changed), "b.csv").status_code == 302
    with app.app_context():
        tenant = db.session.scalar(select(Household).where(Household.name == "孙租"))
        assert (tenant.phone, tenant.phone2, tenant.relation, tenant.note) == ("13900139001", "021-58881234", "tenant", "租期一年")


def test_good_xlsx_is_imported(app, desk, csrf):
    rows = [
        [9, 3, 301, 88.5, "钱多多", "业主", 13800138000, None, datetime(2024, 3, 1), None],
        ["9", 4, "402", None, "周全", "owner", "021 5888 1234", None, 45352, "Excel 日期序号"],
    ]
    response = upload(desk, csrf, xlsx_bytes(rows), "estate.xlsx")
    assert response.status_code == 302
    with app.app_context():
        first = db.session.scalar(select(Household).where(Household.name == "钱多多"))
        second = db.session.scalar(select(Household).where(Household.name == "周全"))
        assert (first.unit.room, first.phone, first.move_in_date) == ("301", "13800138000", date(2024, 3, 1))
        assert (second.unit.floor, second.phone, second.move_in_date) == (4, "021-58881234", date(2024, 3, 1))
    assert upload(desk, csrf, xlsx_bytes(rows), "estate.xlsx").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Household.id)).where(Household.name.in_(["钱多多", "周全"]))) == 2


def test_bad_rows_import_nothing_and_are_all_listed(app, desk, csrf):
    rows = [
        ["9", "3", "301", "", "好人", "业主", "13800138000", "", "", ""],  # row 2: fine
        ["9", "三", "302", "", "甲", "业主", "13800138001", "", "", ""],  # row 3: floor not a number
        ["9", "3", "303", "", "乙", "业主", "13800138002", "", "", ""],  # row 4: fine
        ["9", "3", "304", "", "丙", "房东", "12345", "", "2024-13-01", ""],  # row 5: relation, phone, date
    ]
    with app.app_context():
        before = counts()
    response = upload(desk, csrf, csv_bytes(rows), "bad.csv")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "未导入任何数据：有 2 行存在问题。" in body
    listed = re.findall(r'data-label="行">(\d+)</td><td data-label="列">([^<]+)</td>', body)
    assert listed == [("3", "楼层"), ("5", "身份"), ("5", "电话"), ("5", "入住日期")]
    assert "楼层须为整数" in body and "无法识别身份“房东”" in body and "11 位手机号" in body and "该日期不存在" in body
    with app.app_context():
        assert counts() == before


def test_bad_rows_in_english(desk, csrf):
    desk.get("/estate/import?lang=en")
    rows = [["9", "3", "301", "", "甲", "landlord", "", "", "", ""]]
    body = upload(desk, csrf, csv_bytes(rows), "bad.csv").get_data(as_text=True)
    assert "Nothing was imported: 1 rows have problems." in body and "Unknown relation “landlord”" in body


def test_gb18030_csv_from_excel(app, desk, csrf):
    data = csv_bytes(GOOD_ROWS, encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert upload(desk, csrf, data, "excel.csv").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Household).where(Household.name == "钱多多")).unit.building.name == "9栋"


@pytest.mark.parametrize("filename,data,status,message", [
    ("estate.pdf", b"%PDF-1.4 ...", 415, "只能导入 CSV 或 XLSX 文件"),
    ("estate.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, 415, "另存为"),
    ("estate.xlsx", b"not a zip file at all", 415, "不是有效的 XLSX 工作簿"),
    ("estate.xlsx", b"PK\x03\x04 a damaged zip", 415, "不是有效的 XLSX 工作簿"),
    ("estate.csv", b"PK\x03\x04rest-of-a-zip", 415, "这是 Excel 工作簿"),
    ("estate.csv", b"", 422, "文件是空的"),
    ("estate.csv", "名字,电话\n张三,13800138000\n".encode(), 422, "表头缺少以下列：楼栋、楼层、房号"),
    ("estate.csv", "楼栋,楼层,房号\n".encode(), 422, "没有可导入的数据行"),
])
def test_unusable_files_are_refused_clearly(app, desk, csrf, filename, data, status, message):
    with app.app_context():
        before = counts()
    response = upload(desk, csrf, data, filename)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert counts() == before


def test_too_large_file_is_refused(desk, csrf):
    row = "9,3,301,,某某,业主,13800138000,,,".encode() + b"x" * 200 + b"\r\n"
    data = csv_bytes([]) + row * (spreadsheet.MAX_BYTES // len(row) + 1)
    response = upload(desk, csrf, data, "big.csv")
    assert response.status_code == 413 and "文件超过 2 MB" in response.get_data(as_text=True)


def test_no_file_chosen(desk, csrf):
    response = desk.post("/estate/import", data={"csrf_token": csrf()})
    assert response.status_code == 400 and "请选择要导入的 CSV 或 XLSX 文件" in response.get_data(as_text=True)


def test_import_needs_csrf(app, desk):
    with app.app_context():
        before = counts()
    response = upload(desk, None, csv_bytes(GOOD_ROWS), "a.csv", token=False)
    assert response.status_code == 400
    with app.app_context():
        assert counts() == before


@pytest.mark.parametrize("role,status", [
    ("frontdesk", 200), ("manager", 200), ("admin", 200), ("supervisor", 403), ("officer", 403), ("team", 403),
])
def test_who_may_import(client, login_as, role, status):
    login_as(role)
    assert client.get("/estate/import").status_code == status
    assert client.get("/estate/import/template.csv").status_code == status


def test_template_downloads_and_imports(app, desk, csrf):
    response = desk.get("/estate/import/template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.data
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(importer.TEMPLATE_HEADERS) and len(lines) == 3
    assert upload(desk, csrf, data, "模板.csv").status_code == 302


# --- the importer alone (no upload) ---------------------------------------------------------------------


def test_english_headers_in_any_order(rq):
    header = ["phone", "room", "Building", "name", "floor", "relation", "序号"]
    data = csv_bytes([["13800138000", "701", "9", "Li Lei", "7", "owner", "1"]], header=header, encoding="utf-8")
    result = importer.import_estate(demo_estate(), "en.csv", data)
    assert not result.errors and result.summary.households_created == 1
    assert result.summary.ignored_columns == ["序号"] and "未使用的列：序号" in result.summary.message()
    assert db.session.scalar(select(Household).where(Household.name == "Li Lei")).unit.floor == 7


def test_cross_row_and_estate_checks(rq):
    rows = [
        ["1", "12", "1203", "", "甲", "", "", "", "", ""],  # row 2
        ["1", "12", "1203", "", "甲", "", "", "", "", ""],  # row 3: same household as row 2
        ["1", "21", "2101", "", "乙", "", "", "", "", ""],  # row 4: 1栋 has 20 floors
        ["1", "11", "1204", "", "丙", "", "", "", "", ""],  # row 5: 1204 is on floor 12
        ["9", "3", "301", "", "", "", "", "", "", ""],  # row 6
        ["9", "4", "301", "", "丁", "", "", "", "", ""],  # row 7: row 6 put 301 on floor 3
        ["9", "3", "305", "", "", "", "13800138000", "", "", ""],  # row 8: a phone without a name
    ]
    before = counts()
    result = importer.import_estate(demo_estate(), "x.csv", csv_bytes(rows))
    assert result.summary is None and result.bad_rows == 5
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "业户姓名", "与第 2 行的业户重复。"),
        (4, "楼层", "1栋 共 20 层，不存在 21 层。"),
        (5, "楼层", "1栋 1204 位于 12 层，不是 11 层。"),
        (7, "楼层", "第 6 行中该房号位于 3 层，楼层不一致。"),
        (8, "业户姓名", "请填写这些联系方式所属业户的姓名。"),
    ]
    assert counts() == before


def test_row_limit(rq):
    rows = [["9", "1", f"1{n:02d}", "", "", "", "", "", "", ""] for n in range(6)]
    with pytest.raises(spreadsheet.ImportRejected) as caught:
        importer.import_estate(demo_estate(), "x.csv", csv_bytes(rows), max_rows=5)
    assert caught.value.status == 413 and "超过 5 行" in caught.value.message


def test_rows_are_numbered_as_excel_shows_them(rq):
    data = xlsx_bytes([["9", "1", "101"], [None, None, None], ["9", "x", "102"]], header=["楼栋", "楼层", "房号"])
    result = importer.import_estate(demo_estate(), "x.xlsx", data)
    assert [(e.row, e.column) for e in result.errors] == [(4, "楼层")]


def test_semicolon_and_tab_separated_csv(rq):
    for sep in (";", "\t"):
        data = sep.join(["楼栋", "楼层", "房号"]).encode() + b"\n" + sep.join(["9", "2", "201"]).encode()
        result = importer.import_estate(demo_estate(), "x.csv", data)
        assert not result.errors and result.summary.rows == 1


# --- command line ------------------------------------------------------------------------------------


def test_cli_import(app, runner, tmp_path):
    path = tmp_path / "estate.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS))
    result = runner.invoke(args=["import-estate", str(path), "--estate", "JXHY"])
    assert result.exit_code == 0, result.output
    assert "新建楼栋 1 栋、房屋 2 套、业户 3 位" in result.output
    again = runner.invoke(args=["import-estate", str(path), "--estate", "JXHY", "--lang", "en"])
    assert again.exit_code == 0 and "0 households created" in again.output and "3 unchanged" in again.output


def test_cli_reports_bad_rows_and_unknown_estates(app, runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([["9", "x", "301", "", "", "", "", "", "", ""]]))
    result = runner.invoke(args=["import-estate", str(path), "--estate", "JXHY"])
    assert result.exit_code != 0 and "2\t楼层\t楼层须为整数" in result.output and "未导入任何数据" in result.output
    unknown = runner.invoke(args=["import-estate", str(path), "--estate", "NOPE"])
    assert unknown.exit_code != 0 and "没有编号为 NOPE 的项目" in unknown.output
    with app.app_context():
        assert db.session.scalar(select(Building).where(Building.code == "9")) is None

"""Import finance's arrears list of a month from a CSV or XLSX file (R-FEE-1): one row per unit or
household and fee type.

All or nothing, as the household import: every row is checked first; a file with any bad row imports
nothing and every bad row is reported with its number as Excel shows it (the header is row 1), in the
user's language. A month imported again REPLACES that month's list — finance sends a corrected list,
and the summary says whose list it replaced — unless finance has already confirmed that month's
long-term table (R-FEE-3): then it is refused (409) and the confirmed table stays as checked.
"""

from __future__ import annotations

import io
import re
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from sync.store import utcnow

from ..estate.public import (
    Building,
    Estate,
    ImportRejected,
    RowError,
    Unit,
    check_size,
    map_header,
    parse_building,
    parse_cells,
    parse_name,
    parse_room,
    read_rows,
)
from ..extensions import db
from ..kernel.parsers import Invalid, parse_date, text
from .models import Arrear, ArrearsList, FeeType, LongTermCheck
from .rules import month_end, month_start

MAX_ROWS = 20_000
MAX_MONTHS = 600
MAX_FEN = 10**11  # ¥1,000,000,000.00
COLUMNS = {
    "building": ("楼栋", "楼栋号", "楼号", "栋", "楼宇", "building"),
    "room": ("房号", "房间号", "室号", "门牌号", "铺位号", "room"),
    "name": ("业户姓名", "姓名", "业主姓名", "客户名称", "业户", "name"),
    "fee_type": ("费用类型", "收费项目", "费用项目", "欠费项目", "fee_type"),
    "months": ("欠费月数", "欠费月份数", "月数", "months_owed", "months"),
    "amount": ("欠费金额", "金额", "欠款金额", "amount"),
    "as_of": ("截至日期", "截止日期", "统计日期", "as_of"),
}
REQUIRED = ("building", "room", "fee_type", "months", "amount", "as_of")
FEE_WORDS = {
    FeeType.PROPERTY: ("物业服务费", "物业费", "物业管理费", "管理费", "property"),
    FeeType.UTILITIES: ("水电费", "水费", "电费", "水电", "utilities"),
    FeeType.OTHER: ("其他", "其他费用", "其他收费", "停车费", "代收费", "other"),
}
FEE_ALIASES = {word: fee for fee, words in FEE_WORDS.items() for word in words}
TEMPLATE = ("楼栋,房号,业户姓名,费用类型,欠费月数,欠费金额,截至日期\r\n"
            "1,1203,张三,物业服务费,8,\"3,456.00\",2026-11-01\r\n"
            "1,1203,张三,水电费,2,312.50,2026-11-01\r\n")


@dataclass
class Row:
    number: int
    building_code: str
    room: str
    name: str | None
    fee_type: str
    months: int
    amount_fen: int
    as_of: date
    unit_id: int = 0
    household_id: int | None = None
    area_id: int | None = None


@dataclass
class Result:
    errors: list[RowError] = field(default_factory=list)
    message: str = ""

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


def parse_month(value: str | None) -> str:
    raw = text(value)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", raw):
        raise ImportRejected(422, _("Choose the month of the list, e.g. 2026-11."))
    return raw


def parse_fee_type(value) -> str:
    word = text(value).lower()
    if not word:
        raise Invalid(_("Enter the fee type."))
    if word not in FEE_ALIASES:
        raise Invalid(_("Unknown fee type “%(word)s”: use 物业服务费, 水电费 or 其他.", word=text(value)))
    return FEE_ALIASES[word].value


def parse_months(value) -> int:
    raw = re.sub(r"(个月|月)$", "", text(value))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_MONTHS:
        raise Invalid(_("The months owed must be a whole number from 1 to %(max)d.", max=MAX_MONTHS))
    return int(raw)


def parse_amount(value) -> int:
    """Yuan as written (¥3,456.50, 3456.5 元) → fen."""
    raw = re.sub(r"^[¥￥]|元$", "", text(value).replace(",", "")).strip()
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise Invalid(_("The amount must be a number of yuan, e.g. 3456.50.")) from None
    fen = amount * 100
    if fen != fen.to_integral_value() or not 0 < fen < MAX_FEN:
        raise Invalid(_("The amount must be more than 0, in yuan with at most two decimals."))
    return int(fen)


def parse_as_of(value) -> date:
    found = parse_date(value)
    if found is None:
        raise Invalid(_("Enter the date the arrears were counted to."))
    return found


PARSERS = (("building", parse_building), ("room", parse_room), ("name", lambda v: parse_name(v, required=False)),
           ("fee_type", parse_fee_type), ("months", parse_months), ("amount", parse_amount), ("as_of", parse_as_of))


def check_row(number: int, cells: list, columns: dict, labels: dict) -> tuple[Row | None, list[RowError]]:
    values, errors = parse_cells(number, cells, PARSERS, columns, labels, COLUMNS)
    if errors:
        return None, errors
    code, _name = values.pop("building")
    return Row(number, code, values["room"], values["name"], values["fee_type"], values["months"],
               values["amount"], values["as_of"]), []


def check_file(estate: Estate, filename: str, data: bytes, month: str) -> tuple[list[Row], list[RowError]]:
    with closing(read_rows(filename, data)) as rows_in:
        header = next(((n, cells) for n, cells in rows_in if any(text(c) for c in cells)), None)
        if header is None:
            raise ImportRejected(422, _("The file is empty."))
        columns, labels, _ignored = map_header(header[1], COLUMNS, REQUIRED)
        rows, errors = [], []
        for number, cells in rows_in:
            if not any(text(c) for c in cells):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                raise ImportRejected(413, _("The file has more than %(max)d rows. Split it into smaller files.", max=MAX_ROWS))
            row, row_errors = check_row(number, cells, columns, labels)
            errors += row_errors
            rows += [row] if row else []
    if not rows and not errors:
        raise ImportRejected(422, _("The file has a header but no rows to import."))
    errors += check_against_estate(estate, rows, labels, month)
    return rows, sorted(errors, key=lambda e: e.row)


def check_against_estate(estate: Estate, rows: list[Row], labels: dict, month: str) -> list[RowError]:
    """Each row's unit and household exist in the estate, no line twice, no date after the month."""
    def label(name: str) -> str:
        return labels.get(name, COLUMNS[name][0])

    units = {(u.building.code.upper(), u.room): u for u in db.session.scalars(
        select(Unit).join(Unit.building).where(Building.estate_id == estate.id))}
    first: dict[tuple, Row] = {}
    errors = []
    last_day = month_end(month_start(month))
    for row in rows:
        unit = units.get((row.building_code, row.room))
        if unit is None:
            errors.append(RowError(row.number, label("room"), _(
                "There is no room %(room)s in building %(building)s of this estate.", room=row.room, building=row.building_code)))
            continue
        row.unit_id, row.area_id = unit.id, unit.building.area_id
        if row.name:
            member = next((h for h in unit.households if h.name == row.name), None)
            if member is None:
                errors.append(RowError(row.number, label("name"), _(
                    "Nobody named %(name)s lives in %(unit)s.", name=row.name, unit=unit.label)))
                continue
            row.household_id = member.id
        key = (row.unit_id, row.household_id, row.fee_type)
        if key in first:
            errors.append(RowError(row.number, label("fee_type"), _("Same unit, household and fee type as row %(row)d.", row=first[key].number)))
            continue
        first[key] = row
        if row.as_of > last_day:
            errors.append(RowError(row.number, label("as_of"), _("This date is after the month of the list.")))
    return errors


def apply_rows(estate: Estate, month: str, rows: list[Row], filename: str, user_id: int) -> str:
    """Store the month's list (replacing an earlier one of the month); the caller commits."""
    found = db.session.scalar(select(ArrearsList).where(ArrearsList.estate_id == estate.id, ArrearsList.month == month))
    replaced = ""
    if found is None:
        found = ArrearsList(estate_id=estate.id, month=month, imported_by=user_id, filename=filename)
        db.session.add(found)
    else:
        replaced = " " + _("It replaces the list %(who)s imported on %(when)s.", who=found.importer.display_name,
                           when=format_datetime(found.imported_at, "yyyy-MM-dd HH:mm"))
        found.rows.clear()
        found.replaced += 1
        found.imported_by, found.filename, found.imported_at = user_id, filename, utcnow()
    found.rows.extend(Arrear(area_id=r.area_id, unit_id=r.unit_id, household_id=r.household_id, fee_type=r.fee_type,
                             months_owed=r.months, amount_fen=r.amount_fen, as_of=r.as_of) for r in rows)
    db.session.flush()
    total = sum(r.amount_fen for r in rows)
    return _("The arrears list of %(month)s was imported: %(rows)d rows, %(units)d units, ¥%(amount)s in all.",
             month=month, rows=len(rows), units=len({r.unit_id for r in rows}), amount=f"{total / 100:,.2f}") + replaced


def import_list(estate: Estate, month: str, filename: str, data: bytes, user_id: int) -> Result:
    """Check the whole file; if every row is good, store it as the month's list (not committed)."""
    check_size(data, 2 * 1024 * 1024)
    if db.session.scalar(select(LongTermCheck.id).where(LongTermCheck.estate_id == estate.id, LongTermCheck.month == month)):
        raise ImportRejected(409, _("Finance has already confirmed the long-term arrears table of %(month)s; its list can no longer be replaced.", month=month))
    rows, errors = check_file(estate, filename, data, month)
    if errors:
        return Result(errors=errors)
    return Result(message=apply_rows(estate, month, rows, filename, user_id))


def template_file() -> io.BytesIO:
    """The list's template: Chinese headers and two example rows, UTF-8 with BOM so Excel shows Chinese."""
    return io.BytesIO(b"\xef\xbb\xbf" + TEMPLATE.encode("utf-8"))

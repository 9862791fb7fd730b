"""Import buildings, units and households from a CSV or XLSX file: one row per unit or household.

All or nothing: every row is checked first; a file with any bad row changes nothing and every bad
row is reported with its row number as Excel shows it (the header is row 1). A good file is applied
to the session as one unit of work — the caller commits. Re-importing the same file changes nothing
(units are matched by building code and room, households by unit and name).

Used by the upload page and by `flask import-estate`: plain functions over an app context; messages
come in the request's language, or the one set with flask_babel.force_locale (the CLI does).
"""

from __future__ import annotations

import codecs
import csv
import io
from contextlib import closing
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..kernel.forms import parse_whole
from ..kernel.parsers import parse_date, parse_phone, text
from . import parsers
from .models import Building, Estate, Household, Unit
from .rules import update_household
from .spreadsheet import MAX_BYTES, ImportRejected, RowError, check_size, map_header, parse_cells, read_rows

MAX_ROWS = 20_000

# field → accepted headers (compared after folding case, spaces, "*" and bracketed units away)
COLUMNS = {
    "building": ("楼栋", "楼栋号", "楼号", "栋", "楼宇", "building", "building_code"),
    "floor": ("楼层", "层", "所在楼层", "floor"),
    "room": ("房号", "房间号", "室号", "门牌号", "room", "room_no"),
    "floor_area_m2": ("面积", "建筑面积", "房屋面积", "floor_area_m2", "floor_area", "area"),
    "name": ("业户姓名", "姓名", "业主姓名", "住户姓名", "业户", "name"),
    "relation": ("身份", "业户身份", "关系", "relation"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "phone", "mobile"),
    "phone2": ("备用电话", "其他电话", "电话2", "phone2"),
    "move_in_date": ("入住日期", "入住时间", "move_in_date", "move_in"),
    "note": ("备注", "note", "notes"),
}
REQUIRED = ("building", "floor", "room")
TEMPLATE_HEADERS = ("楼栋", "楼层", "房号", "面积", "业户姓名", "身份", "电话", "备用电话", "入住日期", "备注")
TEMPLATE_ROWS = (
    ("1", "12", "1203", "105.2", "张三", "业主", "13800138000", "021-58881234", "2024-03-01", ""),
    ("1", "12", "1203", "", "李四", "租户", "139 0013 9000", "", "2024/3/1", "租期至2026年2月"),
)


@dataclass
class Summary:
    rows: int = 0
    buildings_created: int = 0
    units_created: int = 0
    households_created: int = 0
    households_updated: int = 0
    households_unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    def message(self) -> str:
        text = _(
            "Imported %(rows)d rows: %(buildings)d buildings, %(units)d units and %(created)d households created; "
            "%(updated)d households updated, %(unchanged)d unchanged.",
            rows=self.rows, buildings=self.buildings_created, units=self.units_created,
            created=self.households_created, updated=self.households_updated, unchanged=self.households_unchanged,
        )
        if self.ignored_columns:
            text += " " + _("Columns not used: %(names)s.", names="、".join(self.ignored_columns))
        return text


@dataclass
class Result:
    summary: Summary | None = None
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


@dataclass
class Row:
    number: int
    building_code: str
    building_name: str
    floor: int
    room: str
    floor_area_m2: float | None
    name: str | None
    relation: str | None
    phone: str | None
    phone2: str | None
    move_in_date: object
    note: str | None

    @property
    def unit_key(self) -> tuple[str, str]:
        return self.building_code, self.room


# --- checking ---------------------------------------------------------------------------------------


FIELD_PARSERS = (
    ("building", parsers.parse_building),
    ("floor", parsers.parse_floor),
    ("room", parsers.parse_room),
    ("floor_area_m2", parsers.parse_area),
    ("name", lambda v: parsers.parse_name(v, required=False)),
    ("relation", lambda v: parsers.parse_relation(v, default=None)),
    ("phone", parse_phone),
    ("phone2", parse_phone),
    ("move_in_date", parse_date),
    ("note", parsers.parse_note),
)


def check_row(number: int, cells: list, columns: dict, labels: dict) -> tuple[Row | None, list[RowError]]:
    values, errors = parse_cells(number, cells, FIELD_PARSERS, columns, labels, COLUMNS)
    if errors:
        return None, errors
    if not values["name"] and any(values[k] for k in ("relation", "phone", "phone2", "move_in_date")):
        return None, [RowError(number, labels.get("name", COLUMNS["name"][0]), _("Enter the name of the household member these contacts belong to."))]
    code, building_name = values.pop("building")
    return Row(number=number, building_code=code, building_name=building_name, **values), []


def check_file(estate: Estate, filename: str, data: bytes, max_rows: int = MAX_ROWS) -> tuple[list[Row], list[RowError], list[str]]:
    """Parse and check every row: (rows, errors, ignored columns). Raises ImportRejected for the file as a whole."""
    with closing(read_rows(filename, data)) as rows_in:
        return _check_rows(estate, rows_in, max_rows)


def _check_rows(estate: Estate, rows_in, max_rows: int) -> tuple[list[Row], list[RowError], list[str]]:
    header = next(((n, cells) for n, cells in rows_in if any(text(c) for c in cells)), None)
    if header is None:
        raise ImportRejected(422, _("The file is empty."))
    columns, labels, ignored = map_header(header[1], COLUMNS, REQUIRED)
    rows, errors, count = [], [], 0
    for number, cells in rows_in:
        if not any(text(c) for c in cells):
            continue
        count += 1
        if count > max_rows:
            raise ImportRejected(413, _("The file has more than %(max)d rows. Split it into smaller files.", max=max_rows))
        row, row_errors = check_row(number, cells, columns, labels)
        errors += row_errors
        if row:
            rows.append(row)
    if count == 0:
        raise ImportRejected(422, _("The file has a header but no rows to import."))
    errors += check_together(estate, rows, labels)
    return rows, sorted(errors, key=lambda e: e.row), ignored


def check_together(estate: Estate, rows: list[Row], labels: dict) -> list[RowError]:
    """Rules across rows and against the estate: duplicates, one floor per room, floors within the building."""
    def label(name: str) -> str:
        return labels.get(name, COLUMNS[name][0])

    existing = _existing_units(estate)
    buildings = {b.code.upper(): b for b in estate.buildings}
    first_unit: dict[tuple[str, str], Row] = {}
    first_member: dict[tuple[str, str, str | None], Row] = {}
    errors = []
    for row in rows:
        key = (*row.unit_key, row.name)
        if key in first_member:
            message = _("Same household as row %(row)d.", row=first_member[key].number) if row.name else _("Same unit as row %(row)d.", row=first_member[key].number)
            errors.append(RowError(row.number, label("name" if row.name else "room"), message))
            continue
        first_member[key] = row
        first = first_unit.setdefault(row.unit_key, row)
        if first.floor != row.floor:
            errors.append(RowError(row.number, label("floor"), _("Row %(row)d puts this room on floor %(floor)d.", row=first.number, floor=first.floor)))
        elif row.floor_area_m2 and first.floor_area_m2 and row.floor_area_m2 != first.floor_area_m2:
            errors.append(RowError(row.number, label("floor_area_m2"), _("Row %(row)d gives this room a different floor area.", row=first.number)))
        building, unit = buildings.get(row.building_code), existing.get(row.unit_key)
        if unit is not None and unit.floor != row.floor:
            errors.append(RowError(row.number, label("floor"), _(
                "Room %(room)s of %(building)s is on floor %(floor)d, not %(given)d.",
                room=row.room, building=building.name, floor=unit.floor, given=row.floor)))
        elif building is not None and row.floor > building.floors:
            errors.append(RowError(row.number, label("floor"), _(
                "%(building)s has %(floors)d floors; floor %(floor)d does not exist.",
                building=building.name, floors=building.floors, floor=row.floor)))
    return errors


def _existing_units(estate: Estate) -> dict[tuple[str, str], Unit]:
    units = db.session.scalars(select(Unit).join(Unit.building).where(Building.estate_id == estate.id))
    return {(u.building.code.upper(), u.room): u for u in units}


# --- applying ---------------------------------------------------------------------------------------


def apply_rows(estate: Estate, rows: list[Row]) -> Summary:
    """Create or update buildings, units and households for checked rows (the caller commits)."""
    summary = Summary(rows=len(rows))
    buildings = {b.code.upper(): b for b in estate.buildings}
    units = _existing_units(estate)
    members = {(h.unit_id, h.name): h for h in db.session.scalars(
        select(Household).join(Household.unit).join(Unit.building).where(Building.estate_id == estate.id))}
    top_floor = {}
    for row in rows:
        top_floor[row.building_code] = max(top_floor.get(row.building_code, 1), row.floor)
    named_units = {row.unit_key for row in rows if row.name}
    next_sort = max((b.sort_key for b in buildings.values()), default=0) + 1
    for row in rows:
        building = buildings.get(row.building_code)
        if building is None:
            number = parse_whole(row.building_code)  # "12" sorts as 12; "𐩀" or a 30-digit code does not
            sort_key = next_sort if number is None else number
            building = Building(code=row.building_code, name=row.building_name, floors=top_floor[row.building_code], sort_key=sort_key)
            estate.buildings.append(building)
            buildings[row.building_code], next_sort = building, max(next_sort, sort_key) + 1
            summary.buildings_created += 1
        unit = units.get(row.unit_key)
        if unit is None:
            unit = Unit(floor=row.floor, room=row.room, floor_area_m2=row.floor_area_m2,
                        occupancy="occupied" if row.unit_key in named_units else "vacant")
            building.units.append(unit)
            units[row.unit_key] = unit
            summary.units_created += 1
        elif row.floor_area_m2 and unit.floor_area_m2 != row.floor_area_m2:
            unit.floor_area_m2 = row.floor_area_m2
        if row.name:
            _apply_member(unit, row, members, summary)
    db.session.flush()
    return summary


def _apply_member(unit: Unit, row: Row, members: dict, summary: Summary) -> None:
    given = {k: getattr(row, k) for k in ("relation", "phone", "phone2", "move_in_date", "note") if getattr(row, k)}
    member = members.get((unit.id, row.name)) if unit.id else None
    if member is None:
        unit.households.append(Household(name=row.name, **{"relation": "owner", **given}))
        summary.households_created += 1
    elif update_household(member, given):  # empty cells keep what is stored
        summary.households_updated += 1
    else:
        summary.households_unchanged += 1


def import_estate(estate: Estate, filename: str, data: bytes, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> Result:
    """Check the whole file; if every row is good, apply it (not committed) and return the summary."""
    check_size(data, max_bytes)
    rows, errors, ignored = check_file(estate, filename, data, max_rows)
    if errors:
        return Result(errors=errors)
    summary = apply_rows(estate, rows)
    summary.ignored_columns = ignored
    return Result(summary=summary)


def template_csv() -> bytes:
    """The import template: Chinese headers and two example rows, UTF-8 with BOM so Excel shows Chinese."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerows(TEMPLATE_ROWS)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def template_csv_file() -> io.BytesIO:
    return io.BytesIO(template_csv())

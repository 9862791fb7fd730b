"""Reading an uploaded spreadsheet: CSV (UTF-8 with or without BOM, UTF-16, GB18030 from Excel in
China) or XLSX (first sheet, read-only); rows numbered as Excel shows them. Refuses what it cannot read
with a status and a message for the user; maps a header row to fields and names a bad row (RowError)."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _

from ..kernel.parsers import Invalid, text

MAX_BYTES = 2 * 1024 * 1024
CLI_MAX_BYTES = 50 * 1024 * 1024  # an administrator at the console may load a whole estate at once
MAX_COLUMNS = 40


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    message: str


class ImportRejected(Exception):
    """The file as a whole cannot be used (type, size, encoding, headers); nothing was stored."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def read_upload(storage, max_bytes: int = MAX_BYTES) -> tuple[str, bytes]:
    """(file name, content) of an uploaded werkzeug FileStorage, refusing a missing or too large file."""
    if storage is None or not storage.filename:
        raise ImportRejected(400, _("Choose a CSV or XLSX file to import."))
    data = storage.stream.read(max_bytes + 1)
    check_size(data, max_bytes)
    return storage.filename, data


def check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise ImportRejected(413, _("The file is larger than %(mb)d MB. Split it into smaller files.", mb=max_bytes // (1024 * 1024)))
    if not data.strip():
        raise ImportRejected(422, _("The file is empty."))


def read_rows(filename: str, data: bytes) -> Iterator[tuple[int, list]]:
    """(row number as Excel shows it, cell values) of the first sheet or the CSV."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in ("xlsx", "xlsm"):
        return _xlsx_rows(data)
    if suffix in ("csv", "txt"):
        if data[:4] == b"PK\x03\x04" or data[:4] == b"\xd0\xcf\x11\xe0":
            raise ImportRejected(415, _("This file is an Excel workbook, not a CSV file: upload it with the ending .xlsx."))
        return _csv_rows(data)
    if suffix in ("xls", "et", "numbers", "ods", "wps"):
        raise ImportRejected(415, _("This spreadsheet format cannot be read. In Excel or WPS choose “Save as” and pick .xlsx or CSV (UTF-8)."))
    raise ImportRejected(415, _("Only CSV and XLSX files can be imported."))


def decode_csv(data: bytes) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM (Excel "Unicode text"), else GB18030 (Excel in China)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected(422, _("The file's text encoding is not recognised. Save it as “CSV UTF-8” and try again."))


def _csv_rows(data: bytes) -> Iterator[tuple[int, list]]:
    try:
        content = decode_csv(data)
    except UnicodeDecodeError:
        raise ImportRejected(422, _("The file's text encoding is not recognised. Save it as “CSV UTF-8” and try again.")) from None
    if "\x00" in content:
        raise ImportRejected(415, _("This is not a text CSV file."))
    first_line = content.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, row[:MAX_COLUMNS]
    except csv.Error as exc:
        raise ImportRejected(422, _("The CSV file is damaged near row %(row)d.", row=reader.line_num)) from exc


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    unreadable = _("This file is not a valid XLSX workbook. Save it again from Excel as .xlsx or CSV.")
    if data[:4] != b"PK\x03\x04":
        raise ImportRejected(415, unreadable)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or foreign file: openpyxl raises many kinds (zip, XML, key errors)
        raise ImportRejected(415, unreadable) from exc
    try:
        number = 0
        for cells in workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS):
            real = [c for c in cells if getattr(c, "row", None)]
            number = real[0].row if real else number + 1
            yield number, [c.value for c in cells]
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:  # a damaged sheet (XML ParseError is a SyntaxError)
        raise ImportRejected(415, unreadable) from exc
    finally:
        workbook.close()


# --- the header row ----------------------------------------------------------------------------------


def header_key(value) -> str:
    cleaned = unicodedata.normalize("NFKC", str(value or "")).strip().lower().lstrip("\ufeff")
    cleaned = re.sub(r"[\(\[【].*?[\)\]】]", "", cleaned)
    return re.sub(r"[\s*:：]", "", cleaned)


def map_header(cells: list, known: dict, required: tuple) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """(field → column index, field → header as written, headers not used) for the fields `known`
    (field → accepted headers, the first one shown when it is missing); other imports pass theirs."""
    aliases = {header_key(a): n for n, names in known.items() for a in names}
    columns, labels, ignored = {}, {}, []
    for index, cell in enumerate(cells):
        written = text(cell)
        name = aliases.get(header_key(cell))
        if name is None:
            if written:
                ignored.append(written)
            continue
        if name in columns:
            raise ImportRejected(422, _("The column “%(name)s” appears twice in the header.", name=written))
        columns[name], labels[name] = index, written
    missing = [known[name][0] for name in required if name not in columns]
    if missing:
        raise ImportRejected(422, _(
            "The header row needs the columns %(names)s. Download the template to see the expected columns.",
            names="、".join(missing),
        ))
    return columns, labels, ignored


def parse_cells(number: int, cells: list, parsers, columns: dict, labels: dict, known: dict) -> tuple[dict, list[RowError]]:
    """A row's values by field, each through its parser ((field, parse) pairs), and a RowError per bad cell
    named by its header as written (else the field's first accepted header)."""
    values, errors = {}, []
    for name, parse in parsers:
        index = columns.get(name)
        cell = cells[index] if index is not None and index < len(cells) else None
        try:
            values[name] = parse(cell)
        except Invalid as exc:
            errors.append(RowError(number, labels.get(name, known[name][0]), exc.message))
    return values, errors

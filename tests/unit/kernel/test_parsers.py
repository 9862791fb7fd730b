"""What people type → clean values or Invalid (webapp/kernel/parsers.py): phones and dates in the forms
a spreadsheet or a person writes them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from webapp.kernel.parsers import Invalid, parse_date, parse_phone


@pytest.mark.parametrize("raw,clean", [
    ("13816620101", "13816620101"), ("138 1662 0101", "13816620101"), ("138-1662-0101", "13816620101"),
    ("+86 138 1662 0101", "13816620101"), (13816620101.0, "13816620101"), ("021-58881234", "021-58881234"),
    ("(021) 5888 1234", "021-58881234"), ("0755-8888888", "0755-8888888"), ("075588888888", "0755-88888888"),
    ("", None), (None, None),
])
def test_phone_forms(rq, raw, clean):
    assert parse_phone(raw) == clean


@pytest.mark.parametrize("raw", ["12345", "1381662010", "23816620101", "138166201011", "phone", "58881234"])
def test_bad_phones(rq, raw):
    with pytest.raises(Invalid):
        parse_phone(raw)


@pytest.mark.parametrize("raw,clean", [
    ("2024-03-01", date(2024, 3, 1)), ("2024/3/1", date(2024, 3, 1)), ("2024.3.1", date(2024, 3, 1)),
    ("2024年3月1日", date(2024, 3, 1)), ("20240301", date(2024, 3, 1)), ("2024-03-01 00:00:00", date(2024, 3, 1)),
    (datetime(2024, 3, 1, 8, 0), date(2024, 3, 1)), (45352, date(2024, 3, 1)), ("", None),
])
def test_date_forms(rq, raw, clean):
    assert parse_date(raw) == clean


@pytest.mark.parametrize("raw", ["2024-02-30", "01/03/2024", "明年", "1800-01-01"])
def test_bad_dates(rq, raw):
    with pytest.raises(Invalid):
        parse_date(raw)

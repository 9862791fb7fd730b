"""Parsers of what a person typed (or a spreadsheet cell): the clean value, or `Invalid`.

Messages are in the user's language (translated when raised: call them during a request, or under
flask_babel.force_locale as the CLI does). Domain-specific parsers (rooms, floors, relations…) live in
the domain and build on these.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from flask_babel import gettext as _


class Invalid(ValueError):
    """A value that cannot be accepted; `message` is already in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def text(value) -> str:
    """A cell or form value as clean text: full-width forms folded (１２０３ → 1203), spaces trimmed,
    whole floats from spreadsheets without their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


PHONE_SEPARATORS = re.compile(r"[\s\-—–()]")


def parse_phone(value) -> str | None:
    """A mainland mobile (11 digits starting with 1) or a landline with its area code; spaces and dashes
    allowed. Mobiles are kept as 11 digits, landlines as "021-58881234"."""
    raw = text(value)
    if not raw:
        return None
    digits = PHONE_SEPARATORS.sub("", raw)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    if not digits.isdigit():
        raise Invalid(_("A phone number may contain only digits, spaces and dashes."))
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return digits
    if re.fullmatch(r"0\d{9,11}", digits):
        code_length = 3 if digits[1] in "12" else 4
        area_code, number = digits[:code_length], digits[code_length:]
        if 7 <= len(number) <= 8:
            return f"{area_code}-{number}"
    raise Invalid(_("Enter an 11-digit mobile number starting with 1, or a landline with its area code (e.g. 021-58881234)."))


DATE_PATTERN = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value) -> date | None:
    """YYYY-MM-DD, also 2024/3/1, 2024.3.1, 2024年3月1日, 20240301 and Excel date cells or serial numbers."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 80000:
        return EXCEL_EPOCH + timedelta(days=int(value))
    raw = text(value)
    if not raw:
        return None
    if match := DATE_PATTERN.fullmatch(raw):
        parts = match.groups()
    elif re.fullmatch(r"\d{8}", raw):
        parts = (raw[:4], raw[4:6], raw[6:])
    else:
        raise Invalid(_("Enter the date as YYYY-MM-DD, e.g. 2024-03-01."))
    try:
        found = date(*(int(p) for p in parts))
    except ValueError:
        raise Invalid(_("This date does not exist.")) from None
    if not 1900 <= found.year <= 2100:
        raise Invalid(_("Enter the date as YYYY-MM-DD, e.g. 2024-03-01."))
    return found

"""Field parsers shared by the household form and the importer.

Each takes what a person typed (or a spreadsheet cell) and returns the clean value, or raises
`Invalid` with a message in the user's language (translated when raised: call them during a request,
or under flask_babel.force_locale as the CLI does).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

RELATION_LABELS = {"owner": _l("Owner"), "tenant": _l("Tenant")}
RELATION_WORDS = {"业主": "owner", "owner": "owner", "产权人": "owner", "租户": "tenant", "租客": "tenant", "tenant": "tenant"}
MAX_FLOOR = 200


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


def parse_name(value, required: bool = True) -> str | None:
    name = text(value)
    if not name:
        if required:
            raise Invalid(_("Enter the name."))
        return None
    if len(name) > 64:
        raise Invalid(_("The name is too long (at most 64 characters)."))
    return name


def parse_relation(value, default: str | None = "owner") -> str | None:
    word = text(value).lower()
    if not word:
        return default
    if word not in RELATION_WORDS:
        raise Invalid(_("Unknown relation “%(word)s”: use 业主 (owner) or 租户 (tenant).", word=text(value)))
    return RELATION_WORDS[word]


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


def parse_floor(value) -> int:
    raw = re.sub(r"(层|楼|F|f)$", "", text(value))
    if not raw:
        raise Invalid(_("Enter the floor."))
    try:
        floor = int(raw)
    except ValueError:
        raise Invalid(_("The floor must be a whole number, e.g. 12.")) from None
    if not 1 <= floor <= MAX_FLOOR:
        raise Invalid(_("The floor must be between 1 and %(top)d.", top=MAX_FLOOR))
    return floor


def parse_room(value) -> str:
    room = re.sub(r"(室|号)$", "", text(value)).upper()
    if not room:
        raise Invalid(_("Enter the room number."))
    if len(room) > 16 or not re.fullmatch(r"[0-9A-Z][0-9A-Z\-]*", room):
        raise Invalid(_("A room number has letters, digits and dashes only, e.g. 1203."))
    return room


BUILDING_PATTERN = re.compile(r"([0-9A-Za-z\-]{1,16})(栋|幢|号楼|座)?")


def parse_building(value) -> tuple[str, str]:
    """Building code and display name: "3" or "3栋" → ("3", "3栋"); "A座" → ("A", "A座")."""
    raw = text(value).replace(" ", "")
    if not raw:
        raise Invalid(_("Enter the building."))
    match = BUILDING_PATTERN.fullmatch(raw)
    if not match:
        raise Invalid(_("Write the building as its number or code, e.g. 3 or 3栋."))
    code = match.group(1).upper()
    name = raw if match.group(2) else (f"{code}栋" if code.isdigit() else code)
    return code, name


def parse_area(value) -> float | None:
    raw = re.sub(r"(㎡|m2|m²|平方米|平米|平)$", "", text(value), flags=re.IGNORECASE).strip()
    if not raw:
        return None
    try:
        area = float(raw)
    except ValueError:
        raise Invalid(_("The floor area must be a number of square metres, e.g. 105.2.")) from None
    if not 0 < area < 10000:
        raise Invalid(_("The floor area must be more than 0 and less than 10000 m²."))
    return round(area, 2)


def parse_note(value) -> str | None:
    note = text(value)
    if len(note) > 256:
        raise Invalid(_("The note is too long (at most 256 characters)."))
    return note or None


def parse_relation_required(value) -> str:
    relation = parse_relation(value, default=None)
    if relation is None:
        raise Invalid(_("Choose owner or tenant."))
    return relation

"""The estate's field parsers, shared by the household form and the importer: names, relations,
floors, rooms, buildings, floor areas and notes. Text, phones and dates are read by the kernel's
(webapp.kernel.parsers), which these build on.

Each takes what a person typed (or a spreadsheet cell) and returns the clean value, or raises
`Invalid` with a message in the user's language (translated when raised: call them during a request,
or under flask_babel.force_locale as the CLI does).
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..kernel.parsers import Invalid, text

RELATION_LABELS = {"owner": _l("Owner"), "tenant": _l("Tenant")}
RELATION_WORDS = {"业主": "owner", "owner": "owner", "产权人": "owner", "租户": "tenant", "租客": "tenant", "tenant": "tenant"}
MAX_FLOOR = 200


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

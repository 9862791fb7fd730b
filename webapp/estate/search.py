"""Household search: every word of the query must match; scoped like the pages (rules.building_scope)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..kernel.parsers import PHONE_SEPARATORS, text
from .models import Building, Estate, Household, Unit
from .rules import building_scope

SEARCH_LIMIT = 50


@dataclass
class Found:
    query: str
    items: list[Household]
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.items)


BUILDING_ROOM = re.compile(r"([0-9A-Za-z]{1,4})(?:栋|幢|号楼|座|-|#)(\d{1,6}[A-Za-z]?)")
BUILDING_ONLY = re.compile(r"([0-9A-Za-z]{1,4})(?:栋|幢|号楼|座)")


def _digits_in(column, digits: str):
    return func.replace(column, "-", "").contains(digits, autoescape=True)


def _phone_matches(digits: str):
    return or_(_digits_in(Household.phone, digits), _digits_in(Household.phone2, digits))


def token_condition(token: str):
    """What one word of the search matches: building+room ("3栋1203", "3-1203"), a building ("3栋"),
    digits (part of a phone, or the start of a room), otherwise part of a name."""
    if match := BUILDING_ROOM.fullmatch(token):
        code, room = match.groups()
        in_room = and_(func.upper(Building.code) == code.upper(), Unit.room.startswith(room.upper(), autoescape=True))
        if len(code) < 3:  # building codes are short; "021-5888" or "138-1662" is more likely part of a phone
            return in_room
        return or_(in_room, _phone_matches(re.sub(r"\D", "", token)))
    if match := BUILDING_ONLY.fullmatch(token):
        return func.upper(Building.code) == match.group(1).upper()
    digits = PHONE_SEPARATORS.sub("", token).removeprefix("+86")
    if digits.isdigit():
        return or_(_phone_matches(digits), Unit.room.startswith(digits, autoescape=True))
    return or_(func.lower(Household.name).contains(token.lower(), autoescape=True), Building.name == token)


def search_households(user, estate: Estate, query: str, limit: int = SEARCH_LIMIT) -> Found:
    """Households the user may see that match every word of the query; at most `limit`, with the total."""
    tokens = text(query).split()
    if not tokens:
        return Found("", [], 0)
    where = and_(building_scope(user, estate), *(token_condition(t) for t in tokens[:6]))
    joined = select(Household).join(Household.unit).join(Unit.building).where(where)
    total = db.session.scalar(select(func.count()).select_from(joined.subquery()))
    items = db.session.scalars(
        joined.options(contains_eager(Household.unit).contains_eager(Unit.building))
        .order_by(Building.sort_key, Building.code, Unit.floor, Unit.room, Household.id)
        .limit(limit)
    ).all()
    return Found(text(query), list(items), total or 0)

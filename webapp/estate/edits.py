"""Writes of the estate's own settings (项目设置): add to the session, the view commits."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from .models import Estate

SETTINGS = ("name", "kind", "address", "time_zone")


def check_new_estate(data: dict) -> dict[str, list[str]]:
    code = (data.get("code") or "").upper()
    if code and db.session.scalar(select(Estate.id).where(func.upper(Estate.code) == code)):
        return {"code": [_("An estate with the code %(code)s exists already.", code=code)]}
    return {}


def create_estate(data: dict, creator) -> Estate:
    """The new estate, with its creator among its people (so it is their current estate)."""
    estate = Estate(code=data["code"].upper(), **{name: data.get(name) for name in SETTINGS})
    db.session.add(estate)
    creator.estates.append(estate)
    return estate


def update_estate(estate: Estate, data: dict) -> None:
    for name in SETTINGS:
        setattr(estate, name, data.get(name))

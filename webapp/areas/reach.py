"""The areas a user sees (R-AREA-2), for webapp.kernel.scopes: an officer their areas in the approved table;
the desk roles and the work teams every area of their estates; an administrator of no estate every area."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..kernel.roles import Role
from ..kernel.scopes import Reach
from .models import Area
from .rules import officer_area_ids_query


def reach_of(user) -> Reach:
    if user.role == Role.OFFICER:  # one query: the areas of their rows in the approved tables
        rows = db.session.execute(select(Area.id, Area.estate_id).where(Area.id.in_(officer_area_ids_query(user.id))))
    elif user.role == Role.ADMIN and not user.estate_ids:
        rows = db.session.execute(select(Area.id, Area.estate_id))
    else:
        rows = db.session.execute(select(Area.id, Area.estate_id).where(Area.estate_id.in_(user.estate_ids)))
    pairs = rows.all()
    estates = set(user.estate_ids)
    if user.role == Role.ADMIN and not estates:
        estates = {estate_id for _, estate_id in pairs}
    return Reach(frozenset(a for a, _ in pairs), frozenset(estates))

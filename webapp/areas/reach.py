"""The areas a user sees (R-AREA-2), for webapp.kernel.scopes: an officer their areas in the approved table;
the desk roles and the work teams every area of their estates; an administrator of no estate every area."""

from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import select

from ..extensions import db
from ..kernel.roles import Role
from ..kernel.scopes import Reach
from .models import Area
from .rules import officer_area_ids_query


def reach_of(user) -> Reach:
    # Whole areas, not just their ids: the session keeps them, so the page's list of areas
    # (auth.access.areas_visible_to) needs no second query.
    if user.role == Role.OFFICER:  # one query: the areas of their rows in the approved tables
        found = db.session.scalars(select(Area).where(Area.id.in_(officer_area_ids_query(user.id))))
    elif user.role == Role.ADMIN and not user.estate_ids:
        found = db.session.scalars(select(Area))
    else:
        found = db.session.scalars(select(Area).where(Area.estate_id.in_(user.estate_ids)))
    areas = list(found)
    if has_app_context():
        g.setdefault("reached_areas", []).extend(areas)  # held: the session keeps only what is referenced
    pairs = [(a.id, a.estate_id) for a in areas]
    estates = set(user.estate_ids)
    if user.role == Role.ADMIN and not estates:
        estates = {estate_id for _, estate_id in pairs}
    return Reach(frozenset(a for a, _ in pairs), frozenset(estates))

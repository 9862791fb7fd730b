"""Renovation records a user may see: those of their areas, and — for an extra inspector of a
mass-renovation period — the units they are put on today (R-REN-1)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from sync.store import utcnow

from ..auth.public import area_ids_visible_to
from ..extensions import db
from . import queries
from .models import Renovation, Violation


def visible_ids_extra(user) -> set[int]:
    return set(queries.assigned_to(user.id, queries.today(utcnow())))


def can_see(ren: Renovation) -> bool:
    return ren.area_id in area_ids_visible_to(current_user) or ren.id in visible_ids_extra(current_user)


def renovation_or_403(renovation_id: int) -> Renovation:
    ren = db.session.get(Renovation, renovation_id)
    if ren is None:
        abort(404)
    if not can_see(ren):
        abort(403)
    return ren


def violation_or_403(violation_id: str) -> Violation:
    found = db.session.get(Violation, violation_id)
    if found is None:
        abort(404)
    renovation_or_403(found.renovation_id)
    return found

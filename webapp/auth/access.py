"""Who may see what. Every view states its roles; every query is scoped through these helpers."""

from __future__ import annotations

from functools import wraps

from flask import abort, g, session
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from ..extensions import db
from ..kernel.memo import by_id, per_session
from ..kernel.roles import LEADS as ESTATE_WIDE_ROLES
from ..kernel.roles import Role
from ..kernel.scopes import reach_of


def roles_required(*roles: Role):
    """Login required, and the user's role must be one of `roles` (403 otherwise)."""
    allowed = {str(r) for r in roles}

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(allowed)
        return wrapped

    return decorator


def current_estate():
    """The estate the user is working in: chosen in the session, else their first."""
    from ..estate.public import Estate

    if "current_estate" not in g:
        estates = sorted(current_user.estates, key=lambda e: e.id)
        chosen = session.get("estate_id")
        g.current_estate = next((e for e in estates if e.id == chosen), estates[0] if estates else None)
        if g.current_estate is None and current_user.role == Role.ADMIN:
            g.current_estate = db.session.scalar(select(Estate).order_by(Estate.id))
    return g.current_estate


def current_estate_or_403():
    """The current estate, or a 403 that says what to do: on a new store nobody has one yet."""
    estate = current_estate()
    if estate is None:
        no_estate = Forbidden(_("There is no estate yet: create it first (总览 → 创建项目).")
                              if current_user.role == Role.ADMIN else
                              _("You are not in any estate yet. Ask your administrator to add you to one on People."))
        no_estate.patrolbook_message = True
        raise no_estate
    return estate


def area_ids_visible_to(user) -> frozenset[int]:
    """The areas whose records this user may see (webapp.kernel.scopes decides, for pages and sync alike)."""
    return reach_of(user).area_ids


def areas_visible_to(user):
    return list(_areas(area_ids_visible_to(user)))


@per_session
def _areas(ids: frozenset[int]):
    from ..areas.public import Area

    # reach_of loaded these areas into the session already: by_id finds them there
    return sorted(by_id(Area, ids).values(), key=lambda a: (a.estate_id, a.code))


def can_see_area(user, area_id: int) -> bool:
    return area_id in area_ids_visible_to(user)


def require_area(area_id: int):
    """The area, or 404 if it does not exist, or 403 if the user may not see it."""
    from ..areas.public import Area

    area = db.session.get(Area, area_id)
    if area is None:
        abort(404)
    if not can_see_area(current_user, area_id):
        abort(403)
    return area


def require_estate(estate_id: int):
    from ..estate.public import Estate

    estate = db.session.get(Estate, estate_id)
    if estate is None:
        abort(404)
    if not (estate_id in current_user.estate_ids or current_user.role == Role.ADMIN):
        abort(403)
    return estate


def is_estate_wide(user) -> bool:
    return user.role in {str(r) for r in ESTATE_WIDE_ROLES}

"""What the people pages read: the people of an estate, usernames and estates."""

from __future__ import annotations

from sqlalchemy import case, func, or_, select

from ..auth.public import User, user_estates
from ..estate.public import Estate
from ..extensions import db
from ..kernel.roles import Role

STATUSES = ("active", "inactive", "all")
LIMIT = 300


def people_of(estate_id: int, q: str = "", role: str = "", status: str = "active",
              with_unattached: bool = False) -> list[User]:
    """The people of an estate, officers first, matching `q` in name, username or phones; the administrator
    (`with_unattached`) also sees accounts in no estate."""
    members = select(user_estates.c.user_id).where(user_estates.c.estate_id == estate_id)
    scope = User.id.in_(members)
    if with_unattached:
        scope = or_(scope, ~User.id.in_(select(user_estates.c.user_id)))
    by_role = case({role.value: rank for rank, role in enumerate(Role)}, value=User.role, else_=len(Role))
    query = select(User).where(scope).order_by(User.active.desc(), by_role, User.display_name).limit(LIMIT)
    if q:
        query = query.where(or_(*(column.icontains(q, autoescape=True)
                                  for column in (User.display_name, User.username, User.mobile, User.work_phone))))
    if role in set(Role):
        query = query.where(User.role == role)
    if status != "all":
        query = query.where(User.active.is_(status != "inactive"))
    return list(db.session.scalars(query))


def username_taken(username: str) -> bool:
    return db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower())) is not None


def estate_choices(actor) -> list[Estate]:
    """The estates the actor may put people in: their own, or every estate for the administrator."""
    if actor.role == Role.ADMIN:
        return list(db.session.scalars(select(Estate).order_by(Estate.id)))
    return sorted(actor.estates, key=lambda e: e.id)

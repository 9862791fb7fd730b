"""Who may see a person's lobby-card photo (R-AREA-4): it is posted in the lobbies, so anyone who works
in one of that person's estates — not only who uploaded it."""

from __future__ import annotations

from sqlalchemy import select

from ..auth.public import User
from ..extensions import db


def may_read_lobby_photo(user, stored) -> bool:
    owners = db.session.scalars(select(User).where(User.photo_media_id == stored.id)).all()
    return any(owner.estate_ids & user.estate_ids for owner in owners)

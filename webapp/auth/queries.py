"""What other domains read of people by id."""

from __future__ import annotations

from ..extensions import db
from .models import User


def person_name(user_id) -> object:
    """A person's display name where a screen shows a record's fields (EntityWords); the value itself if
    nobody has that id."""
    user = db.session.get(User, user_id) if isinstance(user_id, int) and not isinstance(user_id, bool) else None
    return user.display_name if user else user_id

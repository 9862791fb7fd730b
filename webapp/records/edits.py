"""Writes of the morning review: a reading, a reply (added to the session; the view commits)."""

from __future__ import annotations

from datetime import datetime

from ..extensions import db
from .models import RecordRead, RecordReply


def mark_read(record_id: str, user_id: int, now: datetime) -> None:
    found = db.session.get(RecordRead, (record_id, user_id))
    if found is None:
        db.session.add(RecordRead(record_id=record_id, user_id=user_id, first_read_at=now, last_read_at=now))
    else:
        found.last_read_at = now


def add_reply(record_id: str, author_id: int, text: str, line: str | None, now: datetime) -> RecordReply:
    reply = RecordReply(record_id=record_id, author_id=author_id, text=text.strip(), line=line or None, created_at=now)
    db.session.add(reply)
    return reply

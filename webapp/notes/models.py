"""Quick notes 随手记: jotted by an officer against an area or key location, offline (feeds R-REC-1)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sync.store import SyncedRecord

from ..extensions import db


class QuickNote(SyncedRecord, db.Model):
    __tablename__ = "quick_notes"

    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    key_location_id: Mapped[int | None] = mapped_column(ForeignKey("key_locations.id"))
    text: Mapped[str] = mapped_column(Text)
    photo_ids: Mapped[list] = mapped_column(default=list)

    area = relationship("Area")
    key_location = relationship("KeyLocation")

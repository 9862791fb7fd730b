"""Per-estate policy values and their change log. The catalogue of settings is in catalogue.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sync.store import utcnow

from ..extensions import db


class PolicyValue(db.Model):
    __tablename__ = "policy_values"
    __table_args__ = (UniqueConstraint("estate_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    value = mapped_column(JSON, nullable=False)


class PolicyChange(db.Model):
    """Who changed which setting, when, from what to what."""

    __tablename__ = "policy_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    old_value = mapped_column(JSON)
    new_value = mapped_column(JSON)
    changed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

"""The duty log 值班记录 (R-DUTY-1): entries written at the desk or on a phone (synced, create only). A correction
is a new entry naming the one it corrects (`corrects_id`). The server files each entry in its estate's chain as it
applies it: `seq`, the hash of the entry before (`prev_hash`) and its own (`entry_hash`, chain.py)."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sync.store import SyncedRecord

from ..extensions import db


class Category(enum.StrEnum):
    INCIDENT = "incident"  # 突发事件
    REPAIR = "repair"  # 报修
    COMPLAINT = "complaint"  # 投诉
    VISITOR = "visitor"  # 来访
    SECURITY = "security"  # 安全
    NOTICE = "notice"  # 通知转达
    OTHER = "other"  # 其他

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self])


CATEGORY_LABELS = {
    Category.INCIDENT: _l("Incident"),
    Category.REPAIR: _l("Repair request"),
    Category.COMPLAINT: _l("Complaint"),
    Category.VISITOR: _l("Visitor"),
    Category.SECURITY: _l("Safety and security"),
    Category.NOTICE: _l("Notice passed on"),
    Category.OTHER: _l("Other"),
}


class DutyEntry(SyncedRecord, db.Model):
    __tablename__ = "duty_entries"
    __table_args__ = (UniqueConstraint("estate_id", "seq", name="uq_duty_entries_estate_seq"),
                      Index("ix_duty_entries_estate_occurred", "estate_id", "occurred_at"))

    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"))
    occurred_at: Mapped[datetime]
    category: Mapped[str] = mapped_column(String(16))
    what: Mapped[str] = mapped_column(Text)
    handled_by: Mapped[str] = mapped_column(String(64))
    follow_up: Mapped[str] = mapped_column(Text, default="")
    corrects_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # The chain, set by the server when it applies the entry (never by a device: the schema does not load them).
    seq: Mapped[int | None]
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    entry_hash: Mapped[str | None] = mapped_column(String(64))

    @property
    def category_label(self) -> str:
        try:
            return Category(self.category).label
        except ValueError:
            return self.category


class ChainHead(db.Model):
    """An estate's last chained entry: the row a push locks to append (two pushes never fork the chain), and
    the count that shows an entry cut from the end."""

    __tablename__ = "duty_chain_heads"

    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default="")

    estate = relationship("Estate")

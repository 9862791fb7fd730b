"""The duty log 值班记录 (R-DUTY-1): entries written at the desk or on a phone (synced, create only). A correction
is a new entry naming the one it corrects (`corrects_id`). The server files each entry in its estate's chain as it
applies it: `seq`, the hash of the entry before (`prev_hash`) and its own (`entry_hash`, chain.py)."""

from __future__ import annotations

import enum
from datetime import date, datetime

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


class Shift(db.Model):
    """One turn on the roster 值班安排表 (R-DUTY-2): who is on duty at the desk, from when to when."""

    __tablename__ = "duty_shifts"
    __table_args__ = (Index("ix_duty_shifts_estate_starts", "estate_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_by: Mapped[int | None]

    person = relationship("User", foreign_keys=[user_id])


class Handover(db.Model):
    """A signed handover (R-DUTY-2): the log entries of the shift handed over (by number), the anomalies the
    incoming person found and how they were explained, both people's signatures (each confirmed by their own
    password on the desk's device)."""

    __tablename__ = "duty_handovers"
    __table_args__ = (Index("ix_duty_handovers_estate_signed", "estate_id", "signed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"))
    outgoing_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    incoming_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime]
    first_seq: Mapped[int]  # the shift's entries: first_seq … last_seq (none when first_seq > last_seq)
    last_seq: Mapped[int]
    anomalies: Mapped[str] = mapped_column(Text, default="")
    explanation: Mapped[str] = mapped_column(Text, default="")
    # the unfinished work handed over, as it stood when both signed: [{id, text, important, carried, carry_note}]
    open_work: Mapped[list] = mapped_column(default=list)

    outgoing = relationship("User", foreign_keys=[outgoing_id])
    incoming = relationship("User", foreign_keys=[incoming_id])


class HandoverItem(db.Model):
    """Unfinished work the outgoing person hands over (R-DUTY-2). Open until done; an important one blocks the
    handover unless the supervisor lets it carry over."""

    __tablename__ = "duty_handover_items"
    __table_args__ = (Index("ix_duty_handover_items_estate_done", "estate_id", "done_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"))
    text: Mapped[str] = mapped_column(Text)
    important: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    done_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    carry_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    carry_at: Mapped[datetime | None]
    carry_note: Mapped[str] = mapped_column(Text, default="")

    author = relationship("User", foreign_keys=[created_by])
    carried_by = relationship("User", foreign_keys=[carry_by])


class DailyCheck(db.Model):
    """The deputy supervisor's signature under a day's duty log (R-DUTY-3), with the last entry they read."""

    __tablename__ = "duty_daily_checks"
    __table_args__ = (UniqueConstraint("estate_id", "day", name="uq_duty_daily_checks_estate_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"))
    day: Mapped[date]
    signed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime]
    entries: Mapped[int] = mapped_column(default=0)  # how many entries the day had when signed
    note: Mapped[str] = mapped_column(Text, default="")

    signer = relationship("User")

"""The daily work record: one synced record per officer and local day (id uuid5(officer, day)), every
version of it kept (an amendment never overwrites what the supervisor read), the reads and the replies.

The lines of work (rounds, inspections, visits, notes…) are not copied into the record: each domain tells
them (kernel.hooks.day_items); the record holds what the officer adds to them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sync.store import SyncedRecord, utcnow

from ..extensions import db


class DailyRecord(SyncedRecord, db.Model):
    __tablename__ = "daily_records"
    __table_args__ = (UniqueConstraint("officer_id", "day", name="uq_daily_records_officer_day"),
                      Index("ix_daily_records_area_day", "area_id", "day"))

    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    day: Mapped[date]
    notes: Mapped[str] = mapped_column(Text, default="")  # what the records of the day do not show
    follow_up: Mapped[str] = mapped_column(Text, default="")  # what is still to be followed up
    amend_note: Mapped[str] = mapped_column(Text, default="")  # why the latest amendment was made

    officer = relationship("User", foreign_keys=[officer_id], viewonly=True)
    area = relationship("Area")


class DailyRecordVersion(db.Model):
    """Each version as it was submitted (1: the original, 2…: amendments), written by the sync engine's
    after_apply in the push's own transaction."""

    __tablename__ = "daily_record_versions"
    __table_args__ = (UniqueConstraint("record_id", "version", name="uq_daily_record_versions"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("daily_records.id"), index=True)
    version: Mapped[int]
    notes: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    amend_note: Mapped[str] = mapped_column(Text, default="")
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecordRead(db.Model):
    """Who opened a record when: the supervisor's reading (R-REC-3), the officer's look at the replies."""

    __tablename__ = "daily_record_reads"

    record_id: Mapped[str] = mapped_column(ForeignKey("daily_records.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    first_read_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_read_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecordReply(db.Model):
    """A reply in the record (R-REC-3): to the whole record (line None) or to one line of it (a DayItem key,
    or "notes" / "follow_up"); the officer answers back the same way."""

    __tablename__ = "daily_record_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("daily_records.id"), index=True)
    line: Mapped[str | None] = mapped_column(String(64))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User", foreign_keys=[author_id], viewonly=True)

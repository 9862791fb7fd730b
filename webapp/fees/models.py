"""Arrears lists and chases.

A month's list (ArrearsList) is finance's snapshot: one row (Arrear) per unit or household and fee type,
amounts in fen. Importing a month again replaces that month's rows (finance sends a corrected list; who
imported it and when are kept). A chase (ChaseAttempt) is recorded on the phone and synced, filed under
its area.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sync.store import SyncedRecord, utcnow

from ..extensions import db
from ..kernel.labels import label_of


class FeeType(enum.StrEnum):
    PROPERTY = "property"  # 物业服务费
    UTILITIES = "utilities"  # 水电费
    OTHER = "other"  # 其他费用

    @property
    def label(self) -> str:
        return str(FEE_TYPE_LABELS[self])


FEE_TYPE_LABELS = {FeeType.PROPERTY: _l("Property service fee"), FeeType.UTILITIES: _l("Water and electricity"),
                   FeeType.OTHER: _l("Other charges")}


class ChaseMethod(enum.StrEnum):
    PHONE = "phone"
    VISIT = "visit"
    NOTICE = "notice"  # a notice left at the door

    @property
    def label(self) -> str:
        return str(METHOD_LABELS[self])


METHOD_LABELS = {ChaseMethod.PHONE: _l("Phone call"), ChaseMethod.VISIT: _l("Door-to-door chase"),
                 ChaseMethod.NOTICE: _l("Notice left")}


class ChaseOutcome(enum.StrEnum):
    PROMISED = "promised"
    REFUSED = "refused"
    NOT_REACHED = "not_reached"
    NOBODY_HOME = "nobody_home"
    PAID = "paid"

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self])


OUTCOME_LABELS = {ChaseOutcome.PROMISED: _l("Promised to pay"), ChaseOutcome.REFUSED: _l("Refused"),
                  ChaseOutcome.NOT_REACHED: _l("Not reached"), ChaseOutcome.NOBODY_HOME: _l("Nobody home"),
                  ChaseOutcome.PAID: _l("Paid")}


class ArrearsList(db.Model):
    """Finance's arrears list for one month of one estate (R-FEE-1)."""

    __tablename__ = "fee_arrears_lists"
    __table_args__ = (UniqueConstraint("estate_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # 2026-11
    filename: Mapped[str] = mapped_column(String(255), default="")
    imported_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaced: Mapped[int] = mapped_column(default=0)  # how many times the month was imported again

    rows: Mapped[list[Arrear]] = relationship(back_populates="arrears_list", cascade="all, delete-orphan")
    importer = relationship("User", foreign_keys=[imported_by], viewonly=True)


class Arrear(db.Model):
    """One line of a month's list: what a unit (or one household of it) owes of one fee type."""

    __tablename__ = "fee_arrears"
    __table_args__ = (Index("ix_fee_arrears_list_area", "list_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("fee_arrears_lists.id", ondelete="CASCADE"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    fee_type: Mapped[str] = mapped_column(String(16))
    months_owed: Mapped[int]
    amount_fen: Mapped[int]  # in fen (分): ¥1,234.50 is 123450
    as_of: Mapped[date]

    arrears_list: Mapped[ArrearsList] = relationship(back_populates="rows")
    unit = relationship("Unit")
    household = relationship("Household")
    # the unit's chases, newest first: loaded with the lines (and a time window) by the chase list
    attempts = relationship("ChaseAttempt", primaryjoin="Arrear.unit_id == foreign(ChaseAttempt.unit_id)",
                            viewonly=True, order_by="ChaseAttempt.observed_at.desc()")

    @property
    def fee_type_label(self) -> str:
        return label_of(FeeType, self.fee_type)


class ChaseAttempt(SyncedRecord, db.Model):
    """One chase of a household's arrears (R-FEE-2): how, what came of it, and a note. When it was made is
    the phone's clock at saving (observed_at)."""

    __tablename__ = "fee_chase_attempts"
    __table_args__ = (Index("ix_fee_chase_attempts_area_observed", "area_id", "observed_at"),)

    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"))
    method: Mapped[str] = mapped_column(String(8))
    outcome: Mapped[str] = mapped_column(String(16))
    promised_on: Mapped[date | None]
    promised_yuan: Mapped[int | None]  # a promise is a round sum: "3000 yuan by the month's end"
    receipt_no: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    @property
    def method_label(self) -> str:
        return label_of(ChaseMethod, self.method)

    @property
    def outcome_label(self) -> str:
        return label_of(ChaseOutcome, self.outcome)


class LongTermCheck(db.Model):
    """Finance's confirmation of a month's long-term arrears table (R-FEE-3): who checked it and when."""

    __tablename__ = "fee_long_term_checks"
    __table_args__ = (UniqueConstraint("estate_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"))
    month: Mapped[str] = mapped_column(String(7))
    confirmed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    confirmer = relationship("User", foreign_keys=[confirmed_by], viewonly=True)

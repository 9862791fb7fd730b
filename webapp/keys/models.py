"""Keys held at the desk (R-KEY-1, -2), their loans (synced: lent at the desk PC or on a phone, R-KEY-3) and their
hand-backs to the customer (R-KEY-5: which document was shown, never the whole ID number)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sync.store import SyncedRecord

from ..extensions import db


class KeyKind(enum.StrEnum):
    DEVELOPER = "developer"  # 开发商钥匙: a unit not yet taken over
    CUSTOMER = "customer"  # 客户托管

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {KeyKind.DEVELOPER: _l("Developer's key"), KeyKind.CUSTOMER: _l("Entrusted by the customer")}


class Document(enum.StrEnum):
    """What the customer showed to take a key back (R-KEY-5)."""

    CUSTOMER_CARD = "customer_card"
    ID_CARD = "id_card"
    PASSPORT = "passport"

    @property
    def label(self) -> str:
        return str(DOCUMENT_LABELS[self])


DOCUMENT_LABELS = {Document.CUSTOMER_CARD: _l("Customer card"), Document.ID_CARD: _l("ID card"),
                   Document.PASSPORT: _l("Passport")}


class Key(db.Model):
    __tablename__ = "keys"
    __table_args__ = (Index("ix_keys_estate_unit", "estate_id", "unit_label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"))
    unit_label: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(String(16))
    slot: Mapped[str] = mapped_column(String(16), default="")
    handed_back_at: Mapped[datetime | None]  # no longer held

    @property
    def kind_label(self) -> str:
        return KeyKind(self.kind).label


class KeyLoan(SyncedRecord, db.Model):
    __tablename__ = "key_loans"
    __table_args__ = (Index("ix_key_loans_key_returned", "key_id", "returned_at"),)

    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"))
    key_id: Mapped[int] = mapped_column(ForeignKey("keys.id"))
    count: Mapped[int]
    borrower: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32))
    purpose: Mapped[str] = mapped_column(String(200))
    lent_at: Mapped[datetime]
    expected_return: Mapped[date]
    returned_at: Mapped[datetime | None]
    returned_count: Mapped[int | None]
    received_by: Mapped[int | None]  # the desk person who countersigned the return

    key = relationship("Key")


class HandBack(db.Model):
    """A key given back to the customer or their named collector (R-KEY-5)."""

    __tablename__ = "key_hand_backs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("keys.id"), index=True)
    collector: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(String(16))
    document_last4: Mapped[str] = mapped_column(String(4))
    handed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    handed_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")


class MemoKind(enum.StrEnum):
    LOST = "lost"
    DAMAGED = "damaged"

    @property
    def label(self) -> str:
        return str(MEMO_KIND_LABELS[self])


MEMO_KIND_LABELS = {MemoKind.LOST: _l("Lost"), MemoKind.DAMAGED: _l("Damaged")}


class KeyMemo(db.Model):
    """The key management memo 钥匙管理备忘录 (R-KEY-4): a key lost or damaged, the supervisor told, the lock changed
    or the key recut with the owner's consent, and the result."""

    __tablename__ = "key_memos"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("keys.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    what: Mapped[str] = mapped_column(Text)
    supervisor_told: Mapped[bool] = mapped_column(default=False)
    owner_consent: Mapped[bool] = mapped_column(default=False)
    action: Mapped[str] = mapped_column(Text, default="")  # lock changed, key recut…
    result: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]

    key = relationship("Key")
    author = relationship("User")

    @property
    def kind_label(self) -> str:
        return MemoKind(self.kind).label

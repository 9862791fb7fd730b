"""Renovation 二次装修 (R-REN-1, R-REN-2): the register (server master data, edited at the desk), the
versioned inspection template, inspections captured offline (synced, append-only), the violations they
raise (derived on the server) and the extra inspectors of a mass-renovation period."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sync.store import SyncedRecord, utcnow

from ..extensions import db
from ..kernel.labels import zh_or_en


class Status(enum.StrEnum):
    APPLIED = "applied"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CLOSED = "closed"  # final inspection passed

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.APPLIED: _l("Applied"),
    Status.APPROVED: _l("Approved"),
    Status.IN_PROGRESS: _l("In progress"),
    Status.COMPLETED: _l("Completed"),
    Status.CLOSED: _l("Final inspection passed"),
}


class Renovation(db.Model):
    """One unit's renovation file (R-REN-2): owner, contractor, approved application, papers, status."""

    __tablename__ = "renovations"
    __table_args__ = (Index("ix_renovations_area_status", "area_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    owner_name: Mapped[str] = mapped_column(String(64))
    owner_phone: Mapped[str | None] = mapped_column(String(32))
    contractor: Mapped[str] = mapped_column(String(128))
    foreman: Mapped[str] = mapped_column(String(64))
    foreman_phone: Mapped[str] = mapped_column(String(32))
    crew_size: Mapped[int] = mapped_column(default=1)
    approval_no: Mapped[str | None] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(Text)
    start_date: Mapped[date]
    planned_end: Mapped[date]
    hours_from: Mapped[str] = mapped_column(String(5), default="08:00")
    hours_to: Mapped[str] = mapped_column(String(5), default="18:00")
    paper_ids: Mapped[list] = mapped_column(default=list)  # media uuids: drawings, approval, licence
    status: Mapped[str] = mapped_column(String(16), default=Status.APPLIED)
    key_location_id: Mapped[int | None] = mapped_column(ForeignKey("key_locations.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None]

    unit = relationship("Unit")
    area = relationship("Area")
    estate = relationship("Estate")
    status_changes = relationship("StatusChange", order_by="StatusChange.changed_at", viewonly=True)

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    def move_to(self, status: str, by: int | None, at: datetime | None = None, inspection_id: str | None = None) -> None:
        """Change the status and keep the change in the file (R-REN-2)."""
        if status != self.status:
            self.log_status(self.status, status, by, at, inspection_id)
            self.status = status

    def log_status(self, old: str | None, new: str, by: int | None, at: datetime | None = None,
                   inspection_id: str | None = None) -> None:
        db.session.add(StatusChange(renovation=self, from_status=old, to_status=new, changed_at=at or utcnow(),
                                    changed_by=by, inspection_id=inspection_id))


class InspectionTemplate(db.Model):
    """One version of the daily inspection list (R-REN-1); editing retires it and adds version + 1.
    `items`: [{"code", "label_zh", "label_en"}]."""

    __tablename__ = "renovation_templates"
    __table_args__ = (UniqueConstraint("estate_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    items: Mapped[list] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retired_at: Mapped[datetime | None]

    def label(self, code: str) -> str:
        item = next((i for i in self.items if i["code"] == code), None)
        return zh_or_en(item["label_zh"], item["label_en"]) if item else code


class InspectionKind(enum.StrEnum):
    DAILY = "daily"
    FOLLOW_UP = "follow_up"
    FINAL = "final"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    InspectionKind.DAILY: _l("Daily inspection"),
    InspectionKind.FOLLOW_UP: _l("Follow-up inspection"),
    InspectionKind.FINAL: _l("Final inspection"),
}


class Inspection(SyncedRecord, db.Model):
    """An inspection made on the phone, append-only (R-REN-1). `failed`: item codes found wrong;
    everything else on the template version was fine. A failed item may raise one violation
    (violation_item, violation_text, violation_deadline); a follow-up records a violation's result;
    a final inspection that passes closes the renovation."""

    __tablename__ = "renovation_inspections"
    __table_args__ = (Index("ix_renovation_inspections_ren_observed", "renovation_id", "observed_at"),)

    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    renovation_id: Mapped[int] = mapped_column(ForeignKey("renovations.id"))
    kind: Mapped[str] = mapped_column(String(12), default=InspectionKind.DAILY)
    template_version: Mapped[int | None]
    failed: Mapped[list] = mapped_column(default=list)
    note: Mapped[str | None] = mapped_column(Text)
    photo_ids: Mapped[list] = mapped_column(default=list)
    violation_item: Mapped[str | None] = mapped_column(String(32))
    violation_text: Mapped[str | None] = mapped_column(Text)
    violation_deadline: Mapped[date | None]
    follow_up_of: Mapped[str | None] = mapped_column(String(36))  # a violation id
    follow_up_result: Mapped[str | None] = mapped_column(String(12))  # fixed | not_fixed
    passed: Mapped[bool | None]  # final inspection's verdict

    renovation = relationship("Renovation")
    author = relationship("User", primaryjoin="foreign(Inspection.created_by) == User.id", viewonly=True)

    @property
    def kind_label(self) -> str:
        return InspectionKind(self.kind).label


class Violation(db.Model):
    """A violation raised by an inspection (R-REN-2), id uuid5(inspection); its notice is printed and its
    result recorded by follow-up inspections."""

    __tablename__ = "renovation_violations"
    __table_args__ = (Index("ix_renovation_violations_ren_fixed", "renovation_id", "fixed_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    renovation_id: Mapped[int] = mapped_column(ForeignKey("renovations.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    inspection_id: Mapped[str] = mapped_column(String(36), unique=True)
    item_code: Mapped[str] = mapped_column(String(32))
    item_label: Mapped[str] = mapped_column(String(128))
    description: Mapped[str] = mapped_column(Text)
    photo_ids: Mapped[list] = mapped_column(default=list)
    deadline: Mapped[date]
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    repeat: Mapped[bool] = mapped_column(default=False)  # the same item was violated before on this unit
    fixed_at: Mapped[datetime | None]
    fixed_inspection_id: Mapped[str | None] = mapped_column(String(36))
    last_follow_up_at: Mapped[datetime | None]

    renovation = relationship("Renovation")
    officer = relationship("User", foreign_keys=[officer_id], viewonly=True)


class StatusChange(db.Model):
    """One step of a renovation's life (R-REN-2): who moved it from what to what, and when; a final
    inspection that closes the file names itself."""

    __tablename__ = "renovation_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    renovation_id: Mapped[int] = mapped_column(ForeignKey("renovations.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    inspection_id: Mapped[str | None] = mapped_column(String(36))

    renovation = relationship("Renovation")
    author = relationship("User", foreign_keys=[changed_by], viewonly=True)

    @property
    def to_label(self) -> str:
        return Status(self.to_status).label

    @property
    def from_label(self) -> str | None:
        return Status(self.from_status).label if self.from_status else None


class ExtraInspector(db.Model):
    """Mass-renovation period 集中装修期 (R-REN-1): the supervisor puts someone else on a unit for a date range."""

    __tablename__ = "renovation_extra_inspectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    renovation_id: Mapped[int] = mapped_column(ForeignKey("renovations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    first_day: Mapped[date]
    last_day: Mapped[date]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", foreign_keys=[user_id], viewonly=True)
    renovation = relationship("Renovation")

"""Visits and cases, recorded on phones (synced).

A visit (家访工作记录表 / 电话访问记录表, R-VIS-5) keeps the opinions voiced as a JSON list; the server
derives one case per opinion (deterministic id uuid5(visit, index)). A case's life is its `status`,
moved by synced updates; each move is also a case event (append-only) with its note.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sync.store import SyncedRecord, utcnow

from ..extensions import db
from ..kernel.labels import label_of


class VisitKind(enum.StrEnum):
    HOME = "home"  # 上门家访
    PHONE = "phone"  # 电话访问

    @property
    def label(self) -> str:
        return str(VISIT_KIND_LABELS[self])


VISIT_KIND_LABELS = {VisitKind.HOME: _l("Home visit"), VisitKind.PHONE: _l("Phone visit")}


class CaseType(enum.StrEnum):
    """What a resident raised (R-VIS-5, R-REQ-1); an opinion of a visit has one of these types."""

    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    INQUIRY = "inquiry"
    CHALLENGE = "challenge"
    HELP = "help"
    REPAIR = "repair"
    DISPUTE = "dispute"
    VIOLATION = "violation"

    @property
    def label(self) -> str:
        return str(CASE_TYPE_LABELS[self])


CASE_TYPE_LABELS = {
    CaseType.COMPLAINT: _l("Complaint"),
    CaseType.SUGGESTION: _l("Suggestion"),
    CaseType.INQUIRY: _l("Inquiry"),
    CaseType.CHALLENGE: _l("Challenge"),
    CaseType.HELP: _l("Request for help"),
    CaseType.REPAIR: _l("Repair"),
    CaseType.DISPUTE: _l("Neighbour dispute"),
    CaseType.VIOLATION: _l("Violation"),
}


class CaseStatus(enum.StrEnum):
    RECEIVED = "received"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return str(CASE_STATUS_LABELS[self])


CASE_STATUS_LABELS = {
    CaseStatus.RECEIVED: _l("Received"),
    CaseStatus.ASSIGNED: _l("Assigned"),
    CaseStatus.IN_PROGRESS: _l("Being handled"),
    CaseStatus.RESOLVED: _l("Resolved"),
    CaseStatus.CLOSED: _l("Closed"),
}


class CaseSource(enum.StrEnum):
    VISIT = "visit"
    PHONE_CALL = "phone_call"
    WALK_IN = "walk_in"
    FIELD = "field"

    @property
    def label(self) -> str:
        return str(CASE_SOURCE_LABELS[self])


CASE_SOURCE_LABELS = {
    CaseSource.VISIT: _l("From a visit"),
    CaseSource.PHONE_CALL: _l("Phone call to the front desk"),
    CaseSource.WALK_IN: _l("Walk-in at the front desk"),
    CaseSource.FIELD: _l("Raised in the field"),
}


class Urgency(enum.StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"

    @property
    def label(self) -> str:
        return str(URGENCY_LABELS[self])


URGENCY_LABELS = {Urgency.NORMAL: _l("Normal"), Urgency.URGENT: _l("Urgent")}


SATISFACTION_LABELS = {5: _l("Very satisfied"), 4: _l("Satisfied"), 3: _l("Neutral"), 2: _l("Unsatisfied"),
                       1: _l("Very unsatisfied")}


class Visit(SyncedRecord, db.Model):
    """A home or phone visit to a household (R-VIS-1…5). `nobody_home` records a home visit nobody
    answered: it counts for nothing, and the phone offers a phone visit instead (R-VIS-4)."""

    __tablename__ = "resident_visits"
    __table_args__ = (Index("ix_resident_visits_area_visited", "area_id", "visited_at"),)

    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8), default=VisitKind.HOME)
    visited_at: Mapped[datetime]
    nobody_home: Mapped[bool] = mapped_column(default=False)
    met: Mapped[str] = mapped_column(String(64), default="")
    discussed: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[int | None]  # 1 (very unhappy) … 5 (very satisfied)
    opinions: Mapped[list] = mapped_column(default=list)  # [{type, text, warranty, escalate}]
    photo_ids: Mapped[list] = mapped_column(default=list)
    round_id: Mapped[str | None] = mapped_column(String(36))  # met on a patrol round (R-VIS-3)

    area = relationship("Area")
    household = relationship("Household")

    @property
    def kind_label(self) -> str:
        return label_of(VisitKind, self.kind)

    @property
    def satisfaction_label(self) -> str:
        return str(SATISFACTION_LABELS.get(self.satisfaction, ""))


class Case(SyncedRecord, db.Model):
    """One thing a resident raised, followed to resolution (R-REQ-1)."""

    __tablename__ = "resident_cases"
    __table_args__ = (Index("ix_resident_cases_area_status", "area_id", "status"),)

    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    place: Mapped[str] = mapped_column(String(128), default="")
    type: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    photo_ids: Mapped[list] = mapped_column(default=list)
    urgency: Mapped[str] = mapped_column(String(8), default=Urgency.NORMAL)
    warranty: Mapped[bool] = mapped_column(default=False)  # a repair for the developer's warranty process
    source: Mapped[str] = mapped_column(String(16), default=CaseSource.FIELD)
    visit_id: Mapped[str | None] = mapped_column(String(36), index=True)
    team: Mapped[str | None] = mapped_column(String(16))
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    escalated: Mapped[bool] = mapped_column(default=False)  # "I cannot handle this" (R-VIS-5)
    status: Mapped[str] = mapped_column(String(16), default=CaseStatus.RECEIVED)
    status_note: Mapped[str] = mapped_column(Text, default="")  # said with the latest move: its event's note
    received_on: Mapped[date]
    due_on: Mapped[date]

    area = relationship("Area")
    household = relationship("Household")
    unit = relationship("Unit")
    handler = relationship("User", foreign_keys=[handler_id], viewonly=True)

    @property
    def type_label(self) -> str:
        return label_of(CaseType, self.type)

    @property
    def status_label(self) -> str:
        return label_of(CaseStatus, self.status)

    @property
    def source_label(self) -> str:
        return label_of(CaseSource, self.source)

    @property
    def where(self) -> str:
        """The household's unit, else the unit, else the place named."""
        if self.household is not None:
            return f"{self.household.unit.label} {self.household.name}"
        return self.unit.label if self.unit is not None else self.place


class CaseEvent(SyncedRecord, db.Model):
    """A step of a case's history: the status it moved to (or none, a note only) and the note."""

    __tablename__ = "resident_case_events"

    case_id: Mapped[str] = mapped_column(String(36), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    status: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")

    @property
    def status_label(self) -> str | None:
        return label_of(CaseStatus, self.status) if self.status else None


class CheckResult(enum.StrEnum):
    CONFIRMED = "confirmed"
    NOT_REACHED = "not_reached"
    DISPUTED = "disputed"

    @property
    def label(self) -> str:
        return str(CHECK_RESULT_LABELS[self])


CHECK_RESULT_LABELS = {
    CheckResult.CONFIRMED: _l("Confirmed"),
    CheckResult.NOT_REACHED: _l("Not reached"),
    CheckResult.DISPUTED: _l("Disputed"),
}


class VisitCheck(db.Model):
    """The front desk's re-contact of a sampled visit (R-SUP-2): what the household said. A dispute goes
    to the supervisor. One per visit; a later call replaces the result, keeping who and when."""

    __tablename__ = "resident_visit_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("resident_visits.id"), unique=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # the sample's month, 2026-11
    result: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    checked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    # a dispute the supervisor has looked into (R-SUP-2): when, who, what they found; off their list then
    handled_at: Mapped[datetime | None]
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    visit = relationship("Visit")
    checker = relationship("User", foreign_keys=[checked_by], viewonly=True)
    handler = relationship("User", foreign_keys=[handled_by], viewonly=True)

    @property
    def result_label(self) -> str:
        return label_of(CheckResult, self.result)

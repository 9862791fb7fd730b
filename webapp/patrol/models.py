"""Patrol 日常巡查 (R-PAT-1…6, R-SUP-1): checklist templates (server master data, versioned) and the
records officers make on their phones (synced: rounds, findings, emergencies).

Checklist items are never edited in place: an edit makes a new template version with new item rows,
so a round's `checks` (item ids) always point at the exact items it was done with.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sync.store import SyncedRecord, utcnow

from ..extensions import db
from ..kernel.labels import label_of, zh_or_en
from ..kernel.roles import Team


class Category(enum.StrEnum):
    """What a checklist item is about (R-PAT-2, R-PAT-3)."""

    CLEANING = "cleaning"
    GREENING = "greening"
    BUILDING = "building"
    FACILITIES = "facilities"
    SECURITY = "security"
    WORKS = "works"

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self])


CATEGORY_LABELS = {
    Category.CLEANING: _l("Cleaning"),
    Category.GREENING: _l("Greening"),
    Category.BUILDING: _l("Building facilities"),
    Category.FACILITIES: _l("Other facilities"),
    Category.SECURITY: _l("Access and safety"),
    Category.WORKS: _l("Public works"),
}


class ChecklistTemplate(db.Model):
    """One version of the checklist for a location type (R-PAT-2). The current version has
    `retired_at` None; editing retires it and adds version + 1."""

    __tablename__ = "patrol_templates"
    __table_args__ = (UniqueConstraint("estate_id", "kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # rules.TEMPLATE_KINDS
    version: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retired_at: Mapped[datetime | None]

    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="template", order_by="ChecklistItem.position", cascade="all, delete-orphan"
    )

    @property
    def name(self) -> str:
        return zh_or_en(self.name_zh, self.name_en)

    @property
    def current(self) -> bool:
        return self.retired_at is None


class ChecklistItem(db.Model):
    """One line of a template version; immutable once a round may have used it."""

    __tablename__ = "patrol_template_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("patrol_templates.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(32))  # stable across versions: spot-checks compare by it
    category: Mapped[str] = mapped_column(String(16))
    team: Mapped[str] = mapped_column(String(16))  # default team a defect is routed to (R-PAT-4)
    label_zh: Mapped[str] = mapped_column(String(128))
    label_en: Mapped[str] = mapped_column(String(128))

    template: Mapped[ChecklistTemplate] = relationship(back_populates="items")

    @property
    def label(self) -> str:
        return zh_or_en(self.label_zh, self.label_en)

    @property
    def category_label(self) -> str:
        return label_of(Category, self.category)

    @property
    def team_label(self) -> str:
        return label_of(Team, self.team)

    def snapshot(self) -> dict:
        return {"item_id": self.id, "code": self.code, "category": self.category, "team": self.team,
                "label_zh": self.label_zh, "label_en": self.label_en, "template_id": self.template_id}


class LocationChecklist(db.Model):
    """The checklist a key location — or every key location of a type — is patrolled with, chosen by
    the supervisor (R-PAT-1, R-PAT-2): e.g. a roof is checked with 天面. Exactly one of key_location_id
    and location_kind is set; without a row, rules.KEY_LOCATION_TEMPLATES decides."""

    __tablename__ = "patrol_location_checklists"
    __table_args__ = (UniqueConstraint("estate_id", "key_location_id", name="uq_patrol_location_checklists_location"),
                      UniqueConstraint("estate_id", "location_kind", name="uq_patrol_location_checklists_kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"), index=True)
    key_location_id: Mapped[int | None] = mapped_column(ForeignKey("key_locations.id"))
    location_kind: Mapped[str | None] = mapped_column(String(24))  # areas.models.KeyLocationKind
    template_kind: Mapped[str] = mapped_column(String(24))  # ChecklistTemplate.kind (any version)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RoundKind(enum.StrEnum):
    KEY = "key"  # one key location, daily (R-PAT-1)
    FULL = "full"  # the whole area, weekly (R-PAT-1)


class Purpose(enum.StrEnum):
    PATROL = "patrol"  # the officer's own round
    SPOT_CHECK = "spot_check"  # a supervisor's onsite check (R-SUP-1)


class StartMethod(enum.StrEnum):
    QR = "qr"  # the location's printed code was scanned
    LIST = "list"  # chosen from the due list
    MANUAL = "manual"  # anything else: marked, since it proves nothing about presence


class PatrolRound(SyncedRecord, db.Model):
    """A round, created on the phone, append-only: a correction is a new round with `corrects_id`.

    `checks`: [{"item_id", "result": "ok"|"defect", "note", "photo_ids", "team", "resident_impact"}].
    `observed_at` (device clock) is when it was finished; `started_at` when it began.
    """

    __tablename__ = "patrol_rounds"
    __table_args__ = (
        Index("ix_patrol_rounds_area_observed", "area_id", "observed_at"),
        Index("ix_patrol_rounds_location_observed", "key_location_id", "observed_at"),
        # The rounds list, newest first across a reader's areas, without sorting a year of rounds
        Index("ix_patrol_rounds_observed", "observed_at"),
    )

    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    key_location_id: Mapped[int | None] = mapped_column(ForeignKey("key_locations.id"))
    kind: Mapped[str] = mapped_column(String(8), default=RoundKind.KEY)
    purpose: Mapped[str] = mapped_column(String(16), default=Purpose.PATROL)
    start_method: Mapped[str] = mapped_column(String(8), default=StartMethod.MANUAL)
    started_at: Mapped[datetime | None]
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    accuracy_m: Mapped[float | None]
    checks: Mapped[list] = mapped_column(default=list)
    verified_finding_ids: Mapped[list] = mapped_column(default=list)
    note: Mapped[str | None] = mapped_column(Text)
    corrects_id: Mapped[str | None] = mapped_column(String(36))

    area = relationship("Area")
    key_location = relationship("KeyLocation")
    author = relationship("User", primaryjoin="foreign(PatrolRound.created_by) == User.id", viewonly=True)

    @property
    def defects(self) -> list[dict]:
        return [c for c in self.checks or () if c.get("result") == "defect"]


class FindingStatus(enum.StrEnum):
    OPEN = "open"
    ASSIGNED = "assigned"
    FIXED = "fixed"
    VERIFIED = "verified"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    FindingStatus.OPEN: _l("Open"),
    FindingStatus.ASSIGNED: _l("Assigned"),
    FindingStatus.FIXED: _l("Fixed"),
    FindingStatus.VERIFIED: _l("Verified"),
}


class Finding(SyncedRecord, db.Model):
    """A defect found on a round, routed to a team (R-PAT-4). Derived on the server from the round
    (deterministic id uuid5(round, item)); its status changes are synced updates with versions."""

    __tablename__ = "patrol_findings"
    __table_args__ = (Index("ix_patrol_findings_area_status", "area_id", "status"),
                      Index("ix_patrol_findings_team_status", "team", "status"),
                      Index("ix_patrol_findings_received", "received_at"))  # the list, newest first

    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    round_id: Mapped[str] = mapped_column(String(36), index=True)
    key_location_id: Mapped[int | None] = mapped_column(ForeignKey("key_locations.id"))
    item: Mapped[dict] = mapped_column(default=dict)  # the checklist item snapshot
    team: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=FindingStatus.OPEN)
    note: Mapped[str] = mapped_column(Text, default="")
    photo_ids: Mapped[list] = mapped_column(default=list)
    resident_impact: Mapped[bool] = mapped_column(default=False)
    residents_note: Mapped[str | None] = mapped_column(Text)
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    fixed_at: Mapped[datetime | None]
    fixed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    fixed_note: Mapped[str | None] = mapped_column(Text)
    fixed_photo_ids: Mapped[list] = mapped_column(default=list)
    verified_at: Mapped[datetime | None]
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_round_id: Mapped[str | None] = mapped_column(String(36))

    area = relationship("Area")
    key_location = relationship("KeyLocation")
    fixer = relationship("User", foreign_keys=[fixed_by], viewonly=True)
    verifier = relationship("User", foreign_keys=[verified_by], viewonly=True)

    @property
    def status_label(self) -> str:
        return FindingStatus(self.status).label

    @property
    def team_label(self) -> str:
        return Team(self.team).label

    @property
    def item_label(self) -> str:
        return zh_or_en(self.item.get("label_zh", ""), self.item.get("label_en", ""))


class EmergencyKind(enum.StrEnum):
    FIRE = "fire"
    WATER = "water"
    LIFT = "lift"
    INJURY = "injury"
    SECURITY = "security"
    GAS = "gas"
    POWER = "power"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(EMERGENCY_LABELS[self])


EMERGENCY_LABELS = {
    EmergencyKind.FIRE: _l("Fire or smoke"),
    EmergencyKind.WATER: _l("Burst pipe or flooding"),
    EmergencyKind.LIFT: _l("Someone trapped in a lift"),
    EmergencyKind.INJURY: _l("Injury or sudden illness"),
    EmergencyKind.SECURITY: _l("Theft, fight or intruder"),
    EmergencyKind.GAS: _l("Gas leak"),
    EmergencyKind.POWER: _l("Power or water cut"),
    EmergencyKind.OTHER: _l("Other emergency"),
}


class Emergency(SyncedRecord, db.Model):
    """An emergency reported from any screen, in any area (R-PAT-5); scope estate:<id>; shown to the
    supervisors until one acknowledges it."""

    __tablename__ = "patrol_emergencies"

    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    key_location_id: Mapped[int | None] = mapped_column(ForeignKey("key_locations.id"))
    kind: Mapped[str] = mapped_column(String(16))
    place: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    photo_ids: Mapped[list] = mapped_column(default=list)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    acknowledged_at: Mapped[datetime | None] = mapped_column(index=True)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ack_note: Mapped[str | None] = mapped_column(Text)

    area = relationship("Area")
    key_location = relationship("KeyLocation")
    reporter = relationship("User", primaryjoin="foreign(Emergency.created_by) == User.id", viewonly=True)
    acknowledger = relationship("User", foreign_keys=[acknowledged_by], viewonly=True)

    @property
    def kind_label(self) -> str:
        return EmergencyKind(self.kind).label

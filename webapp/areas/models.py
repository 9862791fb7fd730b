"""Responsibility areas, their key locations, and the approved assignment table (R-AREA-1…4)."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sync.store import utcnow

from ..extensions import db


class Area(db.Model):
    """A responsibility area 责任区域 (R-AREA-1): a set of buildings and their surroundings."""

    __tablename__ = "areas"
    __table_args__ = (UniqueConstraint("estate_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    buildings: Mapped[list[Building]] = relationship(order_by="Building.sort_key")  # noqa: F821
    key_locations: Mapped[list[KeyLocation]] = relationship(
        back_populates="area", order_by="KeyLocation.id", cascade="all, delete-orphan"
    )

    @property
    def scope_key(self) -> str:
        return f"area:{self.id}"


class KeyLocationKind(enum.StrEnum):
    LOBBY = "lobby"
    RENOVATION_FLOOR = "renovation_floor"
    PUBLIC_WORKS = "public_works"
    LEISURE = "leisure"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(KEY_LOCATION_KIND_LABELS[self])


KEY_LOCATION_KIND_LABELS = {
    KeyLocationKind.LOBBY: _l("Ground-floor lobby"),
    KeyLocationKind.RENOVATION_FLOOR: _l("Floor of a unit under renovation"),
    KeyLocationKind.PUBLIC_WORKS: _l("Public area under repair or construction"),
    KeyLocationKind.LEISURE: _l("Outdoor leisure facility"),
    KeyLocationKind.OTHER: _l("Other key location"),
}


class KeyLocation(db.Model):
    """A key location 重点部位, patrolled daily (R-PAT-1)."""

    __tablename__ = "key_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(128))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"))
    floor: Mapped[int | None]
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]

    area: Mapped[Area] = relationship(back_populates="key_locations")

    @property
    def kind_label(self) -> str:
        return KeyLocationKind(self.kind).label

    def retire(self) -> None:
        self.active = False
        self.retired_at = utcnow()


class TableStatus(enum.StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    APPROVED = "approved"
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return str(TABLE_STATUS_LABELS[self])


TABLE_STATUS_LABELS = {
    TableStatus.DRAFT: _l("Draft"),
    TableStatus.PROPOSED: _l("Awaiting approval"),
    TableStatus.APPROVED: _l("In force"),
    TableStatus.SUPERSEDED: _l("Superseded"),
}


class AssignmentTable(db.Model):
    """A version of the area assignment table 区域管理服务工作分配表 (R-AREA-2).

    Drafted and proposed by the supervisor, approved by the manager; exactly one approved
    version is in force per estate; older ones are kept as history.
    """

    __tablename__ = "assignment_tables"
    __table_args__ = (
        UniqueConstraint("estate_id", "version"),
        # Exactly one approved version in force per estate, and one draft or proposed version at a
        # time (R-AREA-2): kept by webapp.areas.rules and, as a last line, by the database.
        Index("ix_assignment_tables_one_approved", "estate_id", unique=True,
              sqlite_where=text("status = 'approved'"), postgresql_where=text("status = 'approved'")),
        Index("ix_assignment_tables_one_open", "estate_id", unique=True,
              sqlite_where=text("status IN ('draft', 'proposed')"),
              postgresql_where=text("status IN ('draft', 'proposed')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"), index=True)
    version: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=TableStatus.DRAFT)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)

    rows: Mapped[list[AssignmentRow]] = relationship(
        back_populates="table", order_by="AssignmentRow.id", cascade="all, delete-orphan"
    )
    creator: Mapped[User] = relationship(foreign_keys=[created_by])  # noqa: F821
    proposer: Mapped[User | None] = relationship(foreign_keys=[proposed_by])  # noqa: F821
    decider: Mapped[User | None] = relationship(foreign_keys=[decided_by])  # noqa: F821

    @property
    def status_label(self) -> str:
        return TableStatus(self.status).label

    def row_for(self, area_id: int) -> AssignmentRow | None:
        return next((row for row in self.rows if row.area_id == area_id), None)


class AssignmentRow(db.Model):
    """One area's line in an assignment table: officer, scope and the factors it was drawn from."""

    __tablename__ = "assignment_rows"
    __table_args__ = (UniqueConstraint("table_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("assignment_tables.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    scope: Mapped[str | None] = mapped_column(Text)
    household_count: Mapped[int | None]
    floor_area_m2: Mapped[float | None]
    difficulty: Mapped[int | None]  # 1 (easy) … 5 (hard)
    key_locations: Mapped[list] = mapped_column(default=list)  # snapshot: [{"id", "kind", "name"}]

    table: Mapped[AssignmentTable] = relationship(back_populates="rows")
    area: Mapped[Area] = relationship()
    officer: Mapped[User | None] = relationship()  # noqa: F821


class LobbyCardPosting(db.Model):
    """The officer's card on a building's lobby notice board was (re)posted (R-AREA-4)."""

    __tablename__ = "lobby_card_postings"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    posted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    posted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # What the card showed: {"mobile", "work_phone", "photo"}; None for postings recorded before it was kept.
    contacts: Mapped[dict | None]


class AreaChangeKind(enum.StrEnum):
    """Edits to areas, and changes of staff the table cannot see for itself, that make the
    assignment table in force stale (R-AREA-3)."""

    AREA_ADDED = "area_added"
    AREA_RENAMED = "area_renamed"
    BUILDINGS_MOVED = "buildings_moved"
    KEY_LOCATION_ADDED = "key_location_added"
    KEY_LOCATION_CHANGED = "key_location_changed"
    KEY_LOCATION_RETIRED = "key_location_retired"
    # A person became or stopped being an active officer of the estate by a change of role, estates or
    # reactivation (webapp.people); joining as a new account and deactivation are read from the user.
    OFFICER_JOINED = "officer_joined"
    OFFICER_LEFT = "officer_left"

    @property
    def label(self) -> str:
        return str(AREA_CHANGE_LABELS[self])


AREA_CHANGE_LABELS = {
    AreaChangeKind.AREA_ADDED: _l("Area added"),
    AreaChangeKind.AREA_RENAMED: _l("Area renamed"),
    AreaChangeKind.BUILDINGS_MOVED: _l("Buildings moved"),
    AreaChangeKind.KEY_LOCATION_ADDED: _l("Key location added"),
    AreaChangeKind.KEY_LOCATION_CHANGED: _l("Key location changed"),
    AreaChangeKind.KEY_LOCATION_RETIRED: _l("Key location retired"),
    AreaChangeKind.OFFICER_JOINED: _l("New officer"),
    AreaChangeKind.OFFICER_LEFT: _l("Officer left"),
}


class AreaChange(db.Model):
    """A change log of area edits (who, when, what), read by the R-AREA-3 obligation."""

    __tablename__ = "area_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    kind: Mapped[str] = mapped_column(String(24))
    detail: Mapped[str | None] = mapped_column(Text)  # names of what changed (data, not translated)
    changed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def kind_label(self) -> str:
        return AreaChangeKind(self.kind).label

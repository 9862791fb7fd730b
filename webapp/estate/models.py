"""The estate: buildings, floors, units and households."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sync.store import utcnow

from ..extensions import db


class Estate(db.Model):
    __tablename__ = "estates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16), default="residential")  # residential | mall
    address: Mapped[str | None] = mapped_column(String(256))
    # An IANA zone name, e.g. Asia/Shanghai (see rules.TIME_ZONES).
    time_zone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai", server_default="Asia/Shanghai")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    buildings: Mapped[list[Building]] = relationship(
        back_populates="estate", order_by="Building.sort_key", cascade="all, delete-orphan"
    )


class Building(db.Model):
    __tablename__ = "buildings"
    __table_args__ = (UniqueConstraint("estate_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("estates.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))  # "1", "A"
    name: Mapped[str] = mapped_column(String(64))  # "1栋"
    floors: Mapped[int] = mapped_column(default=1)
    sort_key: Mapped[int] = mapped_column(default=0)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)

    estate: Mapped[Estate] = relationship(back_populates="buildings")
    units: Mapped[list[Unit]] = relationship(
        back_populates="building", order_by="(Unit.floor, Unit.room)", cascade="all, delete-orphan"
    )


class Unit(db.Model):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("building_id", "room"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"), index=True)
    floor: Mapped[int]
    room: Mapped[str] = mapped_column(String(16))  # "1203"
    floor_area_m2: Mapped[float | None]
    occupancy: Mapped[str] = mapped_column(String(16), default="occupied")  # occupied | vacant | renovating

    building: Mapped[Building] = relationship(back_populates="units")
    households: Mapped[list[Household]] = relationship(
        back_populates="unit", order_by="Household.id", cascade="all, delete-orphan"
    )

    @property
    def label(self) -> str:
        return f"{self.building.name} {self.room}"


class Household(db.Model):
    """A household member of record for a unit (业户): owner or tenant, with contacts."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    relation: Mapped[str] = mapped_column(String(16), default="owner")  # owner | tenant
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    phone2: Mapped[str | None] = mapped_column(String(32))
    move_in_date: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(String(256))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship(back_populates="households")

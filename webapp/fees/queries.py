"""Database reads for the fee pages: each asks once for all its areas or rows."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..estate.public import Unit
from ..extensions import db
from .models import Arrear, ArrearsList


def lists_of(estate_id: int) -> list[ArrearsList]:
    return list(db.session.scalars(select(ArrearsList).where(ArrearsList.estate_id == estate_id)
                                   .options(joinedload(ArrearsList.importer)).order_by(ArrearsList.month.desc())))


def list_of(estate_id: int, month: str) -> ArrearsList | None:
    return db.session.scalar(select(ArrearsList).where(ArrearsList.estate_id == estate_id, ArrearsList.month == month))


def rows_of(list_id: int, area_ids: Iterable[int]) -> list[Arrear]:
    """A list's rows in the given areas (and those of units in no area yet), by building and room."""
    return list(db.session.scalars(
        select(Arrear).where(Arrear.list_id == list_id, Arrear.area_id.in_(list(area_ids)) | Arrear.area_id.is_(None))
        .options(joinedload(Arrear.unit).joinedload(Unit.building), joinedload(Arrear.household))
        .join(Arrear.unit).order_by(Unit.building_id, Unit.room, Arrear.fee_type)))


def history_of(unit_id: int) -> list[Arrear]:
    """Every month's lines of a unit, newest month first (its arrears history)."""
    return list(db.session.scalars(
        select(Arrear).where(Arrear.unit_id == unit_id).join(Arrear.arrears_list)
        .options(joinedload(Arrear.arrears_list), joinedload(Arrear.household))
        .order_by(ArrearsList.month.desc(), Arrear.household_id, Arrear.fee_type)))

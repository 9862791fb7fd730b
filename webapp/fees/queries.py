"""Database reads for the fee pages: each asks once for all its areas or rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..estate.public import Household, Unit
from ..extensions import db
from ..kernel.memo import per_session
from .models import Arrear, ArrearsList, ChaseAttempt, LongTermCheck


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


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def unit_label(unit_id) -> object:
    """A unit as people know it (3栋 1202) where a screen shows a record's fields; else the value itself."""
    found = db.session.get(Unit, unit_id) if _whole(unit_id) else None
    return found.label if found else unit_id


def household_label(household_id) -> object:
    found = db.session.get(Household, household_id) if _whole(household_id) else None
    return found.name if found else household_id


@per_session  # the chase list and both obligations ask
def latest_list(estate_id: int) -> ArrearsList | None:
    """The estate's newest list."""
    return db.session.scalar(select(ArrearsList).where(ArrearsList.estate_id == estate_id)
                             .order_by(ArrearsList.month.desc()).limit(1))


@per_session  # the chase list, Today's and the overview's obligations ask
def latest_debts(estate_id: int, area_ids, since: datetime) -> list[Arrear]:
    """The lines of the estate's newest list in the areas, with each unit's building, households (their
    phones) and chases since `since`, in one read."""
    newest = select(func.max(ArrearsList.month)).where(ArrearsList.estate_id == estate_id).scalar_subquery()
    return list(db.session.scalars(
        select(Arrear).join(Arrear.arrears_list)
        .where(ArrearsList.estate_id == estate_id, ArrearsList.month == newest, Arrear.area_id.in_(list(area_ids)))
        .options(joinedload(Arrear.unit).joinedload(Unit.building), joinedload(Arrear.unit).joinedload(Unit.households),
                 joinedload(Arrear.household),
                 joinedload(Arrear.attempts.and_(ChaseAttempt.observed_at >= since, ChaseAttempt.deleted_at.is_(None))))
        ).unique())


def attempts_between(area_ids: Iterable[int], since: datetime, until: datetime) -> list[ChaseAttempt]:
    """The areas' chases in [since, until), newest first."""
    return list(db.session.scalars(
        select(ChaseAttempt).where(ChaseAttempt.area_id.in_(list(area_ids)), ChaseAttempt.observed_at >= since,
                                   ChaseAttempt.observed_at < until, ChaseAttempt.deleted_at.is_(None))
        .order_by(ChaseAttempt.observed_at.desc())))


def check_of(estate_id: int, month: str) -> LongTermCheck | None:
    return db.session.scalar(select(LongTermCheck).where(LongTermCheck.estate_id == estate_id,
                                                         LongTermCheck.month == month))


def debts_by_month(estate_id: int, area_ids: Iterable[int], months: int = 12) -> list:
    """(month, area_id, unit_id, household_id, amount_fen, months_owed) of the estate's last `months`
    lists in the areas, one row per debtor and month, in one read."""
    recent = (select(ArrearsList.month).where(ArrearsList.estate_id == estate_id)
              .order_by(ArrearsList.month.desc()).limit(months).scalar_subquery())
    return list(db.session.execute(
        select(ArrearsList.month, Arrear.area_id, Arrear.unit_id, Arrear.household_id,
               func.sum(Arrear.amount_fen).label("amount_fen"), func.max(Arrear.months_owed).label("months_owed"))
        .join(Arrear.arrears_list)
        .where(ArrearsList.estate_id == estate_id, ArrearsList.month.in_(recent), Arrear.area_id.in_(list(area_ids)))
        .group_by(ArrearsList.month, Arrear.area_id, Arrear.unit_id, Arrear.household_id)))

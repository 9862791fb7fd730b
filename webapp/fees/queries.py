"""Database reads for the fee pages: each asks once for all its areas or rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from .models import ArrearsList


def lists_of(estate_id: int) -> list[ArrearsList]:
    return list(db.session.scalars(select(ArrearsList).where(ArrearsList.estate_id == estate_id)
                                   .options(joinedload(ArrearsList.importer)).order_by(ArrearsList.month.desc())))

"""The cabinet's reads: the keys held with their open loans, in one query each."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from .models import Key, KeyLoan


def held_keys(estate_id: int) -> list[Key]:
    return list(db.session.scalars(select(Key).where(Key.estate_id == estate_id, Key.handed_back_at.is_(None))
                                   .order_by(Key.slot, Key.unit_label)))


def open_loans(estate_id: int) -> dict[int, KeyLoan]:
    """key id → its open loan."""
    return {loan.key_id: loan for loan in db.session.scalars(select(KeyLoan).where(
        KeyLoan.estate_id == estate_id, KeyLoan.returned_at.is_(None), KeyLoan.deleted_at.is_(None))
        .options(joinedload(KeyLoan.key)))}

"""Handover 交接班 (R-DUTY-2): what the incoming person is shown (the shift's log and the open work), and the
signing — both people on the one desk device, each confirming with their own password; the person logged in
stays logged in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from sync.store import utcnow

from ..extensions import db
from .models import ChainHead, DutyEntry, Handover, HandoverItem


@dataclass
class Desk:
    """The state of an estate's desk at handover time."""

    last: Handover | None
    entries: list[DutyEntry]
    items: list[HandoverItem]
    first_seq: int
    last_seq: int


def last_handover(estate_id: int) -> Handover | None:
    return db.session.scalar(select(Handover).where(Handover.estate_id == estate_id)
                             .order_by(Handover.signed_at.desc(), Handover.id.desc()).limit(1))


def open_items(estate_id: int) -> list[HandoverItem]:
    return list(db.session.scalars(select(HandoverItem).where(HandoverItem.estate_id == estate_id,
                                                              HandoverItem.done_at.is_(None))
                                   .options(joinedload(HandoverItem.author), joinedload(HandoverItem.carried_by))
                                   .order_by(HandoverItem.important.desc(), HandoverItem.created_at)))


def desk_of(estate_id: int) -> Desk:
    last = last_handover(estate_id)
    head = db.session.get(ChainHead, estate_id)
    first_seq, last_seq = (last.last_seq if last else 0) + 1, head.seq if head else 0
    entries = list(db.session.scalars(select(DutyEntry).where(
        DutyEntry.estate_id == estate_id, DutyEntry.seq >= first_seq, DutyEntry.seq <= last_seq)
        .order_by(DutyEntry.seq)))
    return Desk(last, entries, open_items(estate_id), first_seq, last_seq)


def sign(estate_id: int, desk: Desk, outgoing_id: int, incoming_id: int, anomalies: str, explanation: str) -> Handover:
    """Record the signed handover with the open work as it stands (added to the session: the view commits)."""
    work = [{"id": i.id, "text": i.text, "important": i.important, "carried": i.carry_by is not None,
             "carry_note": i.carry_note} for i in desk.items]
    found = Handover(estate_id=estate_id, outgoing_id=outgoing_id, incoming_id=incoming_id, signed_at=utcnow(),
                     first_seq=desk.first_seq, last_seq=desk.last_seq, anomalies=anomalies, explanation=explanation,
                     open_work=work)
    db.session.add(found)
    return found


def entries_of(handover: Handover) -> list[DutyEntry]:
    return list(db.session.scalars(select(DutyEntry).where(
        DutyEntry.estate_id == handover.estate_id, DutyEntry.seq >= handover.first_seq,
        DutyEntry.seq <= handover.last_seq).order_by(DutyEntry.seq)))

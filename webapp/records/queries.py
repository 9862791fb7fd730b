"""Reading daily work records: a page's reads ask once for all its officers or days, never once per row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..kernel.memo import per_session
from . import rules
from .models import DailyRecord, DailyRecordVersion, RecordRead, RecordReply


def record(record_id: str) -> DailyRecord | None:
    found = db.session.get(DailyRecord, record_id)
    return found if found is not None and found.deleted_at is None else None


def record_of(officer_id: int, day: date) -> DailyRecord | None:
    return record(rules.record_id(officer_id, day))


@dataclass(frozen=True)
class Kept:
    """An officer's record of a day, and the replies by others since the officer last opened it (their badge)."""

    record: DailyRecord
    unseen: int


@per_session
def recent_records(officer_id: int, first: date, last: date) -> dict[date, Kept]:
    """The officer's records from `first` to `last` with their unseen replies, in one read (Today's card, the
    obligations and the list of days ask alike)."""
    seen = (select(RecordRead.last_read_at).where(RecordRead.record_id == RecordReply.record_id,
                                                  RecordRead.user_id == officer_id).scalar_subquery())
    unseen = (select(func.count()).where(RecordReply.record_id == DailyRecord.id, RecordReply.author_id != officer_id,
                                         or_(seen.is_(None), RecordReply.created_at > seen)).scalar_subquery())
    rows = db.session.execute(select(DailyRecord, unseen).where(
        DailyRecord.officer_id == officer_id, DailyRecord.day >= first, DailyRecord.day <= last,
        DailyRecord.deleted_at.is_(None)))
    return {r.day: Kept(r, count) for r, count in rows}


@dataclass(frozen=True)
class Reviewed:
    """An officer's record of the day under review: read by someone else than its officer, its replies."""

    record: DailyRecord
    read: bool
    replies: int


@per_session
def day_review(officer_ids: Iterable[int], day: date) -> dict[int, Reviewed]:
    """{officer id: their record of the day, read or not, its replies counted}, in one read (R-REC-3)."""
    wanted = list(officer_ids)
    if not wanted:
        return {}
    read = (select(RecordRead.record_id).where(RecordRead.record_id == DailyRecord.id,
                                               RecordRead.user_id != DailyRecord.officer_id).exists())
    replies = (select(func.count()).where(RecordReply.record_id == DailyRecord.id).scalar_subquery())
    rows = db.session.execute(select(DailyRecord, read, replies).where(
        DailyRecord.officer_id.in_(wanted), DailyRecord.day == day, DailyRecord.deleted_at.is_(None)))
    return {r.officer_id: Reviewed(r, bool(was_read), count) for r, was_read, count in rows}


def replies_of(record_ids: Iterable[str]) -> dict[str, list[RecordReply]]:
    wanted = list(record_ids)
    found: dict[str, list[RecordReply]] = defaultdict(list)
    if wanted:
        for reply in db.session.scalars(select(RecordReply).where(RecordReply.record_id.in_(wanted))
                                        .order_by(RecordReply.created_at, RecordReply.id)
                                        .options(joinedload(RecordReply.author))):
            found[reply.record_id].append(reply)
    return found


def versions_of(record_id: str) -> list[DailyRecordVersion]:
    return list(db.session.scalars(select(DailyRecordVersion).where(DailyRecordVersion.record_id == record_id)
                                   .order_by(DailyRecordVersion.version)))


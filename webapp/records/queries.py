"""Reading daily work records: a page's reads ask once for all its officers or days, never once per row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from ..extensions import db
from ..kernel.memo import per_session
from . import rules
from .models import DailyRecord, DailyRecordVersion, RecordRead, RecordReply


def record(record_id: str) -> DailyRecord | None:
    found = db.session.get(DailyRecord, record_id)
    return found if found is not None and found.deleted_at is None else None


def record_of(officer_id: int, day: date) -> DailyRecord | None:
    return record(rules.record_id(officer_id, day))


@per_session
def recent_records(officer_id: int, first: date, last: date) -> dict[date, DailyRecord]:
    """The officer's records from `first` to `last` (Today's card and the obligations ask alike)."""
    rows = db.session.scalars(select(DailyRecord).where(
        DailyRecord.officer_id == officer_id, DailyRecord.day >= first, DailyRecord.day <= last,
        DailyRecord.deleted_at.is_(None)))
    return {r.day: r for r in rows}


def unseen_replies(officer_id: int, record_ids: Iterable[str]) -> dict[str, int]:
    """{record id: replies by others since the officer last opened it}, in one read (the badge)."""
    wanted = list(record_ids)
    if not wanted:
        return {}
    seen = aliased(RecordRead)
    rows = db.session.execute(
        select(RecordReply.record_id, func.count()).outerjoin(
            seen, and_(seen.record_id == RecordReply.record_id, seen.user_id == officer_id))
        .where(RecordReply.record_id.in_(wanted), RecordReply.author_id != officer_id,
               or_(seen.last_read_at.is_(None), RecordReply.created_at > seen.last_read_at))
        .group_by(RecordReply.record_id))
    return dict(rows.all())


def records_by_day(officer_id: int, days: Iterable[date]) -> dict[date, DailyRecord]:
    wanted = list(days)
    if not wanted:
        return {}
    rows = db.session.scalars(select(DailyRecord).where(
        DailyRecord.officer_id == officer_id, DailyRecord.day.in_(wanted), DailyRecord.deleted_at.is_(None)))
    return {r.day: r for r in rows}


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


def reads_of(record_ids: Iterable[str], user_ids: Iterable[int] | None = None) -> dict[tuple[str, int], RecordRead]:
    wanted = list(record_ids)
    if not wanted:
        return {}
    query = select(RecordRead).where(RecordRead.record_id.in_(wanted))
    if user_ids is not None:
        query = query.where(RecordRead.user_id.in_(list(user_ids)))
    return {(r.record_id, r.user_id): r for r in db.session.scalars(query)}


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


"""What other domains may use of residents: the day's visits and matters of an officer, for the daily work
record (R-VIS-5: a visit's record is attached to that day's work record, R-REC-1)."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ..estate.public import Household
from ..extensions import db
from ..kernel.dates import day_start_utc
from .models import Case, CaseEvent, Visit


def day_records(user_id: int, day: date, zone: ZoneInfo) -> dict[str, list]:
    """The officer's visits made that local day, the matters they raised that day, and the matters they
    moved on or noted that day (each once), oldest first."""
    start, end = day_start_utc(day, zone), day_start_utc(day + timedelta(days=1), zone)
    visits = list(db.session.scalars(select(Visit).where(
        Visit.created_by == user_id, Visit.visited_at >= start, Visit.visited_at < end).order_by(Visit.visited_at)
        .options(joinedload(Visit.household).joinedload(Household.unit))))
    events = list(db.session.scalars(select(CaseEvent).where(
        CaseEvent.created_by == user_id, CaseEvent.received_at >= start, CaseEvent.received_at < end)
        .order_by(CaseEvent.received_at)))
    visit_ids = [v.id for v in visits]
    touched = {e.case_id for e in events}
    cases = (list(db.session.scalars(select(Case).where(or_(Case.visit_id.in_(visit_ids), Case.id.in_(touched)))
                                    .order_by(Case.received_on, Case.id)
                                    .options(joinedload(Case.household).joinedload(Household.unit),
                                             joinedload(Case.unit))))
             if visit_ids or touched else [])
    return {"visits": visits, "cases": cases, "events": events}


__all__ = ["Case", "CaseEvent", "Visit", "day_records"]

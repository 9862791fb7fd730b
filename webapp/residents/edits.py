"""Database writes of the desk's pages (the view commits). Synced records are written by the sync engine."""

from __future__ import annotations

from sync.store import utcnow

from ..extensions import db
from . import queries
from .models import Visit, VisitCheck


def record_check(estate_id: int, visit: Visit, month: str, result: str, note: str, user_id: int) -> VisitCheck:
    """The desk's result for a sampled visit (R-SUP-2); calling again replaces it, with who and when."""
    check = queries.checks_of([visit.id]).get(visit.id) or VisitCheck(visit_id=visit.id, estate_id=estate_id)
    check.month, check.result, check.note, check.checked_by, check.checked_at = month, result, note, user_id, utcnow()
    check.handled_at, check.handled_by, check.handled_note = None, None, ""  # a new answer: looked into afresh
    db.session.add(check)
    return check


def handle_dispute(check: VisitCheck, note: str, user_id: int) -> VisitCheck:
    """A disputed visit looked into by the supervisor (R-SUP-2): off their list, with what they found."""
    check.handled_at, check.handled_by, check.handled_note = utcnow(), user_id, note
    return check

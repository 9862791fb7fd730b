"""kernel.memo: an answer read once per database session, forgotten as soon as the session writes."""

from __future__ import annotations

from sqlalchemy import select

from webapp.areas.models import Area
from webapp.extensions import db
from webapp.kernel.memo import per_session

asked = []


@per_session
def names(ids) -> dict:
    asked.append(ids)
    return {a.id: a.name for a in db.session.scalars(select(Area).where(Area.id.in_(list(ids))))}


def test_asked_once_whatever_the_order_of_the_ids(rq):
    asked.clear()
    ids = list(db.session.scalars(select(Area.id)))
    first = names(ids)
    assert names(list(reversed(ids))) == first and len(asked) == 1


def test_a_changed_answer_does_not_change_the_remembered_one(rq):
    ids = list(db.session.scalars(select(Area.id)))
    names(ids).clear()
    assert names(ids)


def test_forgotten_once_the_session_writes(rq):
    asked.clear()
    area = db.session.scalars(select(Area)).first()
    before = names([area.id])
    area.name = "改名区"
    db.session.flush()
    assert before[area.id] != "改名区" and names([area.id])[area.id] == "改名区" and len(asked) == 2
    db.session.rollback()
    assert names([area.id]) == before and len(asked) == 3

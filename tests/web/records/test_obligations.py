"""The daily work record's obligations (R-REC-1, R-REC-3): a past working day without a submitted record is
the officer's, until kept; the day before's records not read by the policy's hour are the supervisor's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_login import login_user
from sqlalchemy import select, update

from tests.conftest import DEMO
from tests.web.records.conftest import today
from webapp.auth.public import User
from webapp.estate.public import Estate
from webapp.extensions import db
from webapp.kernel.demo import ZONE
from webapp.policies.rules import change
from webapp.records import rules
from webapp.records.edits import mark_read
from webapp.records.models import DailyRecord
from webapp.records.obligations import missing_record_obligations, unread_record_obligations


def _set(estate_id, key, value):
    change(estate_id, key, value, 1)
    db.session.commit()


def _obligations(app, provider, username):
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == username))
        login_user(user)
        estate = db.session.scalar(select(Estate).where(Estate.id.in_(user.estate_ids)))
        return provider(user, estate, datetime.now(UTC))


def test_each_past_working_day_without_a_record_is_the_officers_until_kept(app, make_user, make_area, phones,
                                                                           record_mutation, ctx):
    officer = make_user("officer")
    area = make_area(officer=officer)
    _set(area.estate_id, "record_working_days", 7)
    db.session.execute(update(User).where(User.id == officer.id).values(created_at=datetime.now(UTC) - timedelta(days=4)))
    db.session.commit()
    days = [today() - timedelta(days=n) for n in (4, 3, 2, 1)]
    assert [o.url for o in _obligations(app, missing_record_obligations, officer.username)] == [
        f"/records/day/{d.isoformat()}" for d in days]
    phones(officer.username, "phone").push(record_mutation(officer.username, day=days[1]))
    found = _obligations(app, missing_record_obligations, officer.username)
    assert [o.url for o in found] == [f"/records/day/{d.isoformat()}" for d in (days[0], days[2], days[3])]
    assert all(o.rule == "R-REC-1" for o in found)
    _set(area.estate_id, "record_working_days", 1)  # Mondays only: the other days rest
    assert all(datetime.fromisoformat(o.url.rsplit("/", 1)[1]).isoweekday() == 1
               for o in _obligations(app, missing_record_obligations, officer.username))


def test_the_day_befores_unread_records_are_the_supervisors_due_by_the_policys_hour(app, client, login_as, phones,
                                                                                  record_mutation, users, ctx):
    supervisor = login_as("supervisor")
    estate_id = db.session.scalar(select(Estate.id).where(Estate.code == "JXHY"))
    _set(estate_id, "record_working_days", 7)
    _set(estate_id, "record_read_by_hour", 9)
    yesterday = today() - timedelta(days=1)
    mine = record_mutation("officer", day=yesterday)
    if db.session.get(DailyRecord, mine["record_id"]) is None:  # the demo keeps one most days
        phones("officer", "phone").push(mine)
    for other in db.session.scalars(select(DailyRecord.id).where(DailyRecord.day == yesterday,
                                                                 DailyRecord.id != mine["record_id"])):
        mark_read(other, supervisor.id, datetime.now(UTC))  # the others read already: one left
    db.session.commit()
    (due,) = _obligations(app, unread_record_obligations, DEMO["supervisor"])
    assert due.rule == "R-REC-3" and due.due == rules.read_due(yesterday, 9, ZONE) and "1" in due.title
    assert due.url == f"/records/review?day={yesterday.isoformat()}"
    assert _obligations(app, unread_record_obligations, DEMO["officer"]) == []
    login_as("officer")
    client.get(f"/records/day/{yesterday.isoformat()}")  # the officer's own look is no reading
    assert len(_obligations(app, unread_record_obligations, DEMO["supervisor"])) == 1
    login_as("supervisor")
    client.get(f"/records/{mine['record_id']}")  # the supervisor reads it
    assert _obligations(app, unread_record_obligations, DEMO["supervisor"]) == []

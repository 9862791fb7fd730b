"""The daily work record through the sync engine (R-REC-1): one record per officer and day whatever phone
submits it, an amendment kept beside the original, refusals that store nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select

from sync.models import Conflict
from tests.web.records.conftest import today
from webapp.extensions import db
from webapp.records.models import DailyRecord, DailyRecordVersion


def versions(record_id):
    return db.session.scalars(select(DailyRecordVersion).where(DailyRecordVersion.record_id == record_id)
                              .order_by(DailyRecordVersion.version)).all()


def test_a_record_submitted_twice_offline_is_applied_once(phones, record_mutation, ctx):
    phone = phones("officer", "phone-a")
    m = record_mutation()
    assert [r["status"] for r in phone.push(m)] == ["applied"]
    assert [r["status"] for r in phone.push(m)] == ["duplicate"]  # the outbox lost the answer and sent it again
    again = {**record_mutation(), "mutation_id": record_mutation()["mutation_id"]}  # the same words, a new send
    assert [r["status"] for r in phones("officer", "phone-b").push(again)] == ["duplicate"]
    assert db.session.scalar(select(func.count()).select_from(DailyRecord).where(DailyRecord.id == m["record_id"])) == 1
    assert [v.version for v in versions(m["record_id"])] == [1]


def test_two_phones_submitting_other_words_for_one_day_make_a_conflict_not_two_records(phones, record_mutation, ctx):
    first = record_mutation(notes="上午开会")
    assert [r["status"] for r in phones("officer", "phone-a").push(first)] == ["applied"]
    second = record_mutation(notes="下午接待业主")
    assert second["record_id"] == first["record_id"]
    assert [r["status"] for r in phones("officer", "phone-b").push(second)] == ["conflict"]
    assert db.session.get(DailyRecord, first["record_id"]).notes == "上午开会"
    assert db.session.scalar(select(func.count()).select_from(Conflict).where(Conflict.record_id == first["record_id"])) == 1


def test_an_amendment_is_a_new_version_with_the_original_kept(phones, record_mutation, ctx):
    phone = phones("officer", "phone-a")
    m = record_mutation(notes="上午开会")
    phone.push(m)
    amend = record_mutation(op="update", base_version=1, notes="上午开会；补：傍晚巡查地库", amend_note="漏记了地库巡查")
    assert [r["status"] for r in phone.push(amend)] == ["applied"]
    stored = db.session.get(DailyRecord, m["record_id"])
    assert (stored.version, stored.notes) == (2, "上午开会；补：傍晚巡查地库")
    assert [(v.version, v.notes, v.amend_note) for v in versions(m["record_id"])] == [
        (1, "上午开会", ""), (2, "上午开会；补：傍晚巡查地库", "漏记了地库巡查")]


def test_an_amendment_without_a_reason_or_moving_the_day_is_refused(phones, record_mutation, ctx):
    phone = phones("officer", "phone-a")
    m = record_mutation()
    phone.push(m)
    silent = record_mutation(op="update", base_version=1, notes="改了")
    (result,) = phone.push(silent)
    assert result["status"] == "rejected" and "amend_note" in result["errors"]
    moved = record_mutation(op="update", base_version=1, amend_note="换一天", day=today() - timedelta(days=1))
    moved["record_id"] = m["record_id"]
    assert phone.push(moved)[0]["status"] == "rejected"
    assert db.session.get(DailyRecord, m["record_id"]).version == 1


def test_a_record_for_someone_else_another_day_id_or_tomorrow_is_refused(phones, record_mutation, ctx):
    theirs = record_mutation("officer2")
    assert phones("officer", "phone-a").push(theirs)[0]["status"] in {"forbidden", "rejected"}
    wrong_id = {**record_mutation(), "record_id": str(uuid.uuid4())}  # a second record of the day
    assert phones("officer", "phone-a").push(wrong_id)[0]["status"] == "rejected"
    tomorrow = record_mutation(day=today() + timedelta(days=1))
    assert phones("officer", "phone-a").push(tomorrow)[0]["status"] == "rejected"
    assert phones("supervisor", "desk").push(record_mutation())[0]["status"] == "forbidden"
    assert db.session.get(DailyRecord, record_mutation()["record_id"]) is None

"""The duty log through the sync engine (R-DUTY-1): entries join the estate's chain in the order the server applies
them, once under replay; nobody, the administrator included, updates or deletes one; only the desk roles write it;
bad input is refused with a clear message and stores nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.web.duty.conftest import entry_mutation
from tests.web.residents.conftest import mutation
from webapp.duty import chain
from webapp.duty.models import ChainHead, DutyEntry
from webapp.extensions import db


def head(estate_id):
    found = db.session.get(ChainHead, estate_id)
    db.session.expire_all()
    return found.seq


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(DutyEntry))


def test_offline_entries_join_the_chain_in_server_order_once_under_replay(phones, estate_id, ctx):
    before = head(estate_id)
    early, late = (datetime.now(UTC) - timedelta(hours=h) for h in (5, 1))
    desk = phones("frontdesk", "desk-pc")
    phone = phones("supervisor", "phone-a")
    first = entry_mutation(estate_id, occurred_at=late.isoformat(), what="后写的先到")
    second = entry_mutation(estate_id, occurred_at=early.isoformat(), what="离线时先写的")
    assert [r["status"] for r in desk.push(first)] == ["applied"]
    assert [r["status"] for r in phone.push(second, first)] == ["applied", "duplicate"]
    assert [r["status"] for r in phone.push(second)] == ["duplicate"]
    stored = {m["record_id"]: db.session.get(DutyEntry, m["record_id"]) for m in (first, second)}
    assert [stored[first["record_id"]].seq, stored[second["record_id"]].seq] == [before + 1, before + 2]
    assert head(estate_id) == before + 2
    assert chain.verify(db.session, estate_id) is None


@pytest.mark.parametrize("who", ["admin", "supervisor", "frontdesk"])
@pytest.mark.parametrize("op", ["update", "delete"])
def test_nobody_updates_or_deletes_an_entry(phones, estate_id, ctx, who, op):
    m = entry_mutation(estate_id)
    phones("frontdesk", "desk-pc").push(m)
    change = mutation("duty_entry", {"what": "改掉"} if op == "update" else {}, op=op, record_id=m["record_id"],
                      base_version=1)
    [result] = phones(who, "phone-b").push(change)
    assert result["status"] == "rejected"
    found = db.session.get(DutyEntry, m["record_id"])
    assert (found.what, found.deleted_at, found.version) == ("3栋大堂灯不亮", None, 1)
    assert chain.verify(db.session, estate_id) is None


@pytest.mark.parametrize("who", ["officer", "team"])
def test_officers_and_work_teams_do_not_write_the_duty_log(phones, estate_id, ctx, who):
    before = count()
    [result] = phones(who, "phone-c").push(entry_mutation(estate_id))
    assert result["status"] == "forbidden"
    assert count() == before


def test_an_estate_the_desk_is_not_in_is_forbidden(phones, make_estate, ctx):
    other = make_estate()
    [result] = phones("frontdesk", "desk-pc").push(entry_mutation(other.id))
    assert result["status"] == "forbidden"
    assert db.session.get(ChainHead, other.id) is None


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"what": "   "}, "what", "请写明发生了什么。"),
    ({"handled_by": ""}, "handled_by", "请写明处理人。"),
    ({"category": "gossip"}, "category", "请选择类别。"),
    ({"seq": 1}, "seq", None),
    ({"entry_hash": "0" * 64}, "entry_hash", None),
])
def test_bad_entries_are_refused_with_a_clear_message_and_nothing_is_stored(phones, estate_id, ctx, change, field,
                                                                            message):
    before, chained = count(), head(estate_id)
    [result] = phones("frontdesk", "desk-pc").push(entry_mutation(estate_id, **change))
    assert result["status"] == "rejected" and field in result["errors"]
    if message:
        assert result["errors"][field] == [message]
    assert (count(), head(estate_id)) == (before, chained)


def test_a_correction_points_at_an_entry_of_its_estate(phones, estate_id, make_estate, ctx):
    desk = phones("frontdesk", "desk-pc")
    wrong = entry_mutation(estate_id)
    desk.push(wrong)
    fix = entry_mutation(estate_id, what="更正：应为4栋", corrects_id=wrong["record_id"])
    assert desk.push(fix)[0]["status"] == "applied"
    assert db.session.get(DutyEntry, fix["record_id"]).corrects_id == wrong["record_id"]
    [unknown] = desk.push(entry_mutation(estate_id, corrects_id="6f1c1a52-0d8e-4f4b-9a57-1b9b6c1f3e21"))
    assert unknown["status"] == "rejected"
    assert unknown["errors"]["corrects_id"] == ["被更正的记录不在本项目的值班记录中。"]

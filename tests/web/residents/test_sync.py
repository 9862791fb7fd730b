"""Visits and cases through the sync engine (R-VIS-3…5, R-REQ-1): a visit's opinions become cases once,
bad input stores nothing, status moves that collide are kept as conflicts."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sync.models import Conflict
from tests.web.residents.conftest import mutation, visit_fields
from webapp.extensions import db
from webapp.residents import rules
from webapp.residents.models import Case, CaseEvent, Visit

TWO = [{"type": "repair", "text": "卫生间天花板渗水", "warranty": True},
       {"type": "dispute", "text": "楼上夜间噪音", "escalate": True}]


def areas_of(place) -> list[int]:  # the test's own areas (the demo has visits of its own)
    return [place["area"], place["other_area"]]


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_visit_with_two_opinions_makes_two_cases_exactly_once_under_replay(phones, place, ctx):
    phone = phones("officer", "phone-a")
    m = mutation("resident_visit", visit_fields(place, TWO))
    assert [r["status"] for r in phone.push(m)] == ["applied"]
    assert [r["status"] for r in phone.push(m)] == ["duplicate"]
    resent = {**m, "mutation_id": mutation("resident_visit", {})["mutation_id"]}  # the outbox lost its answer
    assert [r["status"] for r in phones("officer", "phone-b").push(resent)] == ["duplicate"]
    cases = db.session.scalars(select(Case).where(Case.visit_id == m["record_id"]).order_by(Case.type)).all()
    assert {c.id for c in cases} == {rules.case_id(m["record_id"], 0), rules.case_id(m["record_id"], 1)}
    assert [(c.type, c.warranty, c.escalated, c.status) for c in cases] == [
        ("dispute", False, True, "received"), ("repair", True, False, "received")]
    assert all(c.household_id == place["households"][0] and c.area_id == place["area"] for c in cases)
    assert count(CaseEvent, CaseEvent.case_id.in_([c.id for c in cases])) == 2  # each one's "received"
    repair = next(c for c in cases if c.type == "repair")
    assert (repair.due_on - repair.received_on).days == 7  # the estate's policy for repairs


def test_nobody_home_is_recorded_and_makes_no_case(phones, place, ctx):
    phone = phones("officer", "phone-a")
    m = mutation("resident_visit", visit_fields(place, nobody_home=True, satisfaction=None))
    assert phone.push(m)[0]["status"] == "applied"
    assert db.session.get(Visit, m["record_id"]).nobody_home
    assert count(Case, Case.visit_id == m["record_id"]) == 0


@pytest.mark.parametrize(("change", "field", "message"), [
    (lambda f, p: f.pop("household_id"), "household_id", "请选择业户。"),
    (lambda f, p: f.update(household_id=p["other_household"]), "household_id", "该业户不在本责任区。"),
    (lambda f, p: f.update(opinions=[{"type": "gossip", "text": "闲聊"}]), "opinions", "请选择意见类别。"),
    (lambda f, p: f.update(opinions=[{"type": "complaint", "text": "   "}]), "opinions", "请写明业户反映的内容。"),
    (lambda f, p: f.update(nobody_home=True, kind="phone"), "nobody_home", "家中无人，请改为电话访问。"),
])
def test_bad_visits_are_refused_with_a_clear_message_and_nothing_is_stored(phones, place, ctx, change, field,
                                                                           message):
    phone = phones("officer", "phone-a")
    fields = visit_fields(place, TWO)
    change(fields, place)
    result = phone.push(mutation("resident_visit", fields))[0]
    assert result["status"] == "rejected"
    assert message in str(result["errors"][field])
    assert count(Visit, Visit.area_id.in_(areas_of(place))) == 0 and count(Case, Case.area_id.in_(areas_of(place))) == 0


def test_a_visit_outside_the_officers_areas_is_forbidden(phones, place, ctx):
    phone = phones("officer", "phone-a")
    fields = visit_fields(place, TWO, area_id=place["other_area"], household_id=place["other_household"])
    assert phone.push(mutation("resident_visit", fields))[0]["status"] == "forbidden"
    assert count(Visit, Visit.area_id.in_(areas_of(place))) == 0


def _case(phones, place) -> Case:
    m = mutation("resident_visit", visit_fields(place, TWO[:1]))
    phones("officer", "phone-a").push(m)
    return db.session.get(Case, rules.case_id(m["record_id"], 0))


def test_two_phones_moving_one_case_apart_keep_a_conflict(phones, place, ctx):
    case = _case(phones, place)
    first, second = phones("officer", "phone-a"), phones("supervisor", "desk-b")
    both_saw = case.version  # both phones hold the case as it was received
    moved = first.push(mutation("resident_case", {"status": "in_progress", "status_note": "已联系维修"},
                                op="update", record_id=case.id, base_version=both_saw))[0]
    assert moved["status"] == "applied"
    apart = second.push(mutation("resident_case", {"status": "assigned", "team": "engineering"}, op="update",
                                 record_id=case.id, base_version=both_saw))[0]
    assert apart["status"] == "conflict"
    kept = db.session.scalar(select(Conflict).where(Conflict.record_id == case.id))
    assert kept is not None and kept.device_fields["status"] == "assigned"  # nothing dropped
    inbox = second.client.get(f"/conflicts/{kept.id}")
    assert inbox.status_code == 200 and "业户事项" in inbox.get_data(as_text=True)  # the supervisor's to decide
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "in_progress"
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    assert sorted((e.status, e.note) for e in events) == [("in_progress", "已联系维修"), ("received", "")]


def test_a_move_the_life_cycle_does_not_allow_is_a_conflict(phones, place, ctx):
    case = _case(phones, place)
    phone = phones("officer", "phone-a")
    assert phone.push(mutation("resident_case", {"status": "closed"}, op="update", record_id=case.id,
                               base_version=case.version))[0]["status"] == "conflict"
    assert count(Conflict, Conflict.record_id == case.id) == 1


def test_a_case_is_reopened_and_closed_again_each_step_in_its_history(phones, place, ctx):
    case = _case(phones, place)
    phone = phones("officer", "phone-a")
    version = case.version
    for status in ("in_progress", "resolved", "closed", "in_progress", "resolved", "closed"):
        result = phone.push(mutation("resident_case", {"status": status}, op="update", record_id=case.id,
                                     base_version=version))[0]
        assert result["status"] == "applied", result
        version = result["version"]
    assert count(CaseEvent, CaseEvent.case_id == case.id) == 7


def test_the_front_desk_registers_a_phone_call_as_a_case(phones, place, ctx):
    desk = phones("frontdesk", "desk-1")
    fields = {"area_id": place["area"], "place": "3栋地下车库入口", "type": "complaint", "description": "车库灯坏了",
              "source": "phone_call", "received_on": "2026-12-01", "due_on": "2026-12-04"}
    assert desk.push(mutation("resident_case", fields))[0]["status"] == "applied"
    assert desk.push(mutation("resident_case", {**fields, "source": "field"}))[0]["status"] == "forbidden"


@pytest.mark.parametrize(("change", "field"), [
    ({"description": " "}, "description"), ({"type": "gossip"}, "type"),
    ({"place": "", "household_id": None}, "place"),
])
def test_a_bad_case_is_refused(phones, place, ctx, change, field):
    fields = {"area_id": place["area"], "place": "5栋电梯", "type": "repair", "description": "电梯异响",
              "received_on": "2026-12-01", "due_on": "2026-12-08", **change}
    result = phones("officer", "phone-a").push(mutation("resident_case", fields))[0]
    assert result["status"] == "rejected" and field in result["errors"]
    assert count(Case, Case.area_id.in_(areas_of(place))) == 0


def test_a_case_is_handed_to_a_person_of_its_estate_only(phones, place, ctx, users, make_estate, make_user):
    case = _case(phones, place)
    stranger = make_user("officer", estates=(make_estate().code,))
    phone = phones("officer", "phone-a")
    refused = phone.push(mutation("resident_case", {"status": "assigned", "handler_id": stranger.id}, op="update",
                                  record_id=case.id, base_version=case.version))[0]
    assert refused["status"] == "rejected" and "handler_id" in refused["errors"]
    handed = phone.push(mutation("resident_case", {"status": "assigned", "handler_id": users["officer2"].id},
                                 op="update", record_id=case.id, base_version=case.version))[0]
    assert handed["status"] == "applied"

"""Renovation inspections pushed as a phone would (R-REN-1, R-REN-2): applied, duplicate, forbidden across
areas, rejected; violations, follow-ups and the final inspection; extra inspectors' range; what a phone pulls."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.web.renovation.test_pages import count, set_status
from webapp.auth.models import User
from webapp.extensions import db
from webapp.renovation import rules
from webapp.renovation.models import ExtraInspector, Inspection, Renovation, Violation

ENTITY = "renovation_inspection"


def fields_for(app, ren_id: int, **extra) -> dict:
    with app.app_context():
        ren = db.session.get(Renovation, ren_id)
        values = {"estate_id": ren.estate_id, "area_id": ren.area_id, "renovation_id": ren.id, "kind": "daily",
                  "failed": []}
        db.session.remove()
    values.update(extra)
    return values


def mutation(fields: dict, record_id: str | None = None, observed_at: datetime | None = None) -> dict:
    return {"mutation_id": str(uuid.uuid4()), "entity": ENTITY, "record_id": record_id or str(uuid.uuid4()),
            "op": "create", "base_version": None, "fields": fields,
            "observed_at": (observed_at or datetime.now(UTC)).isoformat()}


# --------------------------------------------------------------------------- inspections through the engine



@pytest.fixture
def mine(users, make_area):
    """A new area of the demo officer (wangxm), with a building of units to renovate."""
    return make_area(officer=users["officer"], buildings=1)


def test_push_applied_then_duplicate_and_the_unit_is_no_longer_due(app, phone, client, mine, make_renovation):
    phone.login("officer")
    ren_id = make_renovation(mine).id
    m = mutation(fields_for(app, ren_id))
    assert phone.push(m)[0]["status"] == "applied"
    assert phone.push(m)[0]["status"] == "duplicate"
    page = client.get("/renovation/").get_data(as_text=True)
    assert f'data-renovation="{ren_id}" data-status="done"' in page


def test_push_across_areas_is_forbidden(app, phone, make_user, make_area, make_renovation):
    theirs = make_renovation(make_area(officer=make_user("officer"), buildings=1))  # another officer's area
    phone.login("officer")
    with app.app_context():
        before = count(Inspection)
    result = phone.push(mutation(fields_for(app, theirs.id)))[0]
    assert result["status"] == "forbidden"
    with app.app_context():
        assert count(Inspection) == before


def test_extra_inspectors_inspections_count(app, phone, rens, client):
    ren_id = rens[("东区", "in_progress")]
    phone.login("officer")
    assert f'data-renovation="{ren_id}" data-status="due"' in client.get("/renovation/").get_data(as_text=True)
    phone.login("officer2")  # 南区, on 东区 units this week
    assert phone.push(mutation(fields_for(app, ren_id)))[0]["status"] == "applied"
    phone.login("officer")  # the unit's own officer sees it done today (R-REN-1)
    assert f'data-renovation="{ren_id}" data-status="done"' in client.get("/renovation/").get_data(as_text=True)


def test_renovation_scopes_are_looked_up_only_for_batches_that_need_them(app, phone, rens, users):
    """An extra inspector's batch mixing a note of their own area and an inspection of the unit they
    help with applies both; a batch of notes alone does not look up renovations at all."""
    from tests.web.sync.test_api import area_id, note_mutation
    from webapp.kernel.scopes import actor_for

    ren_id = rens[("东区", "in_progress")]
    phone.login("officer2")  # 南区, on 东区 units this week
    results = phone.push(note_mutation(area_id(app, "南区")), mutation(fields_for(app, ren_id)))
    assert [r["status"] for r in results] == ["applied", "applied"]
    with app.test_request_context():
        officer2 = db.session.get(User, users["officer2"].id)
        assert f"renovation:{ren_id}" in actor_for(officer2, entities=frozenset({ENTITY, "quick_note"})).write_scopes
        assert f"renovation:{ren_id}" in actor_for(officer2).read_scopes  # a pull reads everything
        notes_only = actor_for(officer2, entities=frozenset({"quick_note"})).write_scopes
        assert not any(scope.startswith("renovation:") for scope in notes_only)
        db.session.remove()


def pulled_renovations(client) -> set[int]:
    changes = client.get("/sync/pull?limit=1000").get_json()["changes"]
    return {c["fields"]["renovation_id"] for c in changes if c["entity"] == ENTITY and c.get("fields")}


def test_a_phone_pulls_only_the_inspections_of_its_renovations(app, phone, client, rens):
    east, west = rens[("东区", "in_progress")], rens[("西区", "in_progress")]
    phone.login("supervisor")
    for ren_id in (east, west):
        assert phone.push(mutation(fields_for(app, ren_id)))[0]["status"] == "applied"
    phone.login("officer")  # 东区 only
    assert east in pulled_renovations(client) and west not in pulled_renovations(client)
    phone.login("officer2")  # 南区, an extra inspector on 东区 units this week (R-REN-1)
    assert east in pulled_renovations(client) and west not in pulled_renovations(client)
    phone.login("supervisor")
    assert {east, west} <= pulled_renovations(client)


def test_extra_inspector_outside_their_range_is_forbidden(app, phone, rens, ctx):
    db.session.execute(ExtraInspector.__table__.update().values(last_day=date.today() - timedelta(days=1)))
    db.session.commit()
    phone.login("officer2")
    assert phone.push(mutation(fields_for(app, rens[("东区", "in_progress")])))[0]["status"] == "forbidden"


@pytest.mark.parametrize("status", [("北区", "applied"), ("北区", "closed")])
def test_inspection_of_a_unit_not_under_renovation_is_rejected(app, phone, rens, status):
    phone.login("supervisor")
    with app.app_context():
        before = count(Inspection)
    result = phone.push(mutation(fields_for(app, rens[status])))[0]
    assert result["status"] == "rejected"
    assert "不在装修中" in json.dumps(result["errors"], ensure_ascii=False)
    with app.app_context():
        assert count(Inspection) == before


def test_violation_without_deadline_is_rejected_and_nothing_stored(app, phone, rens):
    phone.login("officer")
    with app.app_context():
        before = (count(Inspection), count(Violation))
    fields = fields_for(app, rens[("东区", "in_progress")], failed=["fire"], violation_item="fire",
                        violation_text="无灭火器")
    result = phone.push(mutation(fields))[0]
    assert result["status"] == "rejected" and "violation_deadline" in result["errors"]
    with app.app_context():
        assert (count(Inspection), count(Violation)) == before


def test_violation_without_deadline_through_the_form_is_a_422(app, ctx, client, login_as, csrf, rens):
    login_as("officer")
    before = count(Violation)
    data = {**fields_for(app, rens[("东区", "in_progress")]), "failed": "fire", "violation_item": "fire",
            "violation_text": "无灭火器", "record_id": str(uuid.uuid4()), "op": "create", "csrf_token": csrf()}
    response = client.post(f"/sync/form/{ENTITY}", data=data)
    assert response.status_code == 422
    assert "开具违章必须填写整改期限。" in response.get_data(as_text=True)  # a page, in Chinese
    as_json = client.post(f"/sync/form/{ENTITY}", data={**data, "record_id": str(uuid.uuid4())},
                          headers={"Accept": "application/json"})
    assert as_json.get_json()["error"]["errors"]["violation_deadline"] == ["开具违章必须填写整改期限。"]
    assert count(Violation) == before


def test_violation_notice_follow_up_and_escalation(app, phone, rens, client):
    phone.login("officer")
    ren_id = rens[("东区", "in_progress")]
    deadline = (date.today() + timedelta(days=2)).isoformat()
    inspection_id = str(uuid.uuid4())
    fields = fields_for(app, ren_id, failed=["debris"], violation_item="debris", violation_text="垃圾堆放楼道",
                        violation_deadline=deadline)
    assert phone.push(mutation(fields, inspection_id))[0]["status"] == "applied"
    violation_id = rules.violation_id(inspection_id)
    with app.app_context():
        violation = db.session.get(Violation, violation_id)
        assert violation.repeat  # the demo already has a debris violation on this unit
        assert violation.deadline.isoformat() == deadline
    notice = client.get(f"/renovation/violations/{violation_id}/notice").get_data(as_text=True)
    assert "违章处理通知单" in notice and "垃圾堆放楼道" in notice and deadline in notice
    phone.login("supervisor")
    overview = client.get("/overview").get_data(as_text=True)
    assert "data-escalated" in overview
    phone.login("officer")
    follow = fields_for(app, ren_id, kind="follow_up", follow_up_of=violation_id, follow_up_result="fixed")
    assert phone.push(mutation(follow))[0]["status"] == "applied"
    with app.app_context():
        assert db.session.get(Violation, violation_id).fixed_at is not None


def test_final_inspection_closes_a_completed_renovation(app, phone, ctx, mine, make_renovation):
    phone.login("supervisor")
    ren_id = make_renovation(mine, "completed").id
    assert phone.push(mutation(fields_for(app, ren_id, kind="final", passed=True)))[0]["status"] == "applied"
    db.session.expire_all()
    assert db.session.get(Renovation, ren_id).status == "closed"
    result = phone.push(mutation(fields_for(app, ren_id)))[0]
    assert result["status"] == "rejected"


# --------------------------------------------------------------------------- audit: follow-ups and the final inspection



def raise_violation(app, phone, ren_id, code="debris", deadline_days=2) -> str:
    """The officer raises a violation on a unit of 东区; its id."""
    phone.login("officer")
    inspection_id = str(uuid.uuid4())
    fields = fields_for(app, ren_id, failed=[code], violation_item=code, violation_text="违章内容",
                        violation_deadline=(date.today() + timedelta(days=deadline_days)).isoformat())
    assert phone.push(mutation(fields, inspection_id))[0]["status"] == "applied"
    return rules.violation_id(inspection_id)


def test_a_follow_up_is_recorded_while_the_renovation_is_completed(app, phone, rens, client):
    ren_id = rens[("东区", "in_progress")]
    violation_id = raise_violation(app, phone, ren_id)
    set_status(app, ren_id, "completed")
    page = client.get(f"/renovation/{ren_id}").get_data(as_text=True)
    assert f"violation={violation_id}" in page  # the Follow-up button is shown, its form opens…
    form = client.get(f"/renovation/{ren_id}/inspect?kind=follow_up&violation={violation_id}").get_data(as_text=True)
    assert "data-offline-entity" in form and "data-not-renovating" not in form
    follow = fields_for(app, ren_id, kind="follow_up", follow_up_of=violation_id, follow_up_result="fixed")
    assert phone.push(mutation(follow))[0]["status"] == "applied"  # …and the follow-up is accepted (R-REN-2)
    with app.app_context():
        assert db.session.get(Violation, violation_id).fixed_at is not None


def test_a_daily_inspection_done_before_completion_and_synced_after_is_accepted(app, phone, rens):
    """The officer inspected offline; the desk marked the unit completed before the phone synced:
    the inspection is judged by the day it was done. One done after completion is still refused."""
    phone.login("officer")
    ren_id = rens[("东区", "in_progress")]
    now = datetime.now(UTC)
    set_status(app, ren_id, "completed", at=now - timedelta(minutes=30))
    before = mutation(fields_for(app, ren_id), observed_at=now - timedelta(hours=1))
    after = mutation(fields_for(app, ren_id), observed_at=now - timedelta(minutes=10))
    results = phone.push(before, after)
    assert [r["status"] for r in results] == ["applied", "rejected"], results
    with app.app_context():
        assert db.session.get(Inspection, before["record_id"]).renovation_id == ren_id


def test_a_follow_up_done_before_the_file_closed_is_accepted_after(app, phone, rens):
    ren_id = rens[("东区", "in_progress")]
    violation_id = raise_violation(app, phone, ren_id)
    now = datetime.now(UTC)
    set_status(app, ren_id, "closed", at=now - timedelta(minutes=5))
    follow = fields_for(app, ren_id, kind="follow_up", follow_up_of=violation_id, follow_up_result="fixed")
    assert phone.push(mutation(follow, observed_at=now - timedelta(minutes=20)))[0]["status"] == "applied"


def test_a_follow_up_of_a_closed_file_is_rejected(app, phone, rens):
    ren_id = rens[("东区", "in_progress")]
    violation_id = raise_violation(app, phone, ren_id)
    set_status(app, ren_id, "closed")
    follow = fields_for(app, ren_id, kind="follow_up", follow_up_of=violation_id, follow_up_result="fixed")
    assert phone.push(mutation(follow))[0]["status"] == "rejected"


def test_a_final_inspection_cannot_pass_while_violations_are_open(app, phone, rens, client):
    ren_id = rens[("东区", "in_progress")]
    violation_id = raise_violation(app, phone, ren_id)
    set_status(app, ren_id, "completed")
    form = client.get(f"/renovation/{ren_id}/inspect?kind=final").get_data(as_text=True)
    assert "data-open-violations" in form and "尚有未整改的违章，竣工验收不能通过" in form
    result = phone.push(mutation(fields_for(app, ren_id, kind="final", passed=True)))[0]
    assert result["status"] == "rejected" and "尚有未整改的违章" in json.dumps(result["errors"], ensure_ascii=False)
    with app.app_context():
        assert db.session.get(Renovation, ren_id).status == "completed"
    # Offline the officer records the fixes (this one and the demo's), then the final inspection: sent
    # together, in that order, they all go through.
    with app.app_context():
        open_ids = list(db.session.scalars(select(Violation.id).where(Violation.renovation_id == ren_id,
                                                                      Violation.fixed_at.is_(None))))
        db.session.remove()
    assert violation_id in open_ids and len(open_ids) == 2
    fixes = [mutation(fields_for(app, ren_id, kind="follow_up", follow_up_of=v, follow_up_result="fixed")) for v in open_ids]
    results = phone.push(fixes[0], mutation(fields_for(app, ren_id, kind="final", passed=True)))
    assert [r["status"] for r in results] == ["applied", "rejected"]  # one still open
    results = phone.push(fixes[1], mutation(fields_for(app, ren_id, kind="final", passed=True)))
    assert [r["status"] for r in results] == ["applied", "applied"], results
    with app.app_context():
        ren = db.session.get(Renovation, ren_id)
        assert ren.status == "closed" and ren.closed_at is not None
        assert [c.to_status for c in ren.status_changes][-1] == "closed"


def test_a_failed_final_inspection_with_open_violations_is_recorded(app, phone, rens):
    ren_id = rens[("东区", "in_progress")]
    raise_violation(app, phone, ren_id)
    set_status(app, ren_id, "completed")
    assert phone.push(mutation(fields_for(app, ren_id, kind="final", passed=False)))[0]["status"] == "applied"


# --------------------------------------------------------------------------- audit: the notice, the day, the period



def test_an_extra_inspector_may_sync_their_last_days_work_after_midnight(app, phone, rens, ctx):
    ren_id = rens[("东区", "in_progress")]
    yesterday = date.today() - timedelta(days=1)
    db.session.execute(ExtraInspector.__table__.update().values(last_day=yesterday))
    db.session.commit()
    phone.login("officer2")
    noon_yesterday = datetime.combine(yesterday, datetime.min.time(), UTC) + timedelta(hours=4)  # 12:00 Shanghai
    assert phone.push(mutation(fields_for(app, ren_id), observed_at=noon_yesterday))[0]["status"] == "applied"
    assert phone.push(mutation(fields_for(app, ren_id)))[0]["status"] == "forbidden"  # today is past their range
    long_ago = noon_yesterday - timedelta(days=rules.LATE_DAYS + 1)
    db.session.execute(ExtraInspector.__table__.update().values(first_day=long_ago.date(), last_day=long_ago.date()))
    db.session.commit()
    assert phone.push(mutation(fields_for(app, ren_id), observed_at=long_ago))[0]["status"] == "forbidden"  # bounded


def test_an_approved_unit_is_inspected_only_inside_its_period(app, phone, mine, make_renovation):
    ren_id = make_renovation(mine, "approved", start=date.today() + timedelta(days=3)).id
    phone.login("supervisor")
    result = phone.push(mutation(fields_for(app, ren_id)))[0]
    assert result["status"] == "rejected" and "巡查日期不在该户的装修期内" in json.dumps(result["errors"], ensure_ascii=False)
    set_status(app, ren_id, "approved", start_date=date.today() - timedelta(days=1))
    assert phone.push(mutation(fields_for(app, ren_id)))[0]["status"] == "applied"


def test_a_violation_deadline_before_the_inspection_day_is_rejected(app, phone, rens):
    phone.login("officer")
    fields = fields_for(app, rens[("东区", "in_progress")], failed=["fire"], violation_item="fire",
                        violation_text="无灭火器", violation_deadline=(date.today() - timedelta(days=2)).isoformat())
    result = phone.push(mutation(fields))[0]
    assert result["status"] == "rejected" and "整改期限不能早于巡查当天" in json.dumps(result["errors"], ensure_ascii=False)


def test_a_huge_renovation_id_in_a_push_is_rejected_not_a_500(app, phone, rens):
    phone.login("supervisor")
    fields = {**fields_for(app, rens[("东区", "in_progress")]), "renovation_id": 10**22}
    assert phone.push(mutation(fields))[0]["status"] == "rejected"


# --------------------------------------------------------------------------- audit: versioned inspection lists



def test_an_inspection_filled_on_an_old_list_is_accepted_and_shown_with_its_labels(app, phone, rens, client, login_as, csrf):
    ren_id = rens[("东区", "in_progress")]
    login_as("supervisor")
    assert client.post("/renovation/template", data={"items": "permit | 许可证 | Permit\nnoise | 噪声 | Noise",
                                                     "csrf_token": csrf()}).status_code == 302  # debris removed: v2
    phone.login("officer")
    old = fields_for(app, ren_id, template_version=1, failed=["debris"])  # a form cached before the edit
    old_id = str(uuid.uuid4())
    assert phone.push(mutation(old, old_id))[0]["status"] == "applied"
    assert phone.push(mutation(fields_for(app, ren_id, template_version=2, failed=["debris"])))[0]["status"] == "rejected"
    result = phone.push(mutation(fields_for(app, ren_id, template_version=99)))[0]
    assert result["status"] == "rejected" and "template_version" in result["errors"]
    page = client.get(f"/renovation/{ren_id}").get_data(as_text=True)
    start = page.index(f'data-inspection="{old_id}"')
    entry = page[start:page.index("</details>", start)]
    assert "装修垃圾袋装及清运路线" in entry and "debris" not in entry  # v1's label, not the bare code
    assert 'data-snapshot="1"' in entry and "✗ 装修垃圾袋装及清运路线" in entry


def test_each_item_is_answered_pass_or_fail_and_the_form_still_records_what_failed(app, ctx, client, login_as,
                                                                                     csrf, rens):
    """UX.md "ticks mean the same thing": every item is named as the thing checked and answered 合格 /
    不合格; 不合格 is the `failed` checkbox it always was, 合格 is never sent — so the form without JavaScript
    records the same `failed` as before, and the file lists the failed item by its name (R-REN-1)."""
    login_as("officer")
    ren_id = rens[("东区", "in_progress")]
    page = client.get(f"/renovation/{ren_id}/inspect").get_data(as_text=True)
    assert "勾选所有不合格项目" not in page and "逐项检查" in page and "未改动" not in page
    assert page.count('value="structure"') >= 2  # its 合格 and its 不合格
    assert 'name="failed" value="structure" data-type="list"' in page
    assert 'name="passed_item" value="structure" data-offline-skip data-draft-keep' in page
    record_id = str(uuid.uuid4())
    data = {**fields_for(app, ren_id), "failed": "structure", "passed_item": ["permit", "hours"],
            "record_id": record_id, "op": "create", "csrf_token": csrf()}
    assert client.post(f"/sync/form/{ENTITY}", data=data).status_code in (302, 303)
    assert db.session.get(Inspection, record_id).failed == ["structure"]
    entry = client.get(f"/renovation/{ren_id}").get_data(as_text=True)
    start = entry.index(f'data-inspection="{record_id}"')
    entry = entry[start:entry.index("</details>", start)]
    assert "不合格：" in entry and "<span data-failed-label>承重墙等主体结构</span>" in entry
    assert "✗ 承重墙等主体结构" in entry and "✓ 装修许可证张贴" in entry

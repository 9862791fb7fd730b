"""Renovation supervision's pages by role and area (R-REN-1, R-REN-2): the register and its bad input,
files, notices, the supervisor's escalations, extra inspectors, floors as key locations, the officer's day.
Inspections pushed as a phone would are test_sync.py's."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from webapp.areas.models import Area, KeyLocation
from webapp.auth.models import User
from webapp.estate.models import Building, Unit
from webapp.extensions import db
from webapp.kernel.dates import local_date, tz
from webapp.renovation.models import ExtraInspector, Inspection, Renovation, Violation


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --------------------------------------------------------------------------- pages by role



@pytest.mark.parametrize("who", ["officer", "supervisor", "manager", "frontdesk", "admin"])
def test_register_page_by_role(client, login_as, who):
    login_as(who)
    response = client.get("/renovation/")
    assert response.status_code == 200
    assert "data-due-list" in response.get_data(as_text=True)


def test_team_may_not_see_renovation(client, login_as, rens):
    login_as("team")
    assert client.get("/renovation/").status_code == 403
    assert client.get(f"/renovation/{rens[('东区', 'in_progress')]}").status_code == 403


def test_officer_sees_own_area_and_gets_403_across_areas(client, login_as, rens):
    login_as("officer")  # 东区
    page = client.get("/renovation/").get_data(as_text=True)
    assert client.get(f"/renovation/{rens[('东区', 'in_progress')]}").status_code == 200
    for path in (f"/renovation/{rens[('西区', 'in_progress')]}", f"/renovation/{rens[('西区', 'in_progress')]}/inspect"):
        response = client.get(path)
        assert response.status_code == 403
        assert "西区" not in response.get_data(as_text=True)
    assert "西区" not in page


def test_extra_inspector_sees_the_unit_they_help_with(client, login_as, rens):
    login_as("officer2")  # 南区, put on 东区 units for the mass-renovation period
    assert client.get(f"/renovation/{rens[('东区', 'in_progress')]}/inspect").status_code == 200
    assert client.get(f"/renovation/{rens[('东区', 'in_progress')]}").status_code == 200
    assert "您协助巡查的装修户" in client.get("/renovation/").get_data(as_text=True)


def test_officer_may_not_edit_the_register(client, login_as, csrf, rens):
    login_as("officer")
    assert client.get("/renovation/new").status_code == 403
    assert client.post("/renovation/new", data={"csrf_token": csrf()}).status_code == 403
    assert client.get(f"/renovation/{rens[('东区', 'in_progress')]}/edit").status_code == 403
    assert client.get("/renovation/template").status_code == 403


# --------------------------------------------------------------------------- the register



def _unit_without_renovation(area_name: str) -> tuple[int, str]:
    area = db.session.scalar(select(Area).where(Area.name == area_name))
    taken = set(db.session.scalars(select(Renovation.unit_id)))
    unit = db.session.scalar(select(Unit).join(Building).where(Building.area_id == area.id, Unit.id.not_in(taken))
                             .order_by(Unit.id))
    return unit.building_id, unit.room


def form(building_id, room, **overrides):
    today = date.today()
    data = {"building_id": building_id, "room": room, "owner_name": "张三", "owner_phone": "13900000000",
            "contractor": "美家装饰", "foreman": "周师傅", "foreman_phone": "13900001111", "crew_size": "4",
            "approval_no": "ZX-9", "scope": "水电改造", "start_date": today.isoformat(),
            "planned_end": (today + timedelta(days=30)).isoformat(), "hours_from": "08:00", "hours_to": "18:00",
            "status": "in_progress"}
    data.update(overrides)
    return data


def test_end_before_start_is_refused_and_nothing_stored(app, ctx, client, login_as, csrf):
    login_as("frontdesk")
    building_id, room = _unit_without_renovation("东区")
    before = count(Renovation)
    response = client.post("/renovation/new", data={**form(building_id, room, planned_end="2020-01-01"),
                                                     "csrf_token": csrf()})
    assert response.status_code == 422
    assert "计划完工日期不能早于开工日期" in response.get_data(as_text=True)
    assert count(Renovation) == before


def test_unknown_unit_is_refused(ctx, client, login_as, csrf):
    login_as("frontdesk")
    building_id, _room = _unit_without_renovation("东区")
    before = count(Renovation)
    response = client.post("/renovation/new", data={**form(building_id, "9999"), "csrf_token": csrf()})
    assert response.status_code == 422 and count(Renovation) == before


def test_register_in_progress_makes_the_floor_a_key_location_and_completion_retires_it(ctx, client, login_as, csrf):
    login_as("supervisor")
    building_id, room = _unit_without_renovation("北区")
    response = client.post("/renovation/new", data={**form(building_id, room), "csrf_token": csrf()})
    assert response.status_code == 302
    ren = db.session.scalar(select(Renovation).order_by(Renovation.id.desc()))
    location = db.session.get(KeyLocation, ren.key_location_id)
    assert location.kind == "renovation_floor" and location.active and location.floor == ren.unit.floor
    assert location.area_id == ren.area_id
    response = client.post(f"/renovation/{ren.id}/edit", data={**form(building_id, room, status="completed"),
                                                               "csrf_token": csrf()})
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(KeyLocation, location.id).active
    moves = [(c.from_status, c.to_status) for c in db.session.get(Renovation, ren.id).status_changes]
    assert moves == [(None, "in_progress"), ("in_progress", "completed")]  # the file keeps each move (R-REN-2)


def test_papers_are_kept_with_the_file_and_other_files_refused(ctx, client, login_as, csrf):
    login_as("frontdesk")
    building_id, room = _unit_without_renovation("南区")
    before = count(Renovation)
    bad = {**form(building_id, room, status="applied"), "csrf_token": csrf(),
           "papers": (io.BytesIO(b"not a pdf at all"), "approval.pdf", "application/pdf")}
    response = client.post("/renovation/new", data=bad, content_type="multipart/form-data")
    assert response.status_code == 422 and count(Renovation) == before
    good = {**form(building_id, room, status="applied"), "csrf_token": csrf(),
            "papers": (io.BytesIO(b"%PDF-1.4 approval"), "approval.pdf", "application/pdf")}
    response = client.post("/renovation/new", data=good, content_type="multipart/form-data")
    assert response.status_code == 302
    ren = db.session.scalar(select(Renovation).order_by(Renovation.id.desc()))
    assert len(ren.paper_ids) == 1 and ren.key_location_id is None  # applied: not a key location yet
    assert "data-paper-pdf" in client.get(f"/renovation/{ren.id}").get_data(as_text=True)


def test_bad_status_move_is_refused(ctx, client, login_as, csrf, rens):
    login_as("supervisor")
    ren_id = rens[("北区", "applied")]
    ren = db.session.get(Renovation, ren_id)
    data = form(0, "", status="completed", start_date=ren.start_date.isoformat(), planned_end=ren.planned_end.isoformat())
    response = client.post(f"/renovation/{ren_id}/edit", data={**data, "csrf_token": csrf()})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Renovation, ren_id).status == "applied"


def test_extra_inspector_range_must_be_valid(ctx, client, login_as, csrf, rens, users):
    login_as("supervisor")
    ren_id = rens[("西区", "in_progress")]
    before = count(ExtraInspector)
    response = client.post(f"/renovation/{ren_id}/extra", data={"user_id": users["officer"].id, "first_day": "2026-12-10",
                                                               "last_day": "2026-12-01", "renovation_ids": ren_id,
                                                               "csrf_token": csrf()})
    assert response.status_code == 422 and count(ExtraInspector) == before
    assert "结束日期不能早于开始日期" in response.get_data(as_text=True)
    response = client.post(f"/renovation/{ren_id}/extra", data={"user_id": users["officer"].id, "first_day": "2026-12-01",
                                                               "last_day": "2026-12-10", "renovation_ids": ren_id,
                                                               "csrf_token": csrf()})
    assert response.status_code == 302 and count(ExtraInspector) == before + 1


def test_template_edit_makes_a_new_version_and_bad_text_is_refused(ctx, client, login_as, csrf):
    login_as("supervisor")
    response = client.post("/renovation/template", data={"items": "just words", "csrf_token": csrf()})
    assert response.status_code == 422
    response = client.post("/renovation/template", data={"items": "permit | 许可证 | Permit\nnoise | 噪声 | Noise",
                                                         "csrf_token": csrf()})
    assert response.status_code == 302
    assert "第 2 版" in client.get("/renovation/template").get_data(as_text=True)


# --------------------------------------------------------------------------- inspections through the engine



def test_inspection_page_of_a_unit_not_under_renovation_says_so(client, login_as, rens):
    login_as("supervisor")
    page = client.get(f"/renovation/{rens[('北区', 'applied')]}/inspect").get_data(as_text=True)
    assert "data-not-renovating" in page and "该户不在装修中" in page and "data-offline-entity" not in page


def test_other_officer_may_not_open_a_notice_across_areas(client, login_as, ctx):
    violation = db.session.scalar(select(Violation).join(Renovation).join(Area).where(Area.name == "东区"))
    login_as("team")
    assert client.get(f"/renovation/violations/{violation.id}/notice").status_code == 403
    login_as("liuyang")  # 北区
    assert client.get(f"/renovation/violations/{violation.id}/notice").status_code == 403


def test_officer_today_page_lists_units_not_yet_inspected(client, login_as):
    login_as("officer")
    page = client.get("/today").get_data(as_text=True)
    assert "data-renovation-today" in page


def test_supervisor_sees_whether_every_unit_has_someone(client, login_as):
    login_as("supervisor")
    page = client.get("/overview").get_data(as_text=True)
    assert "data-renovation-overview" in page and "今日每户均有人负责" in page
    assert "装修违章逾期未整改" in page  # the demo's overdue violation is the supervisor's obligation (R-REN-2)


def test_officer_home_has_no_supervisor_obligation(client, login_as):
    login_as("officer")
    assert "装修违章逾期未整改" not in client.get("/today").get_data(as_text=True)


def test_every_file_and_notice_renders_for_the_supervisor(app, client, login_as):
    with app.app_context():
        ren_ids = list(db.session.scalars(select(Renovation.id)))
        violation_ids = list(db.session.scalars(select(Violation.id)))
        db.session.remove()
    login_as("supervisor")
    for ren_id in ren_ids:
        assert client.get(f"/renovation/{ren_id}").status_code == 200
        assert client.get(f"/renovation/{ren_id}/extra").status_code == 200
    for violation_id in violation_ids:
        assert "违章处理通知单" in client.get(f"/renovation/violations/{violation_id}/notice").get_data(as_text=True)
    assert client.get("/renovation/violations/nope/notice").status_code == 404
    assert client.get("/renovation/999999").status_code == 404


# --------------------------------------------------------------------------- audit: follow-ups and the final inspection



def set_status(app, ren_id, status, at: datetime | None = None, **values):
    """As the desk does it: the move is kept in the file's history (R-REN-2)."""
    with app.app_context():
        ren = db.session.get(Renovation, ren_id)
        ren.move_to(status, None, at)
        for name, value in values.items():
            setattr(ren, name, value)
        db.session.commit()
        db.session.remove()


def test_a_closed_files_leftover_violations_are_not_escalated(app, client, login_as, rens):
    login_as("supervisor")
    assert "装修违章逾期未整改" in client.get("/overview").get_data(as_text=True)  # the demo's overdue one
    set_status(app, rens[("东区", "in_progress")], "closed")  # closed before the fix (data from before the rule)
    page = client.get("/overview").get_data(as_text=True)
    assert "装修违章逾期未整改" not in page and "data-escalated" not in page


# --------------------------------------------------------------------------- audit: the notice, the day, the period



def test_the_notice_is_headed_with_the_renovations_own_estate(app, client, login_as, ctx):
    from webapp.estate.models import Estate

    violation = db.session.scalar(select(Violation).order_by(Violation.raised_at))
    other = Estate(code="B2", name="锦绣花园二期", address="滨江路 8 号")
    db.session.add(other)
    db.session.flush()
    violation.renovation.estate_id = other.id
    db.session.commit()
    login_as("admin")
    page = client.get(f"/renovation/violations/{violation.id}/notice").get_data(as_text=True)
    start = page.index("data-notice")
    header = page[start:page.index("违章处理通知单", start)]
    assert "锦绣花园二期" in header and "滨江路 8 号" in header


# --------------------------------------------------------------------------- audit: extra inspectors



def extra_form(users, ren_ids, **overrides) -> dict:
    today = date.today()
    data = {"user_id": users["officer"].id, "first_day": today.isoformat(),
            "last_day": (today + timedelta(days=6)).isoformat(), "renovation_ids": [str(i) for i in ren_ids]}
    data.update(overrides)
    return data


def test_several_units_are_assigned_at_once_and_one_is_removed(app, ctx, client, login_as, csrf, rens, users):
    login_as("supervisor")
    west, south = rens[("西区", "in_progress")], rens[("南区", "in_progress")]
    before = count(ExtraInspector)
    response = client.post("/renovation/extra", data={**extra_form(users, [west, south]), "csrf_token": csrf()})
    assert response.status_code == 302 and count(ExtraInspector) == before + 2
    page = client.get("/renovation/extra").get_data(as_text=True)
    assert page.count("data-extra=") >= 2
    assignment = db.session.scalar(select(ExtraInspector).where(ExtraInspector.renovation_id == west))
    assert "王晓明" in client.get(f"/renovation/{west}").get_data(as_text=True)  # the file lists its helpers
    response = client.post(f"/renovation/extra/{assignment.id}/remove", data={"csrf_token": csrf()})
    assert response.status_code == 302 and count(ExtraInspector) == before + 1


@pytest.mark.parametrize(("case", "message"), [
    ("overlap", "日期不能重叠"),
    ("inactive", "请选择本项目在职的区域客户主任或主管"),
    ("not_renovating", "不在装修中"),
    ("outside_period", "这些日期不在其装修期内"),
    ("no_unit", "请至少选择一户"),
    ("unicode_digit", "请选择本项目在职的区域客户主任或主管"),
    ("huge_user", "请选择本项目在职的区域客户主任或主管"),
])
def test_bad_extra_assignments_say_why_and_store_nothing(app, ctx, client, login_as, csrf, rens, users, case, message):
    login_as("supervisor")
    west, done = rens[("西区", "in_progress")], rens[("西区", "completed")]
    data = extra_form(users, [west])
    if case == "overlap":
        assert client.post("/renovation/extra", data={**data, "csrf_token": csrf()}).status_code == 302
        data = extra_form(users, [west], first_day=(date.today() + timedelta(days=3)).isoformat(),
                          last_day=(date.today() + timedelta(days=9)).isoformat())
    elif case == "inactive":
        db.session.get(User, users["officer"].id).deactivate()
        db.session.commit()
    elif case == "not_renovating":
        data = extra_form(users, [west, done])
    elif case == "outside_period":  # the approved unit's period ends in 40 days
        data = extra_form(users, [rens[("南区", "approved")]], first_day=(date.today() + timedelta(days=50)).isoformat(),
                          last_day=(date.today() + timedelta(days=55)).isoformat())
    elif case == "no_unit":
        data = extra_form(users, [])
    elif case == "unicode_digit":
        data["user_id"] = "²"
    else:
        data["user_id"] = "9" * 23
    before = count(ExtraInspector)
    response = client.post("/renovation/extra", data={**data, "csrf_token": csrf()})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(ExtraInspector) == before


def test_extra_assignments_are_for_leads_and_their_areas(client, login_as, csrf, rens, users):
    login_as("officer")
    assert client.get("/renovation/extra").status_code == 403
    assert client.post("/renovation/extra", data={**extra_form(users, [rens[("东区", "in_progress")]]),
                                                  "csrf_token": csrf()}).status_code == 403
    login_as("supervisor")
    response = client.post("/renovation/extra", data={**extra_form(users, [10**9]), "csrf_token": csrf()})
    assert response.status_code == 403  # a unit that is not theirs (or nobody's) is not silently skipped


# --------------------------------------------------------------------------- audit: floors and due agree (R-PAT-1 = R-REN-1)



def test_an_approved_unit_in_its_period_is_due_and_its_floor_a_key_location(ctx, client, login_as, csrf):
    login_as("supervisor")
    building_id, room = _unit_without_renovation("北区")
    response = client.post("/renovation/new", data={**form(building_id, room, status="approved"), "csrf_token": csrf()})
    assert response.status_code == 302
    ren = db.session.scalar(select(Renovation).order_by(Renovation.id.desc()))
    assert db.session.get(KeyLocation, ren.key_location_id).active
    assert f'data-renovation="{ren.id}" data-status="due"' in client.get("/renovation/").get_data(as_text=True)


def test_an_approved_unit_before_its_start_is_neither_due_nor_a_key_location(ctx, client, login_as, csrf):
    login_as("supervisor")
    building_id, room = _unit_without_renovation("北区")
    later = date.today() + timedelta(days=3)
    data = form(building_id, room, status="approved", start_date=later.isoformat(),
                planned_end=(later + timedelta(days=30)).isoformat())
    assert client.post("/renovation/new", data={**data, "csrf_token": csrf()}).status_code == 302
    ren = db.session.scalar(select(Renovation).order_by(Renovation.id.desc()))
    assert ren.key_location_id is None
    assert f'data-renovation="{ren.id}"' not in client.get("/renovation/").get_data(as_text=True)


def test_the_floor_follows_the_day_without_an_edit(ctx, client, login_as):
    """An approved unit whose start date has come: the officer's 今日 makes its floor a key location."""
    ren = db.session.scalar(select(Renovation).where(Renovation.status == "applied"))
    ren.status, ren.start_date = "approved", date.today() - timedelta(days=1)
    db.session.commit()
    assert ren.key_location_id is None
    login_as("liuyang")  # 北区's officer
    page = client.get("/today").get_data(as_text=True)
    db.session.expire_all()
    ren = db.session.get(Renovation, ren.id)
    location = db.session.get(KeyLocation, ren.key_location_id)
    assert location.active and location.name in page


# --------------------------------------------------------------------------- audit: the demo's history



def test_the_demo_history_agrees_with_the_rules(ctx):
    from webapp.renovation.models import StatusChange

    for ren in db.session.scalars(select(Renovation)):
        daily = db.session.scalars(select(Inspection).where(Inspection.renovation_id == ren.id,
                                                            Inspection.kind == "daily")).all()
        days = {local_date(i.observed_at, tz()) for i in daily}
        assert all(ren.start_date <= d for d in days), ren.status
        if ren.status in ("completed", "closed"):
            assert all(d <= ren.planned_end for d in days), ren.status
        changes = db.session.scalars(select(StatusChange).where(StatusChange.renovation_id == ren.id)
                                     .order_by(StatusChange.changed_at)).all()
        assert changes[0].from_status is None and changes[-1].to_status == ren.status
        assert all(a.to_status == b.from_status for a, b in zip(changes, changes[1:], strict=False))
        finals = [i for i in db.session.scalars(select(Inspection).where(Inspection.renovation_id == ren.id,
                                                                         Inspection.kind == "final"))]
        if ren.status == "closed":
            assert ren.closed_at is not None and any(f.passed for f in finals)
            assert changes[-1].inspection_id == finals[0].id
        else:
            assert ren.closed_at is None and not any(f.passed for f in finals)


# --------------------------------------------------------------------------- audit: bad input, closed files



@pytest.mark.parametrize(("name", "value"), [("crew_size", "²"), ("building_id", "²"), ("building_id", "9" * 23),
                                             ("crew_size", "9" * 23)])
def test_odd_numbers_in_the_register_form_are_a_message_not_a_500(ctx, client, login_as, csrf, name, value):
    login_as("frontdesk")
    building_id, room = _unit_without_renovation("东区")
    before = count(Renovation)
    response = client.post("/renovation/new", data={**form(building_id, room), name: value, "csrf_token": csrf()})
    assert response.status_code == 422 and count(Renovation) == before
    assert "请更正下面标出的内容" in response.get_data(as_text=True) or "field-error" in response.get_data(as_text=True)


def test_editing_a_closed_renovation_says_why(client, login_as, csrf, rens):
    login_as("supervisor")
    ren_id = rens[("北区", "closed")]
    for response in (client.get(f"/renovation/{ren_id}/edit"),
                     client.post(f"/renovation/{ren_id}/edit", data={"csrf_token": csrf()})):
        assert response.status_code == 409
        assert "该户装修已验收通过并结档" in response.get_data(as_text=True)


# --------------------------------------------------------------------------- audit: the officer's day, the file, the register



def test_the_officers_today_lists_violations_to_follow_up(client, login_as, ctx):
    violation = db.session.scalar(select(Violation).where(Violation.fixed_at.is_(None)))
    login_as("officer")
    page = client.get("/today").get_data(as_text=True)
    assert "data-follow-ups" in page and f'data-follow-up="{violation.id}"' in page


def test_follow_up_and_final_forms_are_cached_for_offline_use(app, client, login_as, rens, ctx):
    violation = db.session.scalar(select(Violation).where(Violation.fixed_at.is_(None)))
    set_status(app, rens[("东区", "in_progress")], "in_progress")
    login_as("officer")
    urls = client.get("/pwa/offline-pages").get_json()["urls"]
    assert f"/renovation/{violation.renovation_id}/inspect?kind=follow_up&violation={violation.id}" in urls
    set_status(app, rens[("东区", "in_progress")], "completed")
    urls = client.get("/pwa/offline-pages").get_json()["urls"]
    assert f"/renovation/{rens[('东区', 'in_progress')]}/inspect?kind=final" in urls
    for url in [u for u in urls if u.startswith("/renovation/")]:  # every cached page of ours opens
        assert client.get(url).status_code == 200, url


def test_the_file_shows_status_changes_and_extra_inspectors(client, login_as, rens):
    login_as("supervisor")
    page = client.get(f"/renovation/{rens[('东区', 'in_progress')]}").get_data(as_text=True)
    assert "data-status-changes" in page and "已申请 → 已审批" in page
    assert "data-extras" in page and "李娜" in page


def test_the_register_is_grouped_and_filtered_by_area(client, login_as, ctx):
    area = db.session.scalar(select(Area).where(Area.name == "西区"))
    login_as("supervisor")
    page = client.get("/renovation/").get_data(as_text=True)
    assert page.count("data-register-area=") == 4
    page = client.get(f"/renovation/?area={area.id}").get_data(as_text=True)
    assert page.count("data-register-area=") == 1 and f'data-register-area="{area.id}"' in page
    assert client.get("/renovation/?area=²").status_code == 200 and client.get(f"/renovation/?area={'9' * 23}").status_code == 200


def test_a_paper_is_removed_from_the_file(ctx, client, login_as, csrf, rens):
    login_as("frontdesk")
    building_id, room = _unit_without_renovation("南区")
    data = {**form(building_id, room, status="applied"), "csrf_token": csrf(),
            "papers": (io.BytesIO(b"%PDF-1.4 approval"), "approval.pdf", "application/pdf")}
    assert client.post("/renovation/new", data=data, content_type="multipart/form-data").status_code == 302
    ren = db.session.scalar(select(Renovation).order_by(Renovation.id.desc()))
    [paper] = ren.paper_ids
    assert client.post(f"/renovation/{ren.id}/papers/nope/remove", data={"csrf_token": csrf()}).status_code == 404
    response = client.post(f"/renovation/{ren.id}/papers/{paper}/remove", data={"csrf_token": csrf()})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Renovation, ren.id).paper_ids == []
    login_as("officer")
    assert client.post(f"/renovation/{ren.id}/papers/{paper}/remove", data={"csrf_token": csrf()}).status_code == 403


def test_an_inspection_saved_on_the_phone_has_its_places_on_today_and_in_the_file(client, login_as, rens, ctx):
    """Issue 10.3: the form names the file's list and today's row (the estate's {day}, filled in on the phone)
    and what its summary says; Today's row and the file's stored items carry what overlays.js needs."""
    ren_id = rens[("东区", "in_progress")]
    login_as("officer")
    form = client.get(f"/renovation/{ren_id}/inspect").get_data(as_text=True)
    assert f'data-overlay-key="renovation:{ren_id} renovation:{ren_id}:{{day}}"' in form
    assert 'data-summary-title="日常巡查"' in form and 'data-summary-empty="全部合格"' in form
    today = local_date(datetime.now(tz()), tz()).isoformat()
    assert f'data-overlay-key="renovation:{ren_id}:{today}" data-overlay-status="done"' in client.get("/today").get_data(
        as_text=True)
    file = client.get(f"/renovation/{ren_id}").get_data(as_text=True)
    assert f'data-overlay-list="renovation:{ren_id}"' in file
    stored = db.session.scalars(select(Inspection.id).where(Inspection.renovation_id == ren_id)).all()
    assert stored and all(f'data-record="{i}"' in file for i in stored)
    # A follow-up saved on the phone marks its violation 待同步, on Today and in the file.
    open_one = db.session.scalar(select(Violation.id).where(Violation.renovation_id == ren_id, Violation.fixed_at.is_(None)))
    follow_up = client.get(f"/renovation/{ren_id}/inspect?kind=follow_up&violation={open_one}").get_data(as_text=True)
    assert f'renovation:{ren_id}:{{day}} violation:{open_one}"' in follow_up
    assert f'data-overlay-key="violation:{open_one}"' in file

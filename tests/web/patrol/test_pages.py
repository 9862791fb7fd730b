"""Patrol pages and fragments by role (R-PAT-1…5, R-SUP-1): who may open what, 403 across areas and
estates, the no-JS round form's bad input, the officer's today list (incl. renovation floors), coverage,
spot-check comparison, QR sheets and the demo data behind them."""

from __future__ import annotations

import dataclasses
import re
import uuid
from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from sync.store import utcnow
from webapp.areas.models import Area, KeyLocation, KeyLocationKind
from webapp.extensions import db
from webapp.kernel.dates import day_start_utc, local_date, tz
from webapp.patrol import queries, rules
from webapp.patrol.checklists import DEFAULTS
from webapp.patrol.models import ChecklistTemplate, Emergency, Finding, PatrolRound

ROLES = ("officer", "supervisor", "manager", "frontdesk", "team", "admin")
LEADS = {"supervisor", "manager", "admin"}
FIELD = LEADS | {"officer"}


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def demo(app):
    """Ids from the demo estate: the officer's area 东区 (A1) and the neighbour 南区 (A2)."""
    with app.app_context():
        a1, a2 = (db.session.scalar(select(Area).where(Area.code == c)) for c in ("A1", "A2"))

        def first(model, *where):
            return db.session.scalar(select(model).where(*where).order_by(model.id).limit(1))

        lobby = first(KeyLocation, KeyLocation.area_id == a1.id, KeyLocation.kind == "lobby")
        return {
            "a1": a1.id, "a2": a2.id, "lobby": lobby.id, "estate": a1.estate_id,
            "a2_location": first(KeyLocation, KeyLocation.area_id == a2.id).id,
            "a1_round": first(PatrolRound, PatrolRound.area_id == a1.id).id,
            "a2_round": first(PatrolRound, PatrolRound.area_id == a2.id).id,
            "a1_finding": first(Finding, Finding.area_id == a1.id, Finding.team == "engineering").id,
            "a2_finding": first(Finding, Finding.area_id == a2.id).id,
            "a1_security": first(Finding, Finding.area_id == a1.id, Finding.team == "security").id,
            "template": first(ChecklistTemplate, ChecklistTemplate.kind == "lobby").id,
        }


def pages(d) -> dict[str, set[str]]:
    """Every patrol page and who may open it (others get 403)."""
    return {
        "/patrol/": FIELD | {"team"},  # a team is sent on to its findings
        f"/patrol/round/new?location_id={d['lobby']}": FIELD,
        f"/patrol/round/full?area_id={d['a1']}": FIELD,
        "/patrol/rounds": FIELD,
        f"/patrol/rounds/{d['a1_round']}": FIELD,
        "/patrol/findings": FIELD | {"team"},
        f"/patrol/findings/{d['a1_finding']}": FIELD | {"team"},
        "/patrol/emergency/new": set(ROLES),
        "/patrol/emergencies": LEADS | {"frontdesk"},
        "/patrol/emergencies/active": set(ROLES),
        "/patrol/coverage": LEADS,
        "/patrol/coverage/officers": LEADS,
        f"/patrol/coverage/{d['a1']}": LEADS,
        "/patrol/qr": FIELD,
        "/patrol/templates": LEADS,
        "/patrol/templates/locations": LEADS,
        f"/patrol/templates/{d['template']}": LEADS,
        f"/patrol/templates/{d['template']}/edit": LEADS,
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_page_by_role(client, login_as, demo, role):
    login_as(role)
    for url, allowed in pages(demo).items():
        response = client.get(url)
        expected = (302 if role == "team" and url == "/patrol/" else 200) if role in allowed else 403
        assert response.status_code == expected, (role, url)
        body = response.get_data(as_text=True)
        response.close()
        if expected == 403:
            assert "东区" not in body and "门禁" not in body, (role, url)  # leaks nothing


@pytest.mark.parametrize("url", ["/patrol/rounds", "/patrol/findings"])
def test_lists_answer_htmx_with_a_fragment(client, login_as, url):
    login_as("supervisor")
    fragment = client.get(url, headers={"HX-Request": "true"})
    page = client.get(url)
    assert fragment.status_code == page.status_code == 200
    assert "<html" not in fragment.get_data(as_text=True) and "<html" in page.get_data(as_text=True)
    assert "HX-Request" in fragment.headers.get("Vary", "")


def test_the_polled_emergency_section_is_a_fragment_for_everyone_who_may_poll(client, login_as):
    for role in ROLES:
        login_as(role)
        body = client.get("/patrol/emergencies/active", headers={"HX-Request": "true"}).get_data(as_text=True)
        assert "<html" not in body and 'id="patrol-emergencies"' in body, role
        assert ("电梯停在6楼与7楼之间" in body) == (role != "officer"), role  # A3: not the officer's area


def test_an_officer_gets_403_for_another_officers_area(client, login_as, demo):
    login_as("officer")
    for url in (f"/patrol/round/new?location_id={demo['a2_location']}", f"/patrol/round/full?area_id={demo['a2']}",
                f"/patrol/rounds?area_id={demo['a2']}", f"/patrol/rounds/{demo['a2_round']}",
                f"/patrol/findings?area_id={demo['a2']}", f"/patrol/findings/{demo['a2_finding']}",
                f"/patrol/qr?area_id={demo['a2']}", f"/patrol/rounds?area_id={demo['a2']}"):
        response = client.get(url, headers={"HX-Request": "true"} if "?" in url else {})
        assert response.status_code == 403, url
        response.close()


def test_a_team_sees_only_its_own_findings(client, login_as, demo):
    login_as("team")  # engineering
    listing = client.get("/patrol/findings?team=security&status=").get_data(as_text=True)
    assert demo["a1_security"] not in listing  # the team filter is ignored for a team: its own only
    assert client.get(f"/patrol/findings/{demo['a1_security']}").status_code == 403


def test_a_supervisor_gets_403_in_another_estate(client, login_as, make_estate, make_area):
    area = make_area(make_estate())  # an estate the demo people have nothing to do with, a lobby in its area
    login_as("supervisor")
    for url in (f"/patrol/coverage/{area.id}", f"/patrol/round/full?area_id={area.id}",
                f"/patrol/round/new?location_id={area.lobby}", f"/patrol/findings?area_id={area.id}",
                f"/patrol/qr?area_id={area.id}"):
        assert client.get(url).status_code == 403, url


# --------------------------------------------------------------------------- the round form without JS


def round_form(demo, **extra):
    with db.session.no_autoflush:
        template = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.kind == "lobby",
                                                                     ChecklistTemplate.retired_at.is_(None)))
        items = [i.id for i in template.items]
    form = {"area_id": demo["a1"], "key_location_id": demo["lobby"], "kind": "key", "purpose": "patrol",
            "start_method": "list", "record_id": str(uuid.uuid4()), "checks": "[]"}
    form.update({f"result-{i}": "ok" for i in items})
    form.update(extra)
    return form, items


def test_a_round_from_the_form_is_stored_with_its_finding(client, login_as, csrf, ctx, demo):
    login_as("officer")
    form, items = round_form(demo)
    form.update({f"result-{items[0]}": "defect", f"note-{items[0]}": "灯管不亮", "csrf_token": csrf()})
    response = client.post("/patrol/round", data=form)
    assert response.status_code == 302 and response.headers["Location"] == "/today"  # back to Today
    stored = db.session.get(PatrolRound, form["record_id"])
    assert stored.start_method == "list" and len(stored.checks) == len(items)
    assert count(Finding, Finding.round_id == stored.id) == 1


def test_a_round_form_sent_twice_is_stored_once(client, login_as, csrf, ctx, demo):
    """The no-JS path sends the form as one mutation with an id made from who sent what: a double tap
    or a resend after a lost answer is a duplicate, not a second round."""
    login_as("officer")
    form, items = round_form(demo)
    form.update({f"result-{items[0]}": "defect", f"note-{items[0]}": "灯管不亮", "csrf_token": csrf()})
    assert client.post("/patrol/round", data=form).status_code == 302
    assert client.post("/patrol/round", data=form).status_code == 302
    assert count(PatrolRound, PatrolRound.id == form["record_id"]) == 1
    assert count(Finding, Finding.round_id == form["record_id"]) == 1


def test_a_round_form_whose_derived_work_fails_answers_503_and_stores_nothing(app, client, login_as, csrf, ctx,
                                                                            demo):
    """A failure of the server's own work after the save (deriving findings) is not the officer's: a
    page that says to save again, nothing half-stored."""
    registry = app.extensions["sync_entities"]
    spec = registry.get("patrol_round")

    def fail(session, actor, proposals, derive):
        raise RuntimeError("the server failed while deriving")

    login_as("officer")
    form, items = round_form(demo)
    form.update({f"result-{items[0]}": "defect", f"note-{items[0]}": "灯管不亮", "csrf_token": csrf()})
    registry.unregister("patrol_round")
    registry.register(dataclasses.replace(spec, after_apply=fail))
    try:
        response = client.post("/patrol/round", data=form)
    finally:
        registry.unregister("patrol_round")
        registry.register(spec)
    assert response.status_code == 503 and "重新保存" in response.get_data(as_text=True)
    assert count(PatrolRound, PatrolRound.id == form["record_id"]) == 0
    assert client.post("/patrol/round", data=form).status_code == 302  # saved again: stored, with its finding
    assert count(Finding, Finding.round_id == form["record_id"]) == 1


@pytest.mark.parametrize("change, message", [
    (lambda f, items: [f.pop(f"result-{i}") for i in items], "Tick at least one item"),
    (lambda f, items: f.update({f"result-{items[0]}": "defect", f"note-{items[0]}": "  "}), "A defect needs a note"),
    (lambda f, items: f.update({f"result-{items[0]}": "maybe"}), "Choose OK or defect"),
    (lambda f, items: f.update({f"result-{items[0]}": "defect", f"note-{items[0]}": "x",
                                f"photos-{items[0]}": '["not-a-uuid"]'}), "Not a valid UUID"),
    (lambda f, items: f.update({f"result-{items[0]}": "defect", f"note-{items[0]}": "x",
                                f"photos-{items[0]}": '["unclosed'}), "Not a valid list"),
    (lambda f, items: f.update({f"result-{items[0]}": "defect", f"note-{items[0]}": "x",
                                f"photos-{items[0]}": "{}"}), "Not a valid list"),
    (lambda f, items: f.update({"result-987654": "ok"}), "Unknown checklist item"),
    (lambda f, items: f.update({"latitude": "31.2"}), "both latitude and longitude"),
])
def test_bad_round_input_gets_a_clear_message_and_nothing_is_stored(client, login_as, csrf, ctx, demo, change,
                                                                   message):
    login_as("officer")
    with client.session_transaction() as session:
        session["locale"] = "en"
    form, items = round_form(demo, csrf_token=csrf())
    change(form, items)
    before = (count(PatrolRound), count(Finding))
    response = client.post("/patrol/round", data=form)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body and "data-round-errors" in body
    assert (count(PatrolRound), count(Finding)) == before


def test_a_defect_without_a_note_is_explained_in_chinese_next_to_the_item(client, login_as, csrf, ctx, demo):
    login_as("officer")
    form, items = round_form(demo, csrf_token=csrf())
    form.update({f"result-{items[1]}": "defect", f"note-{items[1]}": ""})
    body = client.post("/patrol/round", data=form).get_data(as_text=True)
    assert f'id="err-{items[1]}">有问题的项目必须填写问题描述' in body
    assert count(PatrolRound, PatrolRound.id == form["record_id"]) == 0


def test_an_item_of_another_checklist_posted_through_the_form_is_refused(client, login_as, csrf, ctx, demo):
    """The form path judges every answered item like the phone's: a roof item on a lobby round is
    refused with the reason, and nothing is stored."""
    login_as("officer")
    roof = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.kind == "roof")).items[0].id
    form, _items = round_form(demo, csrf_token=csrf(), **{f"result-{roof}": "ok"})
    response = client.post("/patrol/round", data=form)
    assert response.status_code == 422 and "本次巡查中有不属于该巡查表的检查项目" in response.get_data(as_text=True)
    assert count(PatrolRound, PatrolRound.id == form["record_id"]) == 0


def test_a_round_at_another_areas_location_is_403(client, login_as, csrf, ctx, demo):
    login_as("officer")
    form, _items = round_form(demo, csrf_token=csrf(), key_location_id=demo["a2_location"])
    assert client.post("/patrol/round", data=form).status_code == 403
    assert count(PatrolRound, PatrolRound.id == form["record_id"]) == 0


@pytest.mark.parametrize("record_id", ["not-a-uuid", "'; drop table", "1" * 40])
def test_a_forged_record_id_gets_a_clear_message_not_a_server_error(client, login_as, csrf, ctx, demo, record_id):
    login_as("officer")
    form, _items = round_form(demo, csrf_token=csrf(), record_id=record_id)
    before = count(PatrolRound)
    response = client.post("/patrol/round", data=form)
    assert response.status_code == 400 and "表单已损坏" in response.get_data(as_text=True)
    assert count(PatrolRound) == before


def test_a_round_from_an_older_checklist_version_still_saves_through_the_form(client, login_as, csrf, ctx, demo):
    """A form opened before the supervisor edited the checklist: its items are of the old version."""
    template = db.session.get(ChecklistTemplate, demo["template"])
    old_items = [i.id for i in template.items]
    login_as("supervisor")
    rows = {"name_zh": template.name_zh, "name_en": template.name_en, "count": len(old_items), "csrf_token": csrf()}
    for i, item in enumerate(template.items):
        rows.update({f"item-{i}-code": item.code, f"item-{i}-label_zh": item.label_zh + "（新）",
                     f"item-{i}-label_en": item.label_en, f"item-{i}-team": item.team,
                     f"item-{i}-category": item.category})
    assert client.post(f"/patrol/templates/{template.id}/edit", data=rows).status_code == 302
    login_as("officer")
    form, items = round_form(demo, csrf_token=csrf())
    form = {k: v for k, v in form.items() if not k.startswith("result-")}
    form.update({f"result-{i}": "ok" for i in old_items})
    assert client.post("/patrol/round", data=form).status_code == 302
    assert [c["item_id"] for c in db.session.get(PatrolRound, form["record_id"]).checks] == old_items


def test_a_round_post_needs_csrf(client, login_as, ctx, demo):
    login_as("officer")
    form, _items = round_form(demo)
    assert client.post("/patrol/round", data=form).status_code in (400, 403)
    assert count(PatrolRound, PatrolRound.id == form["record_id"]) == 0


def test_a_photo_too_large_is_refused_with_a_clear_message_and_not_stored(client, login_as, app):
    login_as("officer")
    token = client.get("/sync/whoami").get_json()["csrf_token"]
    limit = app.config["MEDIA_MAX_BYTES"]
    media_id = str(uuid.uuid4())
    response = client.put(f"/sync/media/{media_id}", data=b"\xff\xd8\xff" + b"0" * limit,
                          content_type="image/jpeg", headers={"X-CSRFToken": token, "Accept-Language": "en"})
    assert response.status_code == 413
    assert "太大" in response.get_json()["error"]["message"]  # zh-CN, the default UI language
    assert client.get(f"/sync/media/{media_id}").status_code == 404


# --------------------------------------------------------------------------- today, renovation floors (R-PAT-1)


def test_the_officers_today_lists_key_locations_the_weekly_round_and_the_remaining_count(client, login_as, ctx,
                                                                                        demo):
    login_as("officer")
    body = client.get("/today").get_data(as_text=True)
    assert "data-patrol-today" in body
    area = db.session.get(Area, demo["a1"])
    due = queries.area_due(area, utcnow())
    assert f"data-remaining>{due.remaining}<" in body
    assert f'data-full-round="{area.id}"' in body
    for location in area.key_locations:
        if location.active:
            assert f'data-location="{location.id}"' in body
    # The demo has nothing done today yet; this week's full round may be done already, depending on the date.
    assert all(ld.status in (rules.DUE, rules.OVERDUE) for ld in due.locations)
    assert due.remaining == len(due.locations) + (due.full_status != rules.DONE)


def test_todays_rows_and_counts_are_marked_up_for_a_round_saved_on_the_phone(client, login_as, ctx, demo):
    """Issue 10.3: a round saved offline turns its row done at once and the counts count it (overlays.js);
    a lead's spot-check does not count (R-SUP-1), so a lead's rows only say 待同步."""
    login_as("officer")
    body = client.get("/today").get_data(as_text=True)
    area = db.session.get(Area, demo["a1"])
    due = queries.area_due(area, utcnow())
    ld = due.locations[0]  # nothing is done today in the demo
    row = re.search(rf'<li [^>]*data-location="{ld.location.id}"[^>]*>.*?</li>', body, re.S).group(0)
    assert f'data-overlay-key="keyloc:{ld.location.id}:{due.today.isoformat()}" data-overlay-status="done"' in row
    assert "data-overlay-hide>" in row and 'data-overlay-show hidden>已完成<' in row
    assert 'data-count-text="今日还剩 {n} 项"' in body and 'data-count-zero="今日巡查任务已全部完成。"' in body
    assert f'data-count-text="重点部位已完成 {{n}}/{due.due_count}"' in body
    login_as("supervisor")
    lead = client.get("/patrol/").get_data(as_text=True)
    assert f'data-location="{ld.location.id}"' in lead and "data-overlay-status" not in lead


def test_a_renovation_floor_is_due_daily_and_patrolled_with_the_corridor_checklist(client, login_as, ctx, demo):
    """The renovation helper adds KeyLocation(kind=renovation_floor) while work is in progress."""
    area = db.session.get(Area, demo["a1"])
    before = queries.area_due(area, utcnow()).remaining
    floor = KeyLocation(area_id=area.id, kind=KeyLocationKind.RENOVATION_FLOOR, name="1栋12层（1203装修）", floor=12)
    db.session.add(floor)
    db.session.commit()
    db.session.refresh(area)
    due = queries.area_due(area, utcnow())
    assert due.remaining == before + 1
    assert [ld.status for ld in due.locations if ld.location.id == floor.id] == [rules.DUE]
    login_as("officer")
    assert f'data-location="{floor.id}"' in client.get("/today").get_data(as_text=True)
    form = client.get(f"/patrol/round/new?location_id={floor.id}").get_data(as_text=True)
    corridor = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.kind == "corridor_stairs"))
    assert f'data-template="{corridor.id}"' in form and "消防门" in form
    floor.retire()
    db.session.commit()
    db.session.refresh(area)
    assert queries.area_due(area, utcnow()).remaining == before  # retired: no longer due


# --------------------------------------------------------------------------- demo, coverage, spot-checks


def test_the_demo_has_templates_a_week_of_rounds_findings_in_each_status_and_an_open_emergency(ctx, demo):
    kinds = {t.kind for t in db.session.scalars(select(ChecklistTemplate))}
    assert kinds == {d[0] for d in DEFAULTS} >= {"lobby", "corridor_stairs", "lift", "roof", "facade",
                                                 "road_lighting", "drainage", "leisure", "signage", "greening",
                                                 "cleaning"}
    for template in db.session.scalars(select(ChecklistTemplate)):
        assert template.name_zh and template.name_en and all(i.label_zh and i.label_en for i in template.items)
    since = utcnow() - timedelta(days=7)
    assert count(PatrolRound, PatrolRound.observed_at >= since) > 50
    statuses = set(db.session.scalars(select(Finding.status).distinct()))
    assert statuses == {"open", "assigned", "fixed", "verified"}
    assert count(Emergency, Emergency.acknowledged_at.is_(None)) >= 1


def test_coverage_shows_a_heatmap_per_area_with_past_rounds(client, login_as):
    login_as("supervisor")
    body = client.get("/patrol/coverage").get_data(as_text=True)
    assert body.count("<svg class=\"heatmap\"") == 4
    assert body.count("data-day=") == 4 * 30
    assert 'data-level="all"' in body or 'data-level="most"' in body  # not empty: the demo's past week


def test_the_supervisor_home_shows_full_checks_against_policy_and_open_emergencies(client, login_as, ctx, demo):
    login_as("supervisor")
    body = client.get("/overview").get_data(as_text=True)
    assert "data-patrol-overview" in body and body.count("data-spot-checks=") == 4
    assert 'href="/patrol/coverage/officers"' in body  # coverage per area and per officer (R-PAT-1)
    assert "/2" in body  # against the policy (≥ 2 per month, R-SUP-1)
    assert "电梯停在6楼与7楼之间" in body and 'data-poll="/patrol/emergencies/active"' in body


def test_a_spot_check_is_set_beside_the_officers_last_round_with_disagreements(client, login_as, csrf, ctx, demo):
    login_as("officer")
    form, items = round_form(demo, csrf_token=csrf())
    assert client.post("/patrol/round", data=form).status_code == 302
    login_as("supervisor")
    spot, _items = round_form(demo, csrf_token=csrf(), purpose="spot_check")
    spot.update({f"result-{items[0]}": "defect", f"note-{items[0]}": "灯管闪烁"})
    response = client.post("/patrol/round", data=spot)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/patrol/rounds/{spot['record_id']}"  # straight to the comparison
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "data-comparison" in body and body.count("data-disagrees") == 1


def test_a_spot_check_queued_on_the_phone_lands_on_its_comparison_once_it_arrives(client, login_as, csrf, ctx,
                                                                                  demo, users):
    login_as("supervisor")
    form = client.get(f"/patrol/round/new?location_id={demo['lobby']}").get_data(as_text=True)
    result = re.search(r'data-return-since="([^"]+)"', form).group(1).replace("&amp;", "&")
    since = quote((utcnow() - timedelta(seconds=5)).isoformat())
    waiting = client.get(f"{result}&since={since}")
    assert waiting.status_code == 404 and "data-round-pending" in waiting.get_data(as_text=True)
    spot, items = round_form(demo, csrf_token=csrf(), purpose="spot_check")
    assert client.post("/patrol/round", data=spot).status_code == 302
    arrived = client.get(f"{result}&since={since}", headers={"HX-Request": "true"})
    assert arrived.headers["HX-Redirect"] == f"/patrol/rounds/{spot['record_id']}"
    assert client.get(f"{result}&since={since}").headers["Location"] == f"/patrol/rounds/{spot['record_id']}"
    later = quote((utcnow() + timedelta(minutes=5)).isoformat())  # only a round from the moment it was sent
    assert client.get(f"{result}&since={later}").status_code == 404
    login_as("officer")
    assert client.get(result).status_code == 403
    assert 'data-return-url="/today"' in client.get(f"/patrol/round/new?location_id={demo['lobby']}").get_data(
        as_text=True)


def test_qr_sheets_hold_every_active_key_location_url(client, login_as, ctx, demo):
    login_as("supervisor")
    body = client.get("/patrol/qr").get_data(as_text=True)
    active = db.session.scalars(select(KeyLocation.id).where(KeyLocation.active.is_(True))).all()
    assert body.count("data-qr-card=") == len(active) and "<svg" in body
    assert f"/patrol/round/new?location_id={demo['lobby']}#qr" in body


@pytest.mark.parametrize("status", ["open", "assigned", "fixed", "verified", "open_all", "bogus"])
def test_findings_filter_by_status_team_and_area(client, login_as, ctx, demo, status):
    login_as("supervisor")
    response = client.get(f"/patrol/findings?area_id={demo['a1']}&status={status}&team=engineering",
                          headers={"HX-Request": "true"})
    assert response.status_code == 200
    shown = set(re.findall(r'data-finding="([0-9a-f-]{36})"', response.get_data(as_text=True)))
    wanted = {"open_all": {"open", "assigned", "fixed"}, "bogus": {"open", "assigned", "fixed", "verified"}}
    expected = set(db.session.scalars(select(Finding.id).where(
        Finding.area_id == demo["a1"], Finding.team == "engineering",
        Finding.status.in_(wanted.get(status, {status}))).order_by(Finding.received_at.desc()).limit(30)))
    assert shown == expected and shown


def test_a_template_edit_is_a_new_version_and_an_old_round_keeps_its_items(client, login_as, csrf, ctx, demo):
    login_as("officer")
    form, items = round_form(demo, csrf_token=csrf())
    form.update({f"result-{items[0]}": "defect", f"note-{items[0]}": "灯管不亮"})
    assert client.post("/patrol/round", data=form).status_code == 302
    old = db.session.get(ChecklistTemplate, demo["template"])
    rows = {"name_zh": old.name_zh, "name_en": old.name_en, "count": len(old.items) + 1, "csrf_token": None}
    for i, item in enumerate(old.items):
        label = "大堂照明（含应急灯）" if i == 0 else item.label_zh
        rows.update({f"item-{i}-code": item.code, f"item-{i}-label_zh": label, f"item-{i}-label_en": item.label_en,
                     f"item-{i}-team": item.team, f"item-{i}-category": item.category})
    n = len(old.items)
    rows.update({f"item-{n}-label_zh": "信报箱", f"item-{n}-label_en": "Mailboxes", f"item-{n}-team": "engineering",
                 f"item-{n}-category": "building"})
    login_as("supervisor")
    rows["csrf_token"] = csrf()
    assert client.post(f"/patrol/templates/{old.id}/edit", data=rows).status_code == 302
    db.session.expire_all()
    current = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.kind == "lobby",
                                                                ChecklistTemplate.retired_at.is_(None)))
    assert current.version == old.version + 1 and old.retired_at is not None
    assert [i.label_zh for i in current.items][0] == "大堂照明（含应急灯）" and current.items[-1].label_zh == "信报箱"
    done = client.get(f"/patrol/rounds/{form['record_id']}").get_data(as_text=True)
    assert "公共照明" in done and "大堂照明（含应急灯）" not in done and "信报箱" not in done
    fresh = client.get(f"/patrol/round/new?location_id={demo['lobby']}").get_data(as_text=True)
    assert "大堂照明（含应急灯）" in fresh and f'data-template="{current.id}"' in fresh


def test_a_template_edit_with_bad_input_is_refused_and_changes_nothing(client, login_as, csrf, ctx, demo):
    login_as("supervisor")
    before = count(ChecklistTemplate)
    response = client.post(f"/patrol/templates/{demo['template']}/edit",
                           data={"csrf_token": csrf(), "name_zh": "", "name_en": "x", "count": 0})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "flash-error" in body and "field-error" in body  # items, name
    assert count(ChecklistTemplate) == before


# --------------------------------------------------------------------------- what is due, from the database


def local(day, hour, minute=0):
    return day_start_utc(day, tz()) + timedelta(hours=hour, minutes=minute)


def full_round(area_id, user_id, at):
    return PatrolRound(id=str(uuid.uuid4()), area_id=area_id, kind="full", purpose="patrol", start_method="list",
                       checks=[], created_by=user_id, observed_at=at, received_at=at, updated_at=at)


def test_area_due_across_the_week_boundary_in_shanghai_time_with_a_location_added_mid_week(ctx, demo, users):
    today = local_date(utcnow(), tz()) + timedelta(days=40)
    monday = today + timedelta(days=(7 - today.weekday()) % 7)  # a Monday well after the demo history
    area = db.session.get(Area, demo["a1"])
    # Sunday 23:30 in Shanghai (15:30 UTC): last week's full round.
    db.session.add(full_round(area.id, users["officer"].id, local(monday - timedelta(days=1), 23, 30)))
    db.session.commit()
    assert queries.area_due(area, local(monday, 10)).full_status == rules.DUE  # a new week: due, not overdue
    # Monday 00:10 in Shanghai is still Sunday (16:10) in UTC: it counts for the new week.
    db.session.add(full_round(area.id, users["officer"].id, local(monday, 0, 10)))
    db.session.commit()
    assert queries.area_due(area, local(monday, 10)).full_status == rules.DONE
    assert queries.area_due(area, local(monday - timedelta(days=1), 23, 50)).full_status == rules.DONE

    wednesday = monday + timedelta(days=2)
    added = KeyLocation(area_id=area.id, kind="public_works", name="3栋外墙维修", created_at=local(wednesday, 9))
    db.session.add(added)
    db.session.commit()
    db.session.refresh(area)

    def status(at):
        return {ld.location.id: ld.status for ld in queries.area_due(area, at).locations}.get(added.id)

    assert status(local(wednesday - timedelta(days=1), 10)) is None  # before the day it was added: not due
    assert status(local(wednesday, 10)) == rules.DUE  # added today: due, not overdue
    assert status(local(wednesday + timedelta(days=1), 10)) == rules.OVERDUE  # Wednesday passed without a round


# --------------------------------------------------------------------------- emergencies (R-PAT-5)


def open_emergency_id() -> str:
    return db.session.scalar(select(Emergency.id).where(Emergency.acknowledged_at.is_(None)))


@pytest.mark.parametrize("role", ["officer", "team", "frontdesk"])
def test_only_leads_acknowledge_an_emergency(client, login_as, csrf, ctx, role):
    login_as(role)
    emergency = open_emergency_id()
    assert client.post(f"/patrol/emergencies/{emergency}/acknowledge", data={"csrf_token": csrf()}).status_code == 403
    assert db.session.get(Emergency, emergency).acknowledged_at is None


def test_acknowledging_needs_csrf_and_an_emergency_that_exists(client, login_as, csrf, ctx):
    login_as("supervisor")
    emergency = open_emergency_id()
    assert client.post(f"/patrol/emergencies/{emergency}/acknowledge").status_code in (400, 403)
    assert client.post(f"/patrol/emergencies/{uuid.uuid4()}/acknowledge", data={"csrf_token": csrf()}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Emergency, emergency).acknowledged_at is None
    response = client.post(f"/patrol/emergencies/{emergency}/acknowledge", data={"csrf_token": csrf()},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "电梯停在6楼与7楼之间" not in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Emergency, emergency).acknowledged_by is not None


def test_the_emergency_button_is_on_every_screen_and_the_form_returns_home(client, login_as):
    for role, home in (("officer", "/today"), ("team", "/today"), ("frontdesk", "/overview")):
        login_as(role)
        for url in ("/me", "/patrol/findings" if role != "frontdesk" else "/patrol/emergencies"):
            assert "data-fab-emergency" in client.get(url).get_data(as_text=True), (role, url)
        form = client.get("/patrol/emergency/new").get_data(as_text=True)
        assert f'data-return-url="{home}"' in form and "data-fab-emergency" not in form


@pytest.mark.parametrize("role, home, shown, hidden", [
    ("officer", "/today", ["data-patrol-today", 'id="patrol-emergencies"'], ["data-patrol-overview"]),
    ("team", "/today", ['id="patrol-team-h"'], ["data-patrol-today", "data-patrol-overview"]),
    ("supervisor", "/overview", ["data-patrol-overview", 'id="patrol-emergencies"'], ["data-patrol-today"]),
    ("manager", "/overview", ["data-patrol-overview", 'id="patrol-emergencies"'], ["data-patrol-today"]),
    ("frontdesk", "/overview", ['id="patrol-emergencies"'], ["data-patrol-overview", "data-patrol-today"]),
])
def test_home_page_sections_by_role(client, login_as, role, home, shown, hidden):
    login_as(role)
    body = client.get(home).get_data(as_text=True)
    assert all(s in body for s in shown), role
    assert not any(h in body for h in hidden), role


# --------------------------------------------------------------------------- robustness, labels, resident findings


def test_a_half_position_stored_earlier_never_breaks_the_pages(client, login_as, ctx, demo, users):
    """Positions are refused unless both halves come (test_sync.py); one stored before that rule (or by
    hand) still renders everywhere it shows — the round page, Today, the overview."""
    at = utcnow()
    done = PatrolRound(id=str(uuid.uuid4()), area_id=demo["a1"], key_location_id=demo["lobby"], kind="key",
                       purpose="patrol", start_method="qr", checks=[], latitude=31.2, longitude=None,
                       created_by=users["officer"].id, observed_at=at, received_at=at, updated_at=at)
    alarm = Emergency(id=str(uuid.uuid4()), estate_id=demo["estate"], area_id=demo["a1"], kind="fire",
                      description="半个位置", latitude=None, longitude=121.5, created_by=users["officer"].id,
                      observed_at=at, received_at=at, updated_at=at)
    db.session.add_all([done, alarm])
    db.session.commit()
    login_as("officer")
    page = client.get(f"/patrol/rounds/{done.id}")
    assert page.status_code == 200 and "手机未提供位置" in page.get_data(as_text=True)
    assert "半个位置" in client.get("/today").get_data(as_text=True)
    login_as("supervisor")
    assert "半个位置" in client.get("/overview").get_data(as_text=True)


def test_the_acknowledge_form_sends_a_note_and_the_card_shows_the_photos(client, login_as, csrf, ctx):
    login_as("supervisor")
    emergency = db.session.get(Emergency, open_emergency_id())
    body = client.get("/overview").get_data(as_text=True)
    card = body[body.index(f'data-emergency="{emergency.id}"'):]
    card = card[:card.index("</article>")]
    assert 'name="ack_note"' in card
    assert f"/sync/media/{emergency.photo_ids[0]}" in card  # the demo report came with a photo
    response = client.post(f"/patrol/emergencies/{emergency.id}/acknowledge",
                           data={"csrf_token": csrf(), "ack_note": "已通知电梯公司，10分钟到场"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Emergency, emergency.id).ack_note == "已通知电梯公司，10分钟到场"


def test_a_template_page_shows_team_names_and_headers_in_chinese(client, login_as, demo):
    login_as("supervisor")
    body = client.get(f"/patrol/templates/{demo['template']}").get_data(as_text=True)
    assert "工程部" in body
    assert ">engineering<" not in body and ">English<" not in body


def test_a_team_sees_no_link_to_the_round_it_could_not_open(client, login_as, demo):
    login_as("team")
    body = client.get(f"/patrol/findings/{demo['a1_finding']}").get_data(as_text=True)
    assert "/patrol/rounds/" not in body
    login_as("officer")
    assert "/patrol/rounds/" in client.get(f"/patrol/findings/{demo['a1_finding']}").get_data(as_text=True)


def test_the_officers_today_counts_open_findings_affecting_residents_and_the_list_filters_them(client, login_as,
                                                                                             ctx, demo):
    wanted = set(db.session.scalars(select(Finding.id).where(
        Finding.area_id == demo["a1"], Finding.resident_impact.is_(True),
        Finding.status.in_(("open", "assigned", "fixed")))))
    assert wanted  # the demo has some (access control, doors)
    login_as("officer")
    today = client.get("/today").get_data(as_text=True)
    assert f'data-resident-findings="{len(wanted)}"' in today
    listing = client.get("/patrol/findings?status=open_all&residents=1", headers={"HX-Request": "true"})
    assert set(re.findall(r'data-finding="([0-9a-f-]{36})"', listing.get_data(as_text=True))) == wanted


# --------------------------------------------------------------------------- checklists: validation, per location


def template_rows(template, **changes) -> dict:
    rows = {"name_zh": template.name_zh, "name_en": template.name_en, "count": len(template.items)}
    for i, item in enumerate(template.items):
        rows.update({f"item-{i}-code": item.code, f"item-{i}-label_zh": item.label_zh,
                     f"item-{i}-label_en": item.label_en, f"item-{i}-team": item.team,
                     f"item-{i}-category": item.category})
    rows.update(changes)
    return rows


@pytest.mark.parametrize("changes, field, message", [
    ({"name_zh": "长" * 65}, "name_zh", "名称最多 64 个字"),
    ({"name_en": "x" * 65}, "name_en", "名称最多 64 个字"),
    ({"item-1-code": "lighting"}, "item-1-label_zh", "出现了两次"),
    ({"item-0-category": "weather"}, "item-0-category", "请选择类别"),
    ({"item-0-label_en": "x" * 129}, "item-0-label_en", "最多 128"),
])
def test_a_bad_checklist_edit_says_what_is_wrong_next_to_the_field(client, login_as, csrf, ctx, demo, changes,
                                                                  field, message):
    template = db.session.get(ChecklistTemplate, demo["template"])
    login_as("supervisor")
    before = count(ChecklistTemplate)
    response = client.post(f"/patrol/templates/{template.id}/edit", data={**template_rows(template, **changes),
                                                                           "csrf_token": csrf()})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body, body[body.find("field-error") - 200:][:600]
    assert count(ChecklistTemplate) == before


def test_a_roof_location_mapped_to_the_roof_checklist_is_patrolled_with_it(client, login_as, csrf, ctx, demo):
    """R-PAT-2: the supervisor chooses which checklist a key location gets; rounds then use it."""
    roof_place = KeyLocation(area_id=demo["a1"], kind="other", name="1栋天面")
    db.session.add(roof_place)
    db.session.commit()
    roof = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.kind == "roof",
                                                             ChecklistTemplate.retired_at.is_(None)))
    login_as("officer")
    assert f'data-template="{roof.id}"' not in client.get(f"/patrol/round/new?location_id={roof_place.id}").get_data(
        as_text=True)
    assert client.get("/patrol/templates/locations").status_code == 403  # the supervisor's choice
    login_as("supervisor")
    page = client.get("/patrol/templates/locations").get_data(as_text=True)
    assert f'name="loc-{roof_place.id}"' in page and 'name="kind-lobby"' in page
    response = client.post("/patrol/templates/locations", data={"csrf_token": csrf(), f"loc-{roof_place.id}": "roof"})
    assert response.status_code == 302
    login_as("officer")
    form = client.get(f"/patrol/round/new?location_id={roof_place.id}").get_data(as_text=True)
    assert f'data-template="{roof.id}"' in form and "天面门按规定锁闭" in form
    post = {"area_id": demo["a1"], "key_location_id": roof_place.id, "kind": "key", "record_id": str(uuid.uuid4()),
            "csrf_token": csrf(), **{f"result-{i.id}": "ok" for i in roof.items}}
    assert client.post("/patrol/round", data=post).status_code == 302
    assert db.session.get(PatrolRound, post["record_id"]) is not None


def test_a_type_of_key_location_can_get_another_checklist_and_bad_choices_change_nothing(client, login_as, csrf,
                                                                                        ctx, demo):
    login_as("supervisor")
    bad = client.post("/patrol/templates/locations", data={"csrf_token": csrf(), "kind-lobby": "spaceship"})
    assert bad.status_code == 422 and "请从巡查表中选择一个" in bad.get_data(as_text=True)
    lift = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.kind == "lift",
                                                             ChecklistTemplate.retired_at.is_(None)))
    assert f'data-template="{lift.id}"' not in client.get(f"/patrol/round/new?location_id={demo['lobby']}").get_data(
        as_text=True)
    assert client.post("/patrol/templates/locations", data={"csrf_token": csrf(), "kind-lobby": "lift"}).status_code == 302
    assert f'data-template="{lift.id}"' in client.get(f"/patrol/round/new?location_id={demo['lobby']}").get_data(
        as_text=True)


def test_coverage_per_officer_credits_each_round_to_who_did_it(client, login_as, ctx, demo, users):
    """R-PAT-1 per officer: lina (南区) patrols a lobby of wangxm's 东区 today — it shows as covered for
    wangxm and as a round elsewhere for lina, not as wangxm's own work."""
    login_as("supervisor")

    def kpis(body, officer_id):
        card = body[body.index(f'data-officer-coverage="{officer_id}"'):]
        card = card[:card.index("</section>")]
        return dict(re.findall(r'data-kpi="(\w+)">([^<]+)<', card)), card

    before = client.get("/patrol/coverage/officers").get_data(as_text=True)
    at = utcnow()
    db.session.add(PatrolRound(id=str(uuid.uuid4()), area_id=demo["a1"], key_location_id=demo["lobby"], kind="key",
                               purpose="patrol", start_method="qr", checks=[], created_by=users["officer2"].id,
                               observed_at=at, received_at=at, updated_at=at))
    db.session.commit()
    after = client.get("/patrol/coverage/officers").get_data(as_text=True)
    (mine_before, _), (mine_after, card) = kpis(before, users["officer"].id), kpis(after, users["officer"].id)
    (lina_before, _), (lina_after, _) = kpis(before, users["officer2"].id), kpis(after, users["officer2"].id)
    assert mine_after["key"] == mine_before["key"]  # not wangxm's work
    assert int(mine_after["covered"]) == int(mine_before["covered"]) + 1
    assert int(lina_after["elsewhere"]) == int(lina_before["elsewhere"]) + 1
    assert "东区" in card and 'class="heatmap"' in card
    assert after.count("data-officer-coverage=") == 4  # the estate's officers


@pytest.mark.parametrize("role, status", [("officer", 403), ("team", 403), ("frontdesk", 403), ("manager", 200)])
def test_coverage_per_officer_is_for_leads(client, login_as, role, status):
    login_as(role)
    assert client.get("/patrol/coverage/officers").status_code == status

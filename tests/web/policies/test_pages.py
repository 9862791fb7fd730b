"""Per-estate policy settings: read by leads, changed by the manager, every change recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.policies.catalogue import SETTINGS
from webapp.policies.models import PolicyChange, PolicyValue

ROLES = ("officer", "officer2", "supervisor", "manager", "frontdesk", "team", "admin")
READERS = {"supervisor", "manager", "admin"}


def form(csrf, **changes) -> dict:
    """Every setting at its default, with `changes`, as the page would submit it."""
    return {"csrf_token": csrf("/policies/"), **{s.key: str(s.default) for s in SETTINGS},
            **{k: str(v) for k, v in changes.items()}}


def stored(app):
    with app.app_context():
        values = dict(db.session.execute(select(PolicyValue.key, PolicyValue.value)).all())
        changes = db.session.scalar(select(func.count()).select_from(PolicyChange))
        db.session.remove()
        return values, changes


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/policies/", "/policies/history"])
def test_pages_by_role(client, login_as, role, url):
    login_as(role)
    assert client.get(url).status_code == (200 if role in READERS else 403)


def test_anonymous_users_are_sent_to_log_in(client):
    assert client.get("/policies/").status_code == 302


def test_the_page_lists_every_setting_with_rule_default_and_unit_in_chinese(client, login_as):
    login_as("manager")
    page = client.get("/policies/").get_data(as_text=True)
    assert "制度参数" in page and "默认值" in page
    for setting in SETTINGS:
        assert f'name="{setting.key}"' in page and setting.rule in page
    assert "新工作分配表审批时限" in page and "日常巡查" in page and "天" in page
    assert "与默认值不同" not in page


@pytest.mark.parametrize("role", ["supervisor"])
def test_supervisors_read_only(client, login_as, csrf, app, role):
    login_as(role)
    page = client.get("/policies/").get_data(as_text=True)
    assert 'name="table_reapproval_days"' not in page and "只有物业服务中心负责人可以修改" in page
    assert client.post("/policies/", data=form(csrf, table_reapproval_days=5)).status_code == 403
    assert stored(app) == ({}, 0)


@pytest.mark.parametrize("role", ["officer", "frontdesk", "team"])
def test_others_may_not_change_settings(client, login_as, csrf, app, role):
    login_as(role)
    assert client.post("/policies/", data=form(csrf, table_reapproval_days=5)).status_code == 403
    assert stored(app) == ({}, 0)


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_a_valid_change_is_stored_and_recorded(client, login_as, csrf, app, users, role):
    who = login_as(role)
    r = client.post("/policies/", data=form(csrf, table_reapproval_days=5, monthly_visit_pct=4))
    assert r.status_code == 302
    values, changes = stored(app)
    assert values == {"table_reapproval_days": 5, "monthly_visit_pct": 4} and changes == 2
    page = client.get("/policies/").get_data(as_text=True)
    assert "已修改 2 项设置" in page and "与默认值不同" in page
    with app.app_context():
        change = db.session.scalar(select(PolicyChange).where(PolicyChange.key == "table_reapproval_days"))
        assert (change.old_value, change.new_value, change.changed_by) == (3, 5, who.id)
        db.session.remove()


def test_submitting_unchanged_values_changes_nothing(client, login_as, csrf, app):
    login_as("manager")
    client.post("/policies/", data=form(csrf))
    assert stored(app) == ({}, 0)
    assert "已修改 0 项设置" in client.get("/policies/").get_data(as_text=True)


@pytest.mark.parametrize(("bad", "message"), [
    ({"complaint_callback_days": "abc"}, "请输入整数"),
    ({"monthly_visit_pct": "101"}, "请输入 0 到 100 之间的数字"),
    ({"full_patrol_days": ""}, "请输入整数"),
    ({"repair_callback_min_days": "90", "repair_callback_max_days": "60"}, "不能早于维修回访最早时间"),
])
def test_an_invalid_field_stores_nothing(client, login_as, csrf, app, bad, message):
    login_as("manager")
    data = form(csrf, table_reapproval_days=5) | bad
    r = client.post("/policies/", data=data)
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and message in page and "未保存任何修改" in page
    key = next(iter(bad)) if "repair_callback_max_days" not in bad else "repair_callback_max_days"
    assert f'id="e-{key}"' in page and f'value="{data[key]}"' in page  # the typed value is kept
    assert stored(app) == ({}, 0)


def test_missing_csrf_is_refused_and_nothing_is_stored(client, login_as, csrf, app):
    login_as("manager")
    data = form(csrf, table_reapproval_days=5)
    del data["csrf_token"]
    assert client.post("/policies/", data=data).status_code == 400
    assert stored(app) == ({}, 0)


def test_history_newest_first_with_old_and_new(client, login_as, csrf):
    login_as("manager")
    client.post("/policies/", data=form(csrf, table_reapproval_days=5))
    client.post("/policies/", data=form(csrf, table_reapproval_days=7))
    login_as("supervisor")
    page = client.get("/policies/history").get_data(as_text=True)
    assert "修改记录" in page and "赵刚" in page and "R-AREA-3" in page
    assert page.index("5 → <strong>7</strong>") < page.index("3 → <strong>5</strong>")


def test_history_is_paginated_and_pages_swap_in_place(client, login_as, csrf, app):
    login_as("manager")
    for value in range(4, 30):  # 26 changes
        client.post("/policies/", data=form(csrf, key_loan_chase_days=value))
    assert stored(app)[1] == 26
    first = client.get("/policies/history").get_data(as_text=True)
    assert "第 1 页，共 2 页" in first and first.count("<tr>") == 21  # header + 20
    r = client.get("/policies/history?page=2", headers={"HX-Request": "true"})
    second = r.get_data(as_text=True)
    assert "<html" not in second and 'id="history"' in second and second.count("<tr>") == 7
    assert "<html" in client.get("/policies/history?page=2").get_data(as_text=True)

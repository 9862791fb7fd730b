"""Issue 10 (7): a finding's conflict in the supervisor's words — team cleaning → its label, the field
`team` → 班组, who routed it and who sent the other routing, a link to the finding."""

from __future__ import annotations

from sqlalchemy import select

from sync.models import Conflict
from tests.web.patrol.test_sync import _finding, mutation
from webapp.extensions import db
from webapp.kernel.roles import Team
from webapp.patrol.models import Finding


def test_a_routing_clash_shows_team_labels_authors_and_the_finding(phone, place, ctx, users):
    finding = _finding(phone, place)
    phone.login("officer")  # routes it to the cleaning contractor, online
    assert phone.push(mutation("patrol_finding", {"team": "cleaning"}, op="update", record_id=finding.id,
                               base_version=1))[0]["status"] == "applied"
    phone.login("supervisor")  # had routed it to security offline, from the same version
    result = phone.push(mutation("patrol_finding", {"team": "security"}, op="update", record_id=finding.id,
                                 base_version=1))[0]
    assert result["status"] == "conflict"
    kept = db.session.scalar(select(Conflict).where(Conflict.record_id == finding.id))
    page = phone.client.get(f"/conflicts/{kept.id}").get_data(as_text=True)
    cleaning, security = Team.CLEANING.label, Team.SECURITY.label
    assert f'data-side="server">{cleaning}<' in page and f'data-side="device">{security}<' in page
    assert '<th scope="row">班组' in page
    for code in (">cleaning<", ">security<", ">team<", "patrol_finding"):
        assert code not in page, code
    assert f"{users['officer'].display_name}保存" in page
    assert f"{users['supervisor'].display_name}的手机提交" in page
    assert f'href="/patrol/findings/{finding.id}"' in page
    assert f'<option value="security" selected>{security}</option>' in page  # edit by label, sent as the code
    inbox = phone.client.get("/conflicts/").get_data(as_text=True)
    assert "问题 · 班组" in inbox


def test_the_supervisor_picks_a_third_team_by_its_label_and_it_lands_as_the_code(phone, place, ctx):
    finding = _finding(phone, place)
    phone.login("officer")
    phone.push(mutation("patrol_finding", {"team": "cleaning"}, op="update", record_id=finding.id, base_version=1))
    phone.login("supervisor")
    phone.push(mutation("patrol_finding", {"team": "security"}, op="update", record_id=finding.id, base_version=1))
    kept = db.session.scalar(select(Conflict).where(Conflict.record_id == finding.id))
    assert f'<option value="greening">{Team.GREENING.label}</option>' in phone.client.get(
        f"/conflicts/{kept.id}").get_data(as_text=True)
    answer = phone.client.post(f"/conflicts/{kept.id}", data={"choice": "edit", "field_team": "greening",
                                                               "csrf_token": phone.token})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Finding, finding.id).team == "greening"
    resolved = phone.client.get(f"/conflicts/{kept.id}").get_data(as_text=True)
    assert "保存了编辑后的版本" in resolved and ">edit<" not in resolved

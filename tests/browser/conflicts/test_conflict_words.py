"""Issue 10 (7) on a supervisor's 360 × 740 phone in Chinese: the conflicts inbox and a conflict read in
words — the reason in Chinese, 班组 and the teams' names instead of `team` and `cleaning`, who made each side,
a link to the record — with no serious accessibility problem."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from sync import engine
from tests.browser.app.test_phone_layout_browser import serious_violations
from tests.browser.conftest import db_query
from tests.browser.pwa.test_outbox_words import shot
from webapp.areas.models import Area
from webapp.auth.models import User
from webapp.extensions import db
from webapp.kernel.scopes import actor_for
from webapp.kernel.syncing import entities
from webapp.patrol.models import Finding, FindingStatus


def push(who: str, entity: str, record: str, op: str, base, fields: dict) -> dict:
    user = db.session.scalar(select(User).where(User.username == who))
    mutation = {"mutation_id": str(uuid.uuid4()), "entity": entity, "record_id": record, "op": op,
                "base_version": base, "fields": fields, "observed_at": datetime.now(UTC).isoformat()}
    [result] = engine.push(db.session, actor_for(user, f"phone-{who}"), entities(),
                           {"device_id": f"phone-{who}", "mutations": [mutation]})["results"]
    return result


def routing_clash() -> tuple[str, str]:
    """An open finding of 东区 routed to cleaning online while the supervisor, offline, sent it to security."""
    east = db.session.scalar(select(Area.id).where(Area.name == "东区"))
    finding = db.session.scalar(select(Finding).where(Finding.area_id == east, Finding.status == FindingStatus.OPEN,
                                                      Finding.team != "cleaning").order_by(Finding.observed_at))
    base = finding.version
    assert push("wangxm", "patrol_finding", finding.id, "update", base, {"team": "cleaning"})["status"] == "applied"
    result = push("chenjing", "patrol_finding", finding.id, "update", base, {"team": "security"})
    assert result["status"] == "conflict", result
    return result["conflict_id"], finding.id


def test_the_conflicts_inbox_and_a_conflict_read_in_words(page, pwa, app):
    conflict_id, finding_id = db_query(app, routing_clash)
    pwa.login(page, "supervisor")
    page.goto("/conflicts/")
    item = page.locator(f"li:has(a[href='/conflicts/{conflict_id}'])")
    assert "问题 · 班组" in item.inner_text() and "别人已改过同一项内容" in item.inner_text()
    shot(page, "conflicts-inbox")
    assert serious_violations(page) == []

    item.locator("a").click()
    page.wait_for_url(f"**/conflicts/{conflict_id}")
    main = page.locator("main").inner_text()
    for code in ("cleaning", "security", "patrol_finding", "Someone else"):
        assert code not in main, code
    assert page.locator("tr.is-conflict th").inner_text().startswith("班组")
    assert page.locator("tr.is-conflict td[data-side=server]").inner_text() == "清洁外包"
    assert page.locator("tr.is-conflict td[data-side=device]").inner_text() == "安防部"
    assert "王晓明保存" in page.locator("[data-side-author=server]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "conflict-detail")
    assert serious_violations(page) == []
    page.locator("[data-record-link]").click()
    page.wait_for_url(f"**/patrol/findings/{finding_id}")

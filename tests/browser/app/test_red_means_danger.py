"""Issue 10 (9) on a 360 × 740 phone in Chinese: red means danger, overdue or a destructive confirmation only
(UX.md). An open finding, a spot-check's disagreements and a violation still within its deadline are work to
do — amber, not red; a violation past its deadline is red and says 逾期."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from sync.store import utcnow
from tests.browser.app.test_phone_layout_browser import serious_violations
from tests.browser.conftest import db_query
from webapp.areas.models import Area
from webapp.extensions import db
from webapp.renovation.models import Renovation, Violation


def is_red(colour: str) -> bool:
    """Solid or tinted red: the danger red (#b3261e) and its light background (#fde8e6)."""
    r, g, b = (int(v) for v in re.findall(r"\d+", colour)[:3])
    return r > g + 20 and r > b + 20


def backgrounds(locator) -> list[tuple[str, str]]:
    return locator.evaluate_all("(els) => els.map((el) => [el.textContent.trim(), getComputedStyle(el).backgroundColor])")


def test_open_findings_are_amber_not_red(page, pwa):
    pwa.login(page, "supervisor")
    page.goto("/patrol/findings?status=open")
    chips = page.locator("[data-finding-status=open]")
    chips.first.wait_for()
    assert [text for text, bg in backgrounds(chips) if is_red(bg)] == []
    assert serious_violations(page) == []


def open_violation(app) -> tuple[int, str]:
    def find():
        east = db.session.scalar(select(Area.id).where(Area.name == "东区"))
        ren = db.session.scalar(select(Renovation).where(Renovation.area_id == east,
                                                         Renovation.status == "in_progress").order_by(Renovation.id))
        found = db.session.scalar(select(Violation.id).where(Violation.renovation_id == ren.id,
                                                            Violation.fixed_at.is_(None)))
        assert found, "the demo has an open violation here"
        return ren.id, found

    return db_query(app, find)


def due_in(app, violation_id: str, days: int) -> None:
    def move():
        db.session.get(Violation, violation_id).deadline = (utcnow() + timedelta(days=days)).date()
        db.session.commit()

    db_query(app, move)


def test_a_violation_is_red_only_once_it_is_overdue(page, pwa, app):
    ren_id, violation_id = open_violation(app)
    pwa.login(page, "officer")
    for days in (5, -3):
        due_in(app, violation_id, days)
        page.goto(f"/renovation/{ren_id}")
        [(text, bg)] = backgrounds(page.locator(f"[data-violation='{violation_id}'] .chip"))
        assert is_red(bg) == (days < 0), (days, text, bg)
        assert ("逾期" in text) == (days < 0), (days, text)
    assert serious_violations(page) == []

"""The demo estate's visits and matters (webapp/residents/demo.py): half a year of them, an area behind, overdue
matters, and every derived number agrees with the rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from webapp.areas.models import Area
from webapp.extensions import db
from webapp.kernel.dates import local_date
from webapp.kernel.demo import ZONE
from webapp.residents import queries, rules
from webapp.residents.models import Case, CaseEvent, Visit


def test_half_a_year_of_visits_in_every_area(ctx):
    today = local_date(datetime.now(UTC), ZONE)
    areas = db.session.scalars(select(Area).order_by(Area.code)).all()
    for area in areas:
        first = db.session.scalar(select(func.min(Visit.visited_at)).where(Visit.area_id == area.id))
        assert today - local_date(first, ZONE) > timedelta(days=120), area.name
    progress = {a.name: queries.area_progress(a.id, a.estate_id, today, ZONE) for a in areas}
    assert progress["东区"]["month"].behind and not progress["南区"]["month"].behind
    assert all(p["phone"].done <= p["phone"].required for p in progress.values())


def test_the_demo_matters_follow_their_life_and_some_are_overdue(ctx):
    today = local_date(datetime.now(UTC), ZONE)
    cases = db.session.scalars(select(Case)).all()
    assert sum(rules.overdue(c.status, c.due_on, today) for c in cases) >= 4
    assert {c.type for c in cases} > {"repair", "complaint"}
    for case in cases:
        steps = db.session.scalars(select(CaseEvent.status).where(CaseEvent.case_id == case.id)
                                   .order_by(CaseEvent.received_at)).all()
        assert steps[0] == "received" and steps[-1] == case.status
        assert all(rules.can_move(a, b) for a, b in zip(steps, steps[1:], strict=False))
        assert case.id == rules.case_id(case.visit_id, 0) or case.id == rules.case_id(case.visit_id, 1)


def test_the_officer_behind_sees_it_today(client, login_as):
    login_as("officer")
    page = client.get("/today").get_data(as_text=True)
    assert "东区：本月还需家访" in page and "data-residents-today" in page
    login_as("zhangwei")  # 西区 visits at about half the pace all along
    assert "西区：全年走访进度落后" in client.get("/today").get_data(as_text=True)


def test_the_visits_page_shows_each_areas_last_six_months(client, login_as):
    """R-VIS-1: each area's last six months as columns, each with its numbers as text, the quota a line."""
    import re

    login_as("supervisor")
    page = client.get("/residents/").get_data(as_text=True)
    charts = re.findall(r'data-months="(\d+)"', page)
    assert len(charts) == 4
    first = page[page.index('data-months="'):]
    first = first[:first.index("</figure>")]
    months = re.findall(r'data-column="[^"]+" data-value="(\d+)/(\d+)"', first)
    assert len(months) == 6 and 'class="chart-target"' in first
    for done, required in months:  # the text above each column is the same figure
        assert f">{done}/{required}</text>" in first


def test_the_month_quota_is_due_on_the_months_last_day(app, users):
    from calendar import monthrange

    from webapp.auth.models import User
    from webapp.estate.models import Estate
    from webapp.residents.obligations import visit_quota_obligations

    now = datetime.now(UTC)
    today = local_date(now, ZONE)
    with app.test_request_context():
        officer = db.session.get(User, users["officer"].id)
        [month, *_] = visit_quota_obligations(officer, db.session.scalar(select(Estate)), now)
        db.session.remove()
    assert local_date(month.due, ZONE) == today.replace(day=monthrange(today.year, today.month)[1])

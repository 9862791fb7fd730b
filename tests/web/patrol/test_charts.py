"""Issue 10.8, charts where people would rather look than read, on the demo estate: coverage leads with the
areas (and the officers) side by side, finding ages are a histogram, every chart is an SVG named and
described by its numbers with the numbers as text too; the heat-map says each day's state in the cell and
leaves today in progress until the estate's day is over (R-PAT-1, R-PAT-4, R-SUP-1); the pages read in
bulk, not once per area."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, time, timedelta
from unittest import mock

import pytest
from sqlalchemy import event, func, select

from sync.store import utcnow
from webapp.areas.models import Area
from webapp.auth.models import User
from webapp.estate.models import Estate
from webapp.extensions import db
from webapp.kernel.dates import local_date, tz
from webapp.patrol import hooks, views_desk
from webapp.patrol.models import Finding
from webapp.patrol.queries import OPEN_STATUSES

AREAS = ("东区", "南区", "西区", "北区")
OFFICERS = ("王晓明", "李娜", "张伟", "刘洋")


def charts_in(body: str) -> dict[str, dict]:
    """Each chart SVG of a page by its data-chart id: its role, accessible name and description (from the
    ids aria-labelledby names), and its numbers as drawn (the .chart-value texts)."""
    found = {}
    for chart_id, svg in re.findall(r'<figure class="chart[^"]*" data-chart="([^"]+)">.*?(<svg class="chart-svg".*?</svg>)',
                                    body, re.S):
        root = ET.fromstring(svg)
        by_id = {el.get("id"): "".join(el.itertext()).strip() for el in root.iter() if el.get("id")}
        name_id, desc_id = root.get("aria-labelledby").split()
        found[chart_id] = {"role": root.get("role"), "name": by_id[name_id], "desc": by_id[desc_id],
                           "values": [t.text for t in root.iter("text") if "chart-value" in (t.get("class") or "")],
                           "labels": [t.text for t in root.iter("text") if "chart-label" in (t.get("class") or "")]}
    return found


def assert_accessible(chart: dict, names=()):
    assert chart["role"] == "img" and chart["name"], chart
    assert all(name in chart["desc"] for name in names), chart["desc"]
    assert all(re.search(r"\d", v) for v in chart["values"]), chart["values"]  # the numbers are text, not colour


def kpis(body: str, marker: str) -> dict[str, dict[str, str]]:
    """The key numbers of each card (data-coverage / data-officer-coverage), by its heading's name."""
    found = {}
    for card in body.split(f'{marker}="')[1:]:
        card = card[:card.index("</section>")]
        name = re.search(r'<h2[^>]*>(?:<a[^>]*>)?([^<]+)<', card).group(1).strip()
        found[name] = dict(re.findall(r'data-kpi="(\w+)"[^>]*>([^<]+)<', card))
    return found


def test_coverage_leads_with_the_areas_side_by_side(client, login_as):
    login_as("supervisor")
    body = client.get("/patrol/coverage").get_data(as_text=True)
    assert body.index("data-compare-areas") < body.index('data-coverage="')  # the picture first
    charts = charts_in(body)
    assert set(charts) == {"cmp-key", "cmp-full", "cmp-spot", "cmp-ages"}
    for chart in charts.values():
        assert_accessible(chart, AREAS)
        assert chart["labels"] == list(AREAS)
    numbers = kpis(body, "data-coverage")
    # the key numbers below are the chart's numbers: done of due key-location rounds, full inspections, open findings
    assert charts["cmp-key"]["values"] == [numbers[a]["key"].replace("/", " / ") for a in AREAS]
    assert charts["cmp-spot"]["values"] == [numbers[a]["spot"].replace("/", " / ") for a in AREAS]
    assert charts["cmp-ages"]["values"] == [numbers[a]["open"] for a in AREAS]
    assert "目标" in body or "制度要求" in body  # the spot-check target is named in the legend


def test_coverage_per_officer_leads_with_the_officers_side_by_side(client, login_as):
    login_as("supervisor")
    body = client.get("/patrol/coverage/officers").get_data(as_text=True)
    assert body.index("data-compare-officers") < body.index('data-officer-coverage="')
    charts = charts_in(body)
    assert set(charts) == {"cmp-key", "cmp-full"}
    for chart in charts.values():
        assert_accessible(chart, OFFICERS)
        assert sorted(chart["labels"]) == sorted(OFFICERS)
    numbers = kpis(body, "data-officer-coverage")
    for label, value in zip(charts["cmp-key"]["labels"], charts["cmp-key"]["values"], strict=True):
        done = numbers[label]["key"].split("/")[0]
        assert value.split(" / ")[0] == done, (label, value, numbers[label])


def test_the_heatmap_reads_without_colour(client, login_as):
    """Each day shows ✓, done/due or – in its cell; the legend is HTML text; the SVG is named and described."""
    login_as("supervisor")
    body = client.get("/patrol/coverage").get_data(as_text=True)
    heatmaps = re.findall(r'(<svg class="heatmap".*?</svg>)', body, re.S)
    assert len(heatmaps) == 4
    for svg in heatmaps:
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and all(root.find(f".//*[@id='{i}']") is not None
                                                 for i in root.get("aria-labelledby").split())
        for day in root.iter("g"):
            level, done, due = day.get("data-level"), day.get("data-done"), day.get("data-due")
            marks = [t.text for t in day.iter("text")][1:] + ["✓" for _ in day.iter("path")]  # [0] is the date
            expected = {"all": "✓", "none": "–"}.get(level, f"{done}/{due}")
            assert marks == [expected], (day.get("data-day"), level, marks)
    legend = body[body.index('<ul class="heat-legend">'):]
    legend = legend[:legend.index("</ul>")]
    assert legend.count("<li>") == 6 and "今天，进行中" in legend and "无任务" in legend


def test_today_is_in_progress_until_the_estates_day_ends_then_missed(client, login_as, ctx):
    """The demo has nothing done today. At 23:59 in Shanghai today is in progress (not red, not missed);
    at 00:01 the next day it was missed (R-PAT-1)."""
    login_as("supervisor")
    east = db.session.scalar(select(Area).where(Area.name == "东区"))
    today = local_date(utcnow(), tz())
    cell = f'data-day="{today.isoformat()}" data-level="'

    def level_at(moment):
        with mock.patch.object(views_desk, "utcnow", return_value=moment):
            body = client.get(f"/patrol/coverage/{east.id}").get_data(as_text=True)
        desc = re.search(r'<desc id="heat-area-\d+-d">([^<]*)</desc>', body).group(1)
        return body[body.index(cell) + len(cell):].split('"')[0], desc

    late = datetime.combine(today, time(23, 59), tzinfo=tz())
    (before, said_before), (after, said_after) = level_at(late), level_at(late + timedelta(minutes=2))
    day = today.strftime("%m-%d")
    assert before == "open" and f"今天，进行中: {day}" in said_before and f" {day} 0/" not in said_before.split("今天")[0]
    assert after == "low" and f" {day} 0/" in said_after  # now among the days with rounds missed


def test_finding_ages_are_a_histogram_on_the_area_page_and_the_findings_page(client, login_as, ctx):
    login_as("supervisor")
    east = db.session.scalar(select(Area).where(Area.name == "东区"))
    body = client.get(f"/patrol/coverage/{east.id}").get_data(as_text=True)
    ages = charts_in(body)["area-ages"]
    assert_accessible(ages)
    assert ages["labels"] == ["0–1 天", "2–3 天", "4–7 天", "超过 7 天"]
    assert sum(map(int, ages["values"])) == int(kpis(body, "data-coverage")["东区"]["open"]) > 0
    open_east = db.session.scalar(select(func.count()).select_from(Finding).where(
        Finding.area_id == east.id, Finding.status.in_(OPEN_STATUSES), Finding.deleted_at.is_(None)))
    page = client.get(f"/patrol/findings?area_id={east.id}").get_data(as_text=True)
    assert sum(map(int, charts_in(page)["finding-ages"]["values"])) == open_east
    fragment = client.get(f"/patrol/findings?area_id={east.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and charts_in(fragment)["finding-ages"]["values"] == charts_in(page)["finding-ages"]["values"]


def test_a_team_sees_the_ages_of_its_own_findings(client, login_as, ctx):
    member = login_as("team")
    team = db.session.scalar(select(User.team).where(User.id == member.id))
    mine = db.session.scalar(select(func.count()).select_from(Finding).where(
        Finding.team == team, Finding.status.in_(OPEN_STATUSES), Finding.deleted_at.is_(None)))
    values = charts_in(client.get("/patrol/findings").get_data(as_text=True))["finding-ages"]["values"]
    assert sum(map(int, values)) == mine > 0


def test_the_supervisor_overview_shows_today_per_area_and_finding_ages(client, login_as):
    login_as("supervisor")
    body = client.get("/overview").get_data(as_text=True)
    charts = charts_in(body)
    assert_accessible(charts["ov-today"], AREAS)
    assert_accessible(charts["ov-ages"])
    rows = re.findall(r'data-label="今日重点部位">(\d+/\d+)<', body)
    assert charts["ov-today"]["values"] == [r.replace("/", " / ") for r in rows] and len(rows) == 4


@pytest.fixture
def statements(app):
    """Counts the SQL statements the app sends while the test runs."""
    seen = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *_):
        seen.append(" ".join(statement.split())[:110])

    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


PAGES = ["/patrol/coverage", "/patrol/coverage/officers", "/patrol/coverage/{east}", "/patrol/findings", "/patrol/"]


@pytest.mark.parametrize("path", PAGES)
def test_chart_pages_read_in_bulk_not_once_per_area(client, login_as, statements, make_area, users, ctx, path):
    """At most 30 statements a page, and one more area costs no more of them."""
    east = db.session.scalar(select(Area.id).where(Area.name == "东区"))
    login_as("supervisor")
    url = path.format(east=east)

    def count():
        client.get("/me")  # the session and the user are loaded: count the page alone
        statements.clear()
        assert client.get(url).status_code == 200
        return len(statements)

    before = count()
    make_area(officer=users["officer2"], key_locations=("lobby", "leisure"))
    after = count()
    assert before <= 30, f"{url}: {before} statements"
    assert after <= before, f"{url}: {before} statements with the demo's areas, {after} with one more"


def test_the_patrol_part_of_the_overview_reads_in_bulk(app, statements, make_area, users, ctx):
    """The supervisor's overview holds every domain's sections; patrol's own (today per area, ages, the
    table, the month's spot-checks) costs a handful of statements however many areas there are."""
    def count():
        with app.test_request_context("/overview"):
            supervisor = db.session.get(User, users["supervisor"].id)
            estate = db.session.get(Estate, min(supervisor.estate_ids))
            statements.clear()
            assert hooks.overview_patrol(supervisor, estate, utcnow())
            assert hooks.spot_check_obligations(supervisor, estate, utcnow())
            return len(statements)

    before = count()
    make_area(officer=users["officer2"], key_locations=("lobby", "leisure"))
    assert count() <= before <= 20

"""Visits as charts (R-VIS-1, -2): the SVG carries the same numbers as the quota, as text and in its
description, so it reads without colour."""

from __future__ import annotations

import re
from types import SimpleNamespace


def _figure(page: str, chart: str) -> str:
    part = page[page.index(f'data-chart="{chart}"'):]
    return part[:part.index("</figure>")]


def _bar(figure: str, label: str) -> str:
    part = figure[figure.index(f'data-bar="{label}"'):]
    return part[:part.index("</g>")]


def test_the_overview_charts_areas_and_officers_with_their_numbers(client, login_as, place, make_visit, app):
    from webapp.areas.models import Area
    from webapp.extensions import db

    make_visit(SimpleNamespace(id=place["households"][0], area_id=place["area"]))
    with app.app_context():
        name = db.session.get(Area, place["area"]).name
    login_as("supervisor")
    page = client.get("/overview").get_data(as_text=True)
    month = _bar(_figure(page, "res-month"), name)
    assert 'data-value="1"' in month and ">1/1</text>" in month  # 3 % of 2 households, rounded up
    assert 'data-mark="ok"' in month and 'class="chart-target"' in month
    year = _bar(_figure(page, "res-year"), name)
    assert 'data-value="1"' in year and 'class="chart-track"' in year and 'class="chart-target"' in year
    officers = _figure(page, "res-officers")
    assert re.search(r'data-bar="王晓明" data-value="\d+"', officers)  # the demo officer holds the new area
    assert "上门家访" in officers and "<desc" in officers


def test_the_visits_page_charts_this_months_visit(client, login_as, place, make_visit):
    make_visit(SimpleNamespace(id=place["households"][0], area_id=place["area"]))
    login_as("officer")
    page = client.get("/residents/").get_data(as_text=True)
    chart = _figure(page, f"months-{place['area']}")
    columns = re.findall(r'data-column="([^"]+)" data-value="(\d+)/(\d+)"', chart)
    assert len(columns) == 6 and columns[-1][1:] == ("1", "1") and all(c[1] == "0" for c in columns[:-1])
    assert "每月应访户数" in chart  # the quota line named in the legend

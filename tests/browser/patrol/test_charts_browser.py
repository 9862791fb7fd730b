"""Issue 10.8 on a 360 × 740 phone in Chinese: the coverage pages, the findings and the supervisor's overview lead
with charts that fit the screen (no sideways scroll, no SVG wider than the viewport, no number running off
its chart or into its label), whose text and legends are at least 14 px, with no serious accessibility
problem (axe-core)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.browser.app.test_phone_layout_browser import serious_violations
from tests.browser.conftest import db_query as query
from webapp.areas.models import Area
from webapp.extensions import db

PAGES = [("supervisor", "/patrol/coverage"), ("supervisor", "/patrol/coverage/officers"),
         ("supervisor", "/patrol/coverage/{east}"), ("supervisor", "/patrol/findings?status=open_all"),
         ("supervisor", "/overview"), ("team", "/patrol/findings")]

# Per chart: its box, and what of its text leaves the box, runs into a neighbour on its line, or is under 14 px.
MEASURE = """() => [...document.querySelectorAll("svg.chart-svg, svg.heatmap")].map((svg) => {
  const box = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll("text")].map((t) => ({text: t.textContent, r: t.getBoundingClientRect(),
                                                               size: parseFloat(getComputedStyle(t).fontSize)}));
  const scale = svg.viewBox.baseVal && svg.viewBox.baseVal.width ? box.width / svg.viewBox.baseVal.width : 1;
  const outside = texts.filter((t) => t.r.left < box.left - 1 || t.r.right > box.right + 1).map((t) => t.text);
  const clash = [];
  texts.forEach((a, i) => texts.slice(i + 1).forEach((b) => {
    const overlapX = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
    const overlapY = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
    if (overlapX > 1 && overlapY > 3) clash.push(`${a.text} × ${b.text}`);
  }));
  const small = svg.classList.contains("heatmap") ? [] : texts.filter((t) => t.size * scale < 14).map((t) => t.text);
  return {id: svg.id || svg.getAttribute("aria-labelledby"), left: box.left, right: box.right, width: box.width,
          outside, clash, small};
})"""

LEGENDS = """() => [...document.querySelectorAll(".chart-legend li, .heat-legend li, .chart-title, .chart-svg text")]
  .filter((el) => parseFloat(getComputedStyle(el).fontSize) < 14).map((el) => el.textContent.trim())"""


def east_id(app) -> int:
    return query(app, lambda: db.session.scalar(select(Area.id).where(Area.name == "东区")))


@pytest.mark.parametrize("who,path", PAGES)
def test_charts_fit_a_phone_and_read_at_14px(page, pwa, app, who, path):
    pwa.login(page, who)
    page.goto(path.format(east=east_id(app)))
    charts = page.evaluate(MEASURE)
    assert charts, f"{path}: no chart"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scroll"
    for chart in charts:
        assert chart["left"] >= 0 and chart["right"] <= 360 and chart["width"] <= 360, chart
        assert chart["outside"] == [] and chart["clash"] == [] and chart["small"] == [], chart
    assert page.evaluate(LEGENDS) == [], "legends and chart text at least 14 px"
    assert serious_violations(page) == []


def test_the_heatmap_cells_read_at_14px_on_a_phone(page, pwa, app):
    """The heat-map scales with its box: its numbers (15 units) must come out at 14 px or more at 360 px."""
    pwa.login(page, "supervisor")
    page.goto(f"/patrol/coverage/{east_id(app)}")
    scale = page.evaluate("""() => { const svg = document.querySelector("svg.heatmap");
        return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; }""")
    assert 15 * scale >= 14, scale
    legend = page.locator(".heat-legend li")
    assert legend.count() == 6  # the legend is text beside the map, not 12-unit SVG text inside it
    assert min(legend.evaluate_all("(els) => els.map((el) => parseFloat(getComputedStyle(el).fontSize))")) >= 14
    today = page.locator("[data-heatmap] g[data-day]").last
    assert today.get_attribute("data-level") == "open"  # the demo did nothing yet today: in progress, not red
    assert today.locator("rect").get_attribute("fill") == "#fff"

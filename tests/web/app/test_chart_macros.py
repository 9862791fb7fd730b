"""The chart macros (templates/macros/charts.html) as later domains will use them — months stacked or grouped
with a quota line, rates side by side: well-formed SVG, named and described by the numbers, each part a
pattern the legend names, the target named too."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from webapp.kernel.charts import Column, Row, bar_list, columns

WORDS = {"ok": "按时回访", "alert": "逾期回访", "plain": "上门", "plain-striped": "电话", "target": "每月指标"}


@pytest.fixture
def draw(app):
    def draw(macro: str, chart) -> tuple[str, ET.Element]:
        with app.test_request_context("/"):
            html = app.jinja_env.from_string(
                f'{{% from "macros/charts.html" import {macro} %}}{{{{ {macro}(chart, "c1", "近六个月", words) }}}}'
            ).render(chart=chart, words=WORDS)
        return html, ET.fromstring(re.search(r"<svg.*</svg>", html, re.S).group(0))

    return draw


def texts(svg, cls: str) -> list[str]:
    return [t.text for t in svg.iter("text") if cls in (t.get("class") or "")]


def test_months_stacked_with_a_quota_line(draw):
    chart = columns([Column("10月", (("ok", 6), ("alert", 2))), Column("11月", (("ok", 9), ("alert", 0)))], target=8)
    html, svg = draw("column_chart", chart)
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c1-t c1-d"
    assert svg.find("title").text == "近六个月" and svg.find("desc").text == "10月: 8; 11月: 9"
    assert texts(svg, "chart-value") == ["8", "9"] and texts(svg, "chart-label") == ["10月", "11月"]
    assert [r.get("data-mark") for r in svg.iter("rect") if r.get("data-mark")] == ["ok", "alert", "ok"]  # no 0-tall part
    assert svg.find(".//pattern[@id='c1-alert']") is not None  # missed is a cross-hatch, not only red
    assert any("chart-target" in (line.get("class") or "") for line in svg.iter("line"))
    legend = re.search(r'<ul class="chart-legend">.*?</ul>', html, re.S).group(0)
    assert all(word in legend for word in ("按时回访", "逾期回访", "每月指标"))


def test_grouped_months_side_by_side(draw):
    chart = columns([Column("11月", (("plain", 4), ("plain-striped", 2)))], grouped=True)
    html, svg = draw("column_chart", chart)
    rects = [r for r in svg.iter("rect") if r.get("data-mark")]
    assert [r.get("data-mark") for r in rects] == ["plain", "plain-striped"]
    assert float(rects[0].get("x").rstrip("%")) < float(rects[1].get("x").rstrip("%"))
    assert "上门" in html and "电话" in html  # both series in the legend


def test_rates_side_by_side_with_a_target(draw):
    chart = bar_list([Row("东区", (("ok", 9), ("alert", 1)), total=10, target=10),
                      Row("南区", (("ok", 0),), total=0, target=10)], share=True)
    html, svg = draw("bar_list", chart)
    assert texts(svg, "chart-label") == ["东区", "南区"] and texts(svg, "chart-value") == ["10/10", "0/0"]
    assert svg.find("desc").text == "东区: 10/10, 按时回访 9, 逾期回访 1, 每月指标; 南区: 0/0, 每月指标"
    assert "每月指标" in re.search(r'<ul class="chart-legend">.*?</ul>', html, re.S).group(0)

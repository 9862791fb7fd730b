"""Small server-rendered charts: their geometry as plain values, drawn by templates/macros/charts.html.

Across, positions are percentages of the chart's width (SVG `x="12.5%"`); down, pixels. A chart stretches
to its container at any width while its text keeps its CSS size (no viewBox scaling), so what reads at
360 px reads on a desk screen too. Every bar carries its numbers as text, and each mark (MARKS) has a
pattern as well as a colour, so a chart reads without colour; the macro's legend names the marks.

    bar_list([Row("东区", (("ok", 18), ("alert", 3)), total=24)])      areas or people side by side
    columns([Column("11月", (("plain", 4), ("alert", 1)))])          stacked (or grouped) over months
    columns([Column("0–1天", (("plain", 5),))])                      a histogram: one part per column
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

# What a part of a bar means, drawn as a pattern and a colour (templates/macros/charts.html):
# ok solid green · ok-striped green stripes · alert red cross-hatch · warn amber dots ·
# pending dashed outline (not over yet) · plain solid blue · plain-striped blue stripes.
MARKS = ("ok", "ok-striped", "alert", "warn", "pending", "plain", "plain-striped")

ROW_LABEL, ROW_BAR, ROW_GAP = 22, 22, 14  # a bar list row: its label line, its bar, the space below (px)
MIN_PART = 1.5  # % of the width: a part that is not zero stays visible however small against the rest
TARGET_ROOM = 1.15
COLUMN_TOP, COLUMN_LABEL = 24, 26  # px above the tallest column (its value) and below the baseline (its label)


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value`: a scale's round top (1 for nothing)."""
    if not value or value <= 0 or math.isnan(value):
        return 1
    if math.isinf(value):
        raise ValueError("an infinite value has no scale")
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power * (1 + 1e-9):
            return step * power
    return 10 * power  # pragma: no cover  (the loop always ends at 10)


@dataclass(frozen=True)
class Scale:
    """0 … top onto 0 … 100 % (or 0 … `length` px)."""

    top: float
    length: float = 100

    def __call__(self, value: float) -> float:
        return round(min(max(value, 0) / self.top, 1) * self.length, 2)


def scale_for(values: Sequence[float], length: float = 100) -> Scale:
    return Scale(nice_ceiling(max(values, default=0)), length)


@dataclass(frozen=True)
class Part:
    mark: str  # one of MARKS
    value: float
    at: float = 0  # where it starts: % across (a bar) or px down (a column)
    size: float = 0  # % wide (a bar) or px tall (a column)


def _stack(parts: Sequence[tuple[str, float]], scale: Scale, minimum: float) -> tuple[Part, ...]:
    """Parts laid end to end from 0; a part that is not zero gets at least `minimum`, never past the end."""
    laid, at = [], 0.0
    for mark, value in parts:
        if mark not in MARKS:
            raise ValueError(f"unknown mark {mark!r}")
        size = scale(value)
        if value > 0:
            size = max(size, minimum)
        size = round(min(size, scale.length - at), 2)
        laid.append(Part(mark, value, round(at, 2), size))
        at += size
    return tuple(laid)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


# --------------------------------------------------------------------------- a horizontal bar list


@dataclass(frozen=True)
class Row:
    """One bar: `parts` as (mark, value) stacked; `total` draws the track it fills (e.g. what was due);
    `target` a marker (e.g. what the policy asks); `text` the numbers shown (default: the parts' sum,
    over the total if there is one)."""

    label: str
    parts: Sequence[tuple[str, float]]
    total: float | None = None
    target: float | None = None
    text: str | None = None
    href: str | None = None


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    parts: tuple[Part, ...]
    track: float | None  # % wide
    target: float | None  # % across
    y: int  # the label's baseline
    bar_y: int  # the bar's top
    href: str | None = None

    @property
    def value(self) -> float:
        return sum(p.value for p in self.parts)


@dataclass(frozen=True)
class BarList:
    bars: tuple[Bar, ...]
    height: int
    scale: Scale
    bar_height: int = ROW_BAR
    marks: tuple[str, ...] = field(default=())


def bar_list(rows: Sequence[Row], share: bool = False) -> BarList:
    """Rows one under the other, the label and numbers above each bar. One scale for all (counts
    compare), or with share=True each row's own total as 100 % (rates compare; every row needs a total)."""
    # a target gets room beyond it, so its marker never sits on the edge under the row's numbers
    common = scale_for([max(sum(v for _, v in r.parts), r.total or 0, (r.target or 0) * TARGET_ROOM) for r in rows])
    bars = []
    for i, row in enumerate(rows):
        scale = Scale(row.total or 1) if share else common
        value = sum(v for _, v in row.parts)
        top = i * (ROW_LABEL + ROW_BAR + ROW_GAP)
        text = row.text or (f"{_number(value)}/{_number(row.total)}" if row.total is not None else _number(value))
        bars.append(Bar(row.label, text, _stack(row.parts, scale, MIN_PART),
                        None if row.total is None else scale(row.total),
                        None if row.target is None else scale(row.target),
                        top + ROW_LABEL - 6, top + ROW_LABEL, row.href))
    height = max(len(rows) * (ROW_LABEL + ROW_BAR + ROW_GAP) - ROW_GAP, 0) + 2
    return BarList(tuple(bars), height, common, marks=_marks(r.parts for r in rows))


def _marks(parts_of) -> tuple[str, ...]:
    return tuple(dict.fromkeys(mark for parts in parts_of for mark, _ in parts))


# --------------------------------------------------------------------------- columns over months, a histogram


@dataclass(frozen=True)
class Column:
    label: str
    parts: Sequence[tuple[str, float]]
    text: str | None = None


@dataclass(frozen=True)
class ColumnGeometry:
    label: str
    text: str
    x: float  # % across: the column's (or group's) left edge
    width: float  # % wide
    parts: tuple[tuple[Part, float, float], ...]  # (part: px down and tall, x %, width %)
    text_y: float  # the value's baseline

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class ColumnChart:
    columns: tuple[ColumnGeometry, ...]
    height: int  # the whole chart, px
    baseline: int  # px down
    scale: Scale
    target_y: float | None = None
    marks: tuple[str, ...] = field(default=())

    @property
    def stacked(self) -> bool:
        """Some column has several parts (a histogram has one each): its marks need a legend."""
        return any(len(c.parts) > 1 for c in self.columns)


def columns(items: Sequence[Column], plot: int = 120, grouped: bool = False, target: float | None = None,
            gap: float = 0.3) -> ColumnChart:
    """Columns side by side across the width, each its parts stacked (or, grouped=True, side by side);
    `gap` the share of each slot left empty; `target` a line across (e.g. a monthly quota)."""
    heights = [max((v for _, v in c.parts), default=0) if grouped else sum(v for _, v in c.parts) for c in items]
    scale = scale_for([*heights, target or 0], plot)
    baseline = COLUMN_TOP + plot
    slot = 100 / max(len(items), 1)
    laid = []
    for i, item in enumerate(items):
        x, width = round(i * slot + slot * gap / 2, 2), round(slot * (1 - gap), 2)
        if grouped:
            each = width / max(len(item.parts), 1)
            parts = tuple((Part(m, v, baseline - scale(v), scale(v)), round(x + j * each, 2), round(each, 2))
                          for j, (m, v) in enumerate(item.parts))
        else:
            stacked = _stack(item.parts, scale, 2 if plot >= 40 else 0)
            parts = tuple((Part(p.mark, p.value, baseline - p.at - p.size, p.size), x, width) for p in stacked)
        top = min((p.at for p, _, _ in parts), default=baseline)
        text = item.text or _number(sum(v for _, v in item.parts))
        laid.append(ColumnGeometry(item.label, text, x, width, parts, round(min(top, baseline) - 6, 2)))
    target_y = None if target is None else baseline - scale(target)
    return ColumnChart(tuple(laid), baseline + COLUMN_LABEL, baseline, scale, target_y, _marks(c.parts for c in items))

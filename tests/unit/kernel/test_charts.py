"""The chart kit's geometry (webapp/kernel/charts.py): round scales, zero data, one bar, huge values, targets."""

import pytest

from webapp.kernel import charts
from webapp.kernel.charts import Column, Row


@pytest.mark.parametrize("value, top", [(0, 1), (-3, 1), (1, 1), (3, 5), (7, 10), (11, 20), (24, 25), (30, 50),
                                        (0.4, 0.5), (1_234_567, 2_000_000), (1e12, 1e12)])
def test_nice_ceiling_is_a_round_top_at_or_above_the_value(value, top):
    assert charts.nice_ceiling(value) == pytest.approx(top)


def test_a_scale_maps_onto_percent_and_clamps():
    scale = charts.Scale(20)
    assert (scale(0), scale(5), scale(20), scale(30), scale(-1)) == (0, 25, 100, 100, 0)
    assert charts.Scale(50, 120)(25) == 60


def test_bars_share_one_scale_so_counts_compare():
    chart = charts.bar_list([Row("东区", (("ok", 18), ("alert", 2)), total=20), Row("南区", (("ok", 5),), total=10)])
    east, south = chart.bars
    assert chart.scale.top == 20
    assert east.track == 100 and south.track == 50
    assert [(p.mark, p.at, p.size) for p in east.parts] == [("ok", 0, 90), ("alert", 90, 10)]
    assert (east.text, south.text) == ("20/20", "5/10")
    assert south.y > east.bar_y and chart.height >= south.bar_y + chart.bar_height
    assert chart.marks == ("ok", "alert")


def test_shares_make_each_total_a_full_bar():
    chart = charts.bar_list([Row("A", (("ok", 3),), total=4), Row("B", (("ok", 30),), total=40)], share=True)
    assert [b.parts[0].size for b in chart.bars] == [75, 75]
    assert [b.track for b in chart.bars] == [100, 100]


def test_nothing_at_all_draws_empty_bars_that_still_say_zero():
    chart = charts.bar_list([Row("东区", (("ok", 0), ("alert", 0)), total=0)])
    bar = chart.bars[0]
    assert chart.scale.top == 1 and bar.track == 0 and all(p.size == 0 for p in bar.parts)
    assert bar.text == "0/0"
    assert charts.bar_list([]).bars == () and charts.bar_list([]).height >= 0
    assert charts.bar_list([Row("A", (("ok", 0),), total=0)], share=True).bars[0].parts[0].size == 0


def test_one_bar_fills_its_scale():
    bar = charts.bar_list([Row("A", (("plain", 7),))]).bars[0]
    assert bar.parts[0].size == 70 and bar.text == "7" and bar.track is None


def test_a_tiny_part_beside_a_huge_one_stays_visible_and_the_bar_stays_inside():
    bar = charts.bar_list([Row("A", (("ok", 10_000_000), ("alert", 1)), total=10_000_001)]).bars[0]
    assert bar.parts[1].size >= charts.MIN_PART
    assert bar.parts[1].at + bar.parts[1].size <= 100
    assert bar.text == "10,000,001/10,000,001"


def test_a_target_marker_sits_on_the_common_scale_and_widens_it():
    chart = charts.bar_list([Row("东区", (("plain", 1),), target=2), Row("南区", (("plain", 3),), target=2)])
    assert chart.scale.top == 5
    assert [b.target for b in chart.bars] == [40, 40]
    assert charts.bar_list([Row("A", (("plain", 0),), target=4)]).bars[0].target == 80  # target alone sets the top
    alone = charts.bar_list([Row("A", (("plain", 2),), target=2)])
    assert alone.bars[0].target == 80 and alone.scale.top == 2.5  # room beyond the target: not on the edge


def test_an_unknown_mark_is_refused():
    with pytest.raises(ValueError):
        charts.bar_list([Row("A", (("red", 1),))])


def test_a_histogram_puts_columns_side_by_side_with_values_above():
    chart = charts.columns([Column("0–1天", (("plain", 4),)), Column("2–3天", (("plain", 0),)),
                            Column(">7天", (("alert", 8),))], plot=100)
    first, empty, last = chart.columns
    assert chart.scale.top == 10 and chart.baseline == charts.COLUMN_TOP + 100
    assert first.parts[0][0].size == 40 and first.parts[0][0].at == chart.baseline - 40
    assert empty.parts[0][0].size == 0 and empty.text == "0" and empty.text_y < chart.baseline
    assert first.text_y < first.parts[0][0].at and first.text_y > 0
    assert first.x < empty.x < last.x and last.x + last.width <= 100
    assert chart.height > chart.baseline
    assert not chart.stacked  # named below each column: no legend needed


def test_stacked_columns_over_months_and_a_quota_line():
    chart = charts.columns([Column("10月", (("ok", 6), ("alert", 2))), Column("11月", (("ok", 8),))],
                           plot=80, target=8)
    october = chart.columns[0]
    (done, _, _), (missed, _, _) = october.parts
    assert done.at + done.size == chart.baseline and missed.at + missed.size == done.at  # missed sits on done
    assert chart.target_y == chart.baseline - 80 * 8 / chart.scale.top
    assert october.text == "8" and chart.stacked


def test_grouped_columns_stand_side_by_side_within_their_slot():
    column = charts.columns([Column("11月", (("plain", 4), ("plain-striped", 2)))], grouped=True).columns[0]
    (a, ax, aw), (b, bx, bw) = column.parts
    assert ax + aw == pytest.approx(bx) and bx + bw <= column.x + column.width + 0.01
    assert a.size == 2 * b.size and a.at + a.size == b.at + b.size  # both stand on the baseline


def test_no_columns_and_all_zero_columns():
    assert charts.columns([]).columns == ()
    chart = charts.columns([Column("A", (("plain", 0),))])
    assert chart.scale.top == 1 and chart.columns[0].parts[0][0].size == 0

"""Fees at a glance (issue 13, 4): arrears by area and by month, long-term apart, and recovery, drawn from the
demo's lists, the last six months; finance and the leads see it, officers and the desk do not."""

from __future__ import annotations

import re

import pytest


def test_the_charts_show_a_year_by_month_every_area_and_recovery(client, login_as):
    login_as("finance")
    page = client.get("/fees/glance").get_data(as_text=True)
    assert len(re.findall(r'<g data-column="\d+月"', page)) == 2 * 6  # half a year by month, and its recovery
    for area in ("东区", "南区", "西区", "北区"):
        assert f'data-bar="{area}"' in page
    assert 'data-mark="alert"' in page and "长期欠费" in page  # long-term drawn apart, named in the legend
    assert re.search(r'data-chart="fees-recovery".*?data-value="\d+%"', page, re.S)


@pytest.mark.parametrize("who, status", [("finance", 200), ("supervisor", 200), ("manager", 200), ("officer", 403),
                                         ("frontdesk", 403)])
def test_who_sees_the_charts(client, login_as, who, status):
    login_as(who)
    assert client.get("/fees/glance").status_code == status

"""The rounds list pages through the history newest first without counting it (webapp.kernel.paging)."""

from __future__ import annotations

import re


def ids(body: str) -> list[str]:
    return re.findall(r'data-round="([^"]+)"', body)


def test_pages_follow_each_other_newest_first(client, login_as):
    login_as("supervisor")
    first = client.get("/patrol/rounds").get_data(as_text=True)
    second = client.get("/patrol/rounds?page=2").get_data(as_text=True)
    assert len(ids(first)) == 30 and ids(second) and not set(ids(first)) & set(ids(second))
    assert "page=2" in first and "page=1" not in first  # Next, no Previous on the first page
    assert "page=1" in second


def test_past_the_end_and_a_bad_page_number(client, login_as):
    login_as("supervisor")
    assert ids(client.get("/patrol/rounds?page=9999").get_data(as_text=True)) == []
    assert ids(client.get("/patrol/rounds?page=-3").get_data(as_text=True)) == ids(
        client.get("/patrol/rounds?page=x").get_data(as_text=True)) == ids(client.get("/patrol/rounds").get_data(as_text=True))

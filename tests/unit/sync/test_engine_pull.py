"""Pull by cursor: scoped to the reader's read scopes, in change order, paged, with tombstones."""

from __future__ import annotations

import pytest

from sync.actor import Actor
from sync.errors import ProtocolError
from sync.protocol import MAX_PULL
from tests.unit.sync.synckit import OBSERVED_AT, Client, mutation


def create(client, area: str = "A1", text: str = "n") -> str:
    m = mutation("create", fields={"area": area, "text": text})
    assert client.statuses(m) == ["applied"]
    return m["record_id"]


def pull_all(client, limit: int) -> list[dict]:
    """Every page, following the cursor until `more` is false."""
    pages, cursor = [], 0
    while True:
        page = client.pull(cursor, limit)
        pages.append(page)
        assert page["cursor"] >= cursor
        cursor = page["cursor"]
        if not page["more"]:
            return pages


def test_pull_shows_only_the_readers_scopes(device):
    desk = device("A1", "A2", user_id=9, role="supervisor", device_id="desk")
    east, south = create(desk, "A1"), create(desk, "A2")
    east_reader = device("A1", user_id=2, device_id="phone-2")
    assert [c["id"] for c in east_reader.pull()["changes"]] == [east]
    assert [c["id"] for c in desk.pull()["changes"]] == [east, south]
    assert device("A3", user_id=3, device_id="phone-3").pull()["changes"] == []
    nowhere = Client(desk.session, Actor(4, "officer", "phone-4", frozenset(), frozenset()), "phone-4")
    page = nowhere.pull()
    assert (page["changes"], page["cursor"], page["more"]) == ([], 0, False)


def test_an_upsert_carries_the_records_fields_and_meta(phone):
    rid = create(phone, text="lobby light out")
    [change] = phone.pull()["changes"]
    assert {k: change[k] for k in ("entity", "id", "op", "version")} == {
        "entity": "note", "id": rid, "op": "upsert", "version": 1}
    fields = change["fields"]
    assert {k: fields[k] for k in ("area", "text", "priority", "id", "version", "created_by")} == {
        "area": "A1", "text": "lobby light out", "priority": 0, "id": rid, "version": 1, "created_by": 1}
    assert fields["observed_at"] == OBSERVED_AT.isoformat() and fields["deleted_at"] is None


def test_paging_in_change_order_with_more_and_a_cursor(phone):
    ids = [create(phone, text=f"n{i}") for i in range(7)]
    pages = pull_all(phone, limit=3)
    assert [p["more"] for p in pages] == [True, True, False]
    seqs = [c["seq"] for p in pages for c in p["changes"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == 7
    assert [c["id"] for p in pages for c in p["changes"]] == ids
    assert all(p["cursor"] == p["changes"][-1]["seq"] for p in pages)
    # nothing new: the same cursor comes back, no more
    again = phone.pull(pages[-1]["cursor"], 3)
    assert (again["changes"], again["cursor"], again["more"]) == ([], pages[-1]["cursor"], False)


def test_a_record_changed_twice_appears_once_per_page_at_its_last_change(phone):
    first, second = create(phone, text="a"), create(phone, text="b")
    phone.push(mutation("update", first, {"text": "a2"}, base=1))
    phone.push(mutation("update", first, {"text": "a3"}, base=2))
    page = phone.pull(0, 10)
    assert [(c["id"], c["version"], c["fields"]["text"]) for c in page["changes"]] == [(second, 1, "b"), (first, 3, "a3")]
    assert page["cursor"] == page["changes"][-1]["seq"]
    # a page that ends between the record's changes shows its current state, and the next page again
    pages = pull_all(phone, limit=2)
    shown = [[(c["id"], c["version"]) for c in p["changes"]] for p in pages]
    assert shown == [[(first, 3), (second, 1)], [(first, 3)]]


def test_tombstones_in_order_and_a_record_that_left_the_readers_scope(device):
    desk = device("A1", "A2", user_id=9, role="supervisor", device_id="desk")
    gone, moved, kept = create(desk), create(desk), create(desk)
    desk.push(mutation("delete", gone, base=1), mutation("update", moved, {"area": "A2"}, base=1))
    east_reader = device("A1", user_id=2, device_id="phone-2")
    changes = east_reader.pull()["changes"]
    assert [(c["id"], c["op"], c["version"]) for c in changes] == [
        (kept, "upsert", 1), (gone, "delete", 2), (moved, "delete", 2)]
    assert "fields" not in changes[1] and "fields" not in changes[2]
    moved_for_desk = [c for c in desk.pull()["changes"] if c["id"] == moved]
    assert [(c["op"], c["fields"]["area"]) for c in moved_for_desk] == [("upsert", "A2")]


def test_only_committed_changes_after_the_cursor(phone, device):
    create(phone)
    cursor = phone.pull()["cursor"]
    later = create(device("A1", user_id=2, device_id="phone-2"))
    assert [c["id"] for c in phone.pull(cursor)["changes"]] == [later]


def test_bad_cursor_or_limit_is_a_protocol_error_and_limit_is_capped(phone):
    for cursor, limit in ((-1, 10), ("3", 10), (0, 0), (0, 1.5)):
        with pytest.raises(ProtocolError) as refused:
            phone.pull(cursor, limit)
        assert set(refused.value.errors) <= {"cursor", "limit"} and refused.value.errors
    for i in range(3):
        create(phone, text=str(i))
    assert len(phone.pull(0, MAX_PULL * 10)["changes"]) == 3

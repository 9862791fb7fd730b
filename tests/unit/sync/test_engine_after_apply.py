"""Derived work (EntitySpec.after_apply) is part of the push: it runs inside the batch's transaction,
its server-side mutations go through the engine there, and a batch and everything it derives commit
together or not at all."""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from sync.errors import DerivedWorkError
from sync.models import AppliedMutation, Change
from tests.unit.sync.synckit import ENTITIES, ENTRY, Entry, Note, count, mutation


def follow_up_id(entry_id: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"follow-up:{entry_id}"))


def derive_follow_ups(session, actor, proposals, derive) -> None:
    """Each duty-log entry marked "!" opens a note to follow it up, once (a deterministic id)."""
    for p in proposals:
        if p.new["text"].startswith("!"):
            derive.create("note", follow_up_id(p.record_id), {"area": p.new["area"], "text": "跟进：" + p.new["text"]})


class Broken(RuntimeError):
    pass


def failing_after(hook):
    def run(session, actor, proposals, derive):
        hook(session, actor, proposals, derive)
        raise Broken("a domain hook fails after deriving")

    return run


@pytest.fixture
def entries_with(request):
    """Swap the entry entity for one with the given after_apply, for one test."""
    def swap(hook):
        ENTITIES.unregister("entry")
        ENTITIES.register(dataclasses.replace(ENTRY, after_apply=hook))

    yield swap
    ENTITIES.unregister("entry")
    ENTITIES.register(ENTRY)


def entry(text: str) -> dict:
    return mutation("create", entity="entry", fields={"area": "A1", "text": text})


def test_derived_records_commit_with_the_batch_and_are_pulled(session, phone, entries_with):
    entries_with(derive_follow_ups)
    batch = [entry("!3栋电梯困人"), entry("交接正常")]
    assert phone.statuses(*batch) == ["applied", "applied"]
    assert (count(session, Entry), count(session, Note)) == (2, 1)
    derived = session.get(Note, follow_up_id(batch[0]["record_id"]))
    assert derived.text == "跟进：!3栋电梯困人" and derived.version == 1
    pulled = {(c["entity"], c["id"]) for c in phone.pull()["changes"]}
    assert ("note", derived.id) in pulled


def test_a_replay_is_a_duplicate_and_derives_nothing_again(session, phone, entries_with):
    entries_with(derive_follow_ups)
    batch = [entry("!地下车库积水")]
    phone.push(*batch)
    changes = count(session, Change)
    assert phone.statuses(*batch) == ["duplicate"]
    assert (count(session, Note), count(session, Change)) == (1, changes)


def test_a_hook_that_fails_stores_nothing_and_the_resend_applies_everything_once(session, phone, entries_with):
    entries_with(failing_after(derive_follow_ups))
    batch = [entry("!消防通道堵塞"), mutation("create")]
    with pytest.raises(DerivedWorkError):
        phone.push(*batch)
    assert (count(session, Entry), count(session, Note), count(session, AppliedMutation), count(session, Change)) \
        == (0, 0, 0, 0)
    entries_with(derive_follow_ups)  # the server is mended; the phone sends the same batch again
    assert phone.statuses(*batch) == ["applied", "applied"]
    assert phone.statuses(*batch) == ["duplicate", "duplicate"]
    assert (count(session, Entry), count(session, Note)) == (1, 2)  # the pushed note and the derived one
    assert session.get(Note, follow_up_id(batch[0]["record_id"])) is not None

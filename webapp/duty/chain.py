"""The duty log's hash chain (R-DUTY-1: no page torn out, nothing altered). Each estate's entries are numbered
in the order the server applies them; an entry's hash covers its content, its number and the hash of the entry
before it, so an entry edited, deleted or moved in the database breaks the chain from there on, and `verify`
names the first entry where it breaks. The estate's head row holds the count and the last hash: an entry cut
from the end shows too."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from .models import ChainHead, DutyEntry

# pg_advisory_xact_lock(DUTY_LOCK, estate_id): the key of the duty chains ("DUTY" in ASCII).
DUTY_LOCK = 0x44555459
CONTENT = ("id", "estate_id", "occurred_at", "category", "what", "handled_by", "follow_up", "corrects_id",
           "created_by", "received_at")


def content_of(entry: DutyEntry | Mapping) -> dict:
    """What an entry's hash covers (an entry, or its row as a dict for the bulk writers)."""
    get = entry.get if isinstance(entry, Mapping) else lambda name: getattr(entry, name)
    out = {name: get(name) for name in CONTENT}
    for name in ("occurred_at", "received_at"):
        out[name] = out[name].astimezone(UTC).isoformat(timespec="microseconds")
    return out


def hash_of(entry: DutyEntry | Mapping, seq: int, prev_hash: str) -> str:
    body = json.dumps({**content_of(entry), "seq": seq}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def lock_head(session: Session, estate_id: int) -> ChainHead:
    """The estate's head, locked for the rest of the transaction: a second push waits here until the first
    commits, then reads the head the first one left."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":  # the head row may not exist yet: FOR UPDATE cannot lock it
        connection.execute(text("SELECT pg_advisory_xact_lock(:key, :estate)"), {"key": DUTY_LOCK, "estate": estate_id})
    head = session.scalar(select(ChainHead).where(ChainHead.estate_id == estate_id).with_for_update())
    if head is None:
        head = ChainHead(estate_id=estate_id, seq=0, last_hash="")
        session.add(head)
    return head


def append(session: Session, entries: Iterable[DutyEntry]) -> None:
    """File entries at the end of their estates' chains, in the order given (the server's order)."""
    by_estate: dict[int, list[DutyEntry]] = {}
    for entry in entries:
        by_estate.setdefault(entry.estate_id, []).append(entry)
    for estate_id in sorted(by_estate):  # always the same order: two pushes never wait on each other crosswise
        head = lock_head(session, estate_id)
        for entry in by_estate[estate_id]:
            if entry.seq is not None:
                continue
            session.flush()  # received_at is the stored one
            entry.seq, entry.prev_hash = head.seq + 1, head.last_hash
            entry.entry_hash = hash_of(entry, entry.seq, entry.prev_hash)
            head.seq, head.last_hash = entry.seq, entry.entry_hash
    session.flush()


@dataclass(frozen=True)
class Break:
    """Where an estate's chain first breaks: the entry (or None past the end), the number expected there, why."""

    seq: int
    entry: DutyEntry | None
    reason: str


EDITED, MISSING, MOVED, CUT, UNCHAINED, REMOVED = "edited", "missing", "moved", "cut", "unchained", "removed"


def first_break(entries: Iterable[DutyEntry], head: ChainHead | None) -> Break | None:
    """The first place the chain does not hold, walking the entries in their numbers' order."""
    prev, expected = "", 1
    for entry in entries:
        if entry.seq is None:
            return Break(expected, entry, UNCHAINED)
        if entry.seq != expected:
            return Break(expected, entry, MISSING if entry.seq > expected else MOVED)
        if entry.prev_hash != prev:
            return Break(expected, entry, MOVED)
        if entry.deleted_at is not None:
            return Break(expected, entry, REMOVED)
        if hash_of(entry, entry.seq, prev) != entry.entry_hash:
            return Break(expected, entry, EDITED)
        prev, expected = entry.entry_hash, expected + 1
    if head is not None and (head.seq != expected - 1 or head.last_hash != prev):
        return Break(expected, None, CUT)
    return None


def chain_rows(rows: Iterable[dict], seq: int = 0, last_hash: str = "") -> tuple[int, str]:
    """Chain rows (dicts, in order) written in bulk (demo, scale); the head they leave."""
    for row in rows:
        seq += 1
        row.update(seq=seq, prev_hash=last_hash)
        row["entry_hash"] = last_hash = hash_of(row, seq, row["prev_hash"])
    return seq, last_hash


def verify(session: Session, estate_id: int) -> Break | None:
    entries = session.scalars(select(DutyEntry).where(DutyEntry.estate_id == estate_id)
                              .order_by(DutyEntry.seq.is_(None), DutyEntry.seq, DutyEntry.received_at)
                              .execution_options(yield_per=2000))
    try:
        return first_break(entries, session.get(ChainHead, estate_id))
    finally:
        entries.close()  # a break found early leaves the rest unread (a server-side cursor on PostgreSQL)

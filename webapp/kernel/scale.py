"""Helpers for the history of a scale estate (the domains' scale.py, run by `flask seed-scale`): rows
written in bulk (COPY on PostgreSQL), and synced records filed in the change log as if their phones
had pushed them, so a phone's first pull finds them as it finds any record."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from sync.bulk import insert_rows
from sync.models import Change
from sync.registry import META

from .syncing import entities

SCALE_DEVICE = "scale-seed"  # the change log's origin of generated records


def write(session, model, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` (dicts with the same keys) into the model's table."""
    insert_rows(session, model.__table__, rows)


def write_synced(session, entity: str, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT a synced entity's records and their change-log entries (one per record, at its version:
    pull reads only a record's newest entry), under the scope the entity's spec files it under."""
    if not rows:
        return
    spec = entities().find(entity)
    insert_rows(session, spec.model.__table__, rows)
    fields = sorted(key for key in rows[0] if key not in META)
    insert_rows(session, Change.__table__, [
        {"entity": entity, "record_id": row["id"], "version": row["version"],
         "op": "create" if row["version"] == 1 else "update", "scope": spec.scope_of(row), "changed_fields": fields,
         "device_id": SCALE_DEVICE, "user_id": row["created_by"] or 0, "changed_at": row["updated_at"]}
        for row in rows])


def synced(record_id: str, user_id: int | None, observed, received, updated=None, version: int = 1,
           **fields) -> dict[str, Any]:
    """A synced record's row: the columns every one carries (sync.store.SyncedRecord), then `fields`."""
    return {"id": record_id, "version": version, "created_by": user_id, "observed_at": observed,
            "received_at": received, "updated_at": updated or received, "deleted_at": None, **fields}


def days(first: date, last: date) -> Iterator[date]:
    """Every day from `first` to `last`, both included."""
    for n in range((last - first).days + 1):
        yield first + timedelta(days=n)

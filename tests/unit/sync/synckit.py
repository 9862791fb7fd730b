"""The sync engine's unit-test kit: test-only entities (on their own declarative base, so they
never reach the app's metadata or migrations), actors, mutation builders and a device client."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone

from marshmallow import RAISE, Schema, fields, validate
from sqlalchemy import JSON, Boolean, Float, Integer, MetaData, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, registry

from sync import engine as sync_engine
from sync import models
from sync.actor import Actor
from sync.registry import EntitySpec, Proposal, Registry
from sync.store import SyncedRecord, UTCDateTime

ENGINE_TABLES = [m.__table__ for m in (models.Device, models.AppliedMutation, models.Change,
                                       models.Conflict, models.Media, models.MediaBlob)]
# A recent moment on a phone in China (the engine refuses times more than a year from its clock).
OBSERVED_AT = (datetime.now(UTC) - timedelta(days=7)).replace(microsecond=120000)
OBSERVED = OBSERVED_AT.astimezone(timezone(timedelta(hours=8))).isoformat(timespec="milliseconds")
KEY_LENT = "This key is already lent out."


# --- test entities ----------------------------------------------------------------------------

class SpecBase(DeclarativeBase):
    registry = registry(metadata=MetaData(), type_annotation_map={datetime: UTCDateTime(), dict: JSON, list: JSON})


class Note(SpecBase, SyncedRecord):
    """A quick note: scope is its area."""

    __tablename__ = "unit_notes"
    area: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(200))
    priority: Mapped[int] = mapped_column(Integer, default=0)


class NoteSchema(Schema):
    class Meta:
        unknown = RAISE

    area = fields.String(required=True, validate=validate.Length(min=1, max=32))
    text = fields.String(required=True, validate=validate.Length(max=200))
    priority = fields.Integer(load_default=0, validate=validate.Range(min=0, max=9))


class Entry(SpecBase, SyncedRecord):
    """A duty-log entry: append-only."""

    __tablename__ = "unit_entries"
    area: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(200))


class EntrySchema(Schema):
    class Meta:
        unknown = RAISE

    area = fields.String(required=True)
    text = fields.String(required=True)


class Loan(SpecBase, SyncedRecord):
    """A key loan: one key may be out once (a domain invariant, checked in bulk)."""

    __tablename__ = "unit_loans"
    area: Mapped[str] = mapped_column(String(32))
    key_code: Mapped[str] = mapped_column(String(32))
    returned: Mapped[bool] = mapped_column(Boolean, default=False)


class LoanSchema(Schema):
    class Meta:
        unknown = RAISE

    area = fields.String(required=True)
    key_code = fields.String(required=True)
    returned = fields.Boolean(load_default=False)


def area_scope(values: Mapping) -> str:
    return f"area:{values['area']}"


def check_loans(session: Session, actor: Actor, proposals: Sequence[Proposal]) -> dict:
    """A key lent while it is out is a conflict; key "NOPE" does not exist. Judged in batch order,
    against the loans out before the batch and what the batch itself lends and returns — so a batch
    split anywhere gets the same verdicts."""
    keys = {v["key_code"] for p in proposals for v in (p.old, p.new) if v}
    out = dict(session.execute(select(Loan.id, Loan.key_code).where(
        Loan.key_code.in_(keys), Loan.returned.is_(False), Loan.deleted_at.is_(None))).all())
    verdicts = {}
    for i, p in enumerate(proposals):
        key, lends = p.new["key_code"], not p.new["returned"] and p.new["deleted_at"] is None
        if key == "NOPE":
            verdicts[i] = ("rejected", {"key_code": ["No such key."]})
        elif lends and any(k == key for loan_id, k in out.items() if loan_id != p.record_id):
            verdicts[i] = ("conflict", KEY_LENT)
        else:
            out.pop(p.record_id, None)
            if lends:
                out[p.record_id] = key
    return verdicts


class Gauge(SpecBase, SyncedRecord):
    """A reading with every kind of field, and schema rules laxer than its columns (sync/guard.py)."""

    __tablename__ = "unit_gauges"
    area: Mapped[str] = mapped_column(String(32))
    label: Mapped[str | None] = mapped_column(String(16))
    tag: Mapped[str | None] = mapped_column(String(32), unique=True)
    count: Mapped[int | None] = mapped_column(Integer)
    reading: Mapped[float | None] = mapped_column(Float)
    taken_at: Mapped[datetime | None]
    extra: Mapped[dict | None] = mapped_column(JSON)
    parts: Mapped[list | None] = mapped_column(JSON)
    photo_ids: Mapped[list | None] = mapped_column(JSON)


class PartSchema(Schema):
    n = fields.Integer(required=True)
    label = fields.String()


class GaugeSchema(Schema):
    class Meta:
        unknown = RAISE

    area = fields.String(required=True)
    label = fields.String(allow_none=True)  # no Length: the column's 16 bounds it
    tag = fields.String(allow_none=True)
    count = fields.Integer(allow_none=True)  # no Range, not strict
    reading = fields.Float(allow_none=True)
    taken_at = fields.AwareDateTime(allow_none=True)
    extra = fields.Dict(allow_none=True)
    parts = fields.List(fields.Nested(PartSchema), allow_none=True)
    photo_ids = fields.List(fields.String(), allow_none=True)


NOTE = EntitySpec(name="note", model=Note, schema=NoteSchema, scope_of=area_scope)
ENTRY = EntitySpec(name="entry", model=Entry, schema=EntrySchema, scope_of=area_scope, append_only=True)
LOAN = EntitySpec(name="loan", model=Loan, schema=LoanSchema, scope_of=area_scope, check=check_loans)
GAUGE = EntitySpec(name="gauge", model=Gauge, schema=GaugeSchema, scope_of=area_scope)
SPECS = (NOTE, ENTRY, LOAN, GAUGE)
# The unit tests' own registry (an app has one of its own).
ENTITIES = Registry(SPECS)


def postgres_url() -> str:
    """DATABASE_URL, with the psycopg 3 driver named."""
    url = os.environ["DATABASE_URL"]
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def create_tables(bind) -> None:
    SpecBase.metadata.create_all(bind)
    models.Base.metadata.create_all(bind, tables=ENGINE_TABLES)


def wipe(bind) -> None:
    with bind.begin() as conn:
        for table in [*SpecBase.metadata.sorted_tables, *ENGINE_TABLES]:
            conn.execute(table.delete())


# --- actors and mutations ---------------------------------------------------------------------

def make_actor(*areas: str, user_id: int = 1, role: str = "officer", write: Sequence[str] | None = None,
               device_id: str | None = None) -> Actor:
    areas = areas or ("A1",)
    writable = areas if write is None else write
    return Actor(user_id, role, device_id, frozenset(f"area:{a}" for a in areas),
                 frozenset(f"area:{a}" for a in writable))


def mutation(op: str = "create", record_id: str | None = None, fields: dict | None = None,
             base: int | None = None, entity: str = "note", mutation_id: str | None = None,
             observed_at: str = OBSERVED) -> dict:
    if fields is None:
        fields = {"area": "A1", "text": "lobby light out"} if op == "create" else {}
    return {"mutation_id": mutation_id or str(uuid.uuid4()), "entity": entity,
            "record_id": record_id or str(uuid.uuid4()), "op": op, "base_version": base,
            "fields": fields, "observed_at": observed_at}


def envelope(*mutations: dict, device_id: str = "phone-1", **extra) -> dict:
    return {"device_id": device_id, "mutations": list(mutations), **extra}


class Client:
    """A device talking to the engine: push, pull, and a look at the store."""

    def __init__(self, session: Session, actor: Actor, device_id: str = "phone-1") -> None:
        self.session, self.actor, self.device_id = session, actor, device_id

    def push(self, *mutations: dict, **extra) -> list[dict]:
        return self.push_raw(envelope(*mutations, device_id=self.device_id, **extra))["results"]

    def push_raw(self, payload: dict, **options) -> dict:
        return sync_engine.push(self.session, self.actor, ENTITIES, payload, **options)

    def statuses(self, *mutations: dict) -> list[str]:
        return [r["status"] for r in self.push(*mutations)]

    def pull(self, cursor: int = 0, limit: int = 500) -> dict:
        return sync_engine.pull(self.session, self.actor, ENTITIES, cursor, limit)


def note(session: Session, record_id: str) -> Note | None:
    session.expire_all()
    return session.get(Note, record_id)


def count(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))

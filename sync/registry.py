"""Entities plug into the engine here: each domain declares an EntitySpec for every synced model,
and the app registers them in its own Registry (one per app, no module-global state):

    entities = Registry()
    entities.register(EntitySpec(name="quick_note", model=QuickNote, schema=QuickNoteSchema,
                                 scope_of=lambda v: f"area:{v['area_id']}"))
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from marshmallow import RAISE, Schema
from sqlalchemy import JSON, inspect

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .actor import Actor

OPS = frozenset({"create", "update", "delete"})
# SyncedRecord's columns: the engine owns them; an entity schema must not accept them.
META = ("id", "version", "created_by", "observed_at", "received_at", "updated_at", "deleted_at")

Values = Mapping[str, Any]
CheckResult = Mapping[int, tuple[str, Any]]  # index → ("conflict", reason) | ("rejected", {field: [msg]})


class Derive(Protocol):
    """What an after-apply hook may change on the server's side: mutations applied by the engine in
    the push's own transaction, as the server (origin SERVER_DEVICE), with the same rules and log."""

    def create(self, entity: str, record_id: str, fields: Mapping[str, Any]) -> None: ...

    def update(self, entity: str, record_id: str, fields: Mapping[str, Any], base_version: int) -> None: ...


@dataclass(frozen=True)
class Proposal:
    """A change the engine is about to apply, as shown to an entity's `check` hook."""

    mutation_id: str
    op: str
    record_id: str
    old: Values | None  # the record before (None for a create)
    new: Values  # the record after
    changed: Values  # the fields this mutation sets (loaded by the schema)


@dataclass(frozen=True)
class EntitySpec:
    name: str
    model: type
    schema: type[Schema]
    scope_of: Callable[[Values], str]
    append_only: bool = False
    ops: frozenset[str] = OPS
    # Extra role rule, on top of the scope rule: can_write(actor, op, old_values | None, new_values).
    can_write: Callable[[Actor, str, Values | None, Values], bool] | None = None
    # Bulk domain invariants: check(session, actor, proposals) → {index: outcome}.
    check: Callable[[Session, Actor, Sequence[Proposal]], CheckResult] | None = None
    # Derived work: after_apply(session, actor, proposals, derive) runs for what the batch applied (or
    # merged) of this entity, inside the push's transaction, before the commit: a record and all it
    # derives commit together or not at all. Derived synced records go through `derive`; anything
    # else it writes with the session (no commit). A replay is a duplicate and does not run it again.
    after_apply: Callable[[Session, Actor, Sequence[Proposal], Derive], None] | None = None
    serialize: Callable[[Any], dict[str, Any]] | None = None

    @property
    def allowed_ops(self) -> frozenset[str]:
        return frozenset({"create"}) if self.append_only else self.ops

    @cached_property
    def loader(self) -> Schema:
        return self.schema(unknown=RAISE)

    @cached_property
    def table(self):
        return inspect(self.model).local_table

    @cached_property
    def columns(self) -> dict[str, str]:
        """Attribute name → column key, for every mapped column."""
        return {attr.key: attr.columns[0].key for attr in inspect(self.model).column_attrs}

    @cached_property
    def column_of(self) -> dict[str, Any]:
        """Attribute name → its Column (types and lengths bound what a device may send: sync/guard.py)."""
        return {attr: self.table.c[key] for attr, key in self.columns.items()}

    @cached_property
    def json_fields(self) -> tuple[str, ...]:
        """Attributes kept in JSON columns (photo ids, a round's checks): where a record names uploads."""
        return tuple(attr for attr, column in self.column_of.items() if isinstance(column.type, JSON))

    @cached_property
    def field_names(self) -> tuple[str, ...]:
        """The record's own fields (what the schema loads), by attribute name."""
        return tuple(f.attribute or name for name, f in self.loader.load_fields.items())

    def default_serialize(self, records: Sequence[Any]) -> list[dict[str, Any]]:
        dumped = self.loader.dump(records, many=True)
        for out, record in zip(dumped, records, strict=True):
            out.update(meta_of(record))
        return dumped


def meta_of(record: Any) -> dict[str, Any]:
    def iso(value):
        return value.isoformat() if value is not None else None

    return {
        "id": record.id,
        "version": record.version,
        "created_by": record.created_by,
        "observed_at": iso(record.observed_at),
        "updated_at": iso(record.updated_at),
        "deleted_at": iso(record.deleted_at),
    }


class Registry:
    """The entities one app syncs, by name."""

    def __init__(self, specs: Sequence[EntitySpec] = ()) -> None:
        self._specs: dict[str, EntitySpec] = {}
        for spec in specs:
            self.register(spec)

    def register(self, spec: EntitySpec) -> EntitySpec:
        _validate(spec)
        if self._specs.get(spec.name, spec) is not spec:
            raise ValueError(f"entity {spec.name!r} is already registered")
        self._specs[spec.name] = spec
        return spec

    def unregister(self, name: str) -> None:
        self._specs.pop(name, None)

    def get(self, name: str) -> EntitySpec:
        try:
            return self._specs[name]
        except KeyError:
            raise LookupError(f"unknown entity {name!r}") from None

    def find(self, name: str) -> EntitySpec | None:
        return self._specs.get(name)

    def names(self) -> frozenset[str]:
        return frozenset(self._specs)

    def __iter__(self) -> Iterator[EntitySpec]:
        return iter(sorted(self._specs.values(), key=lambda spec: spec.name))

    @contextmanager
    def registered(self, *specs: EntitySpec) -> Iterator[None]:
        """Register specs for the duration of a block (tests)."""
        for spec in specs:
            self.register(spec)
        try:
            yield
        finally:
            for spec in specs:
                self.unregister(spec.name)


def _validate(spec: EntitySpec) -> None:
    columns = spec.columns
    missing = [name for name in META if name not in columns]
    if missing:
        raise ValueError(f"{spec.model.__name__} lacks SyncedRecord columns: {missing}")
    clash = [name for name in spec.field_names if name in META]
    if clash:
        raise ValueError(f"{spec.schema.__name__} must not load engine columns: {clash}")
    unknown = [name for name in spec.field_names if name not in columns]
    if unknown:
        raise ValueError(f"{spec.schema.__name__} loads fields {spec.model.__name__} has no column for: {unknown}")
    if not spec.ops <= OPS or "create" not in spec.ops:
        raise ValueError(f"entity {spec.name!r}: ops must include create and be among {sorted(OPS)}")

"""Decide every mutation of a batch in memory, in order, before anything is written.

The planner sees the records as loaded at the start of the batch (one query per entity) and keeps
their state as the batch goes, so a create followed by an update of the same record works. The
outcome of each mutation — result, Change rows, a Conflict row — is collected for the writer.
Rules (DESIGN.md, "The sync protocol"; PROTOCOL.md, "What each status means"):

* update/delete carry base_version; equal to the current version → applied.
* older → three-way, field level: only fields changed since base_version by *another origin*
  (device + user) count as the other side, so a phone editing its own record twice from an old
  page never conflicts with itself, and two supervisors editing on the web still do.
* the same field changed on both sides to different values → conflict: the server value stands and
  the device's whole change is kept as a Conflict row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import messages
from .actor import Actor
from .protocol import REFUSED, Mutation, fingerprint
from .registry import EntitySpec, Proposal
from .store import new_uuid
from .wirejson import printable

Key = tuple[str, str]  # (entity, record_id)
SERVER_DEVICE = "server"  # the origin of online edits and derived work
MAX_VERSION = 2**31 - 1  # versions are INTEGER columns


@dataclass(frozen=True, slots=True)
class Origin:
    device_id: str
    user_id: int


@dataclass(frozen=True, slots=True)
class History:
    """A committed Change row of a record (what the other side did)."""

    version: int
    fields: tuple[str, ...]
    origin: Origin


@dataclass(slots=True)
class Invalid:
    errors: dict[str, Any]
    message: str = messages.FIELDS_INVALID


@dataclass(frozen=True, slots=True)
class Veto:
    """An entity's `check` hook refused this proposal: ("conflict", reason) or ("rejected", errors).
    It holds only while the mutation proposes exactly this again: when an earlier mutation of the
    batch is vetoed in turn, a later one may propose something else (or nothing: its record is no
    longer created), and is then planned, and checked, afresh — as it would be in a batch of its own."""

    kind: str
    detail: Any
    proposal: Proposal


@dataclass(slots=True)
class RecordState:
    values: dict[str, Any]  # attribute name → value, the record's fields and SyncedRecord columns
    in_db: bool
    dirty: set[str] = field(default_factory=set)  # attributes to write back (records already stored)


@dataclass(slots=True)
class Outcome:
    result: dict[str, Any]
    record: bool = False  # kept in the mutation log, so a replay answers it again
    fingerprint: str | None = None  # a refusal's: what was refused (protocol.fingerprint)
    changes: list[dict[str, Any]] = field(default_factory=list)
    conflict: dict[str, Any] | None = None


@dataclass
class Inputs:
    """What the planner needs, loaded in bulk beforehand."""

    specs: Mapping[str, EntitySpec]
    known: Mapping[str, dict[str, Any]]  # mutation_id → first result
    prints: Mapping[str, str]  # mutation_id → fingerprint, for the refused ones among them
    validated: Mapping[int, dict[str, Any] | Invalid]  # index → loaded fields
    records: Mapping[Key, dict[str, Any]]  # stored records
    history: Mapping[Key, list[History]]


class Planner:
    def __init__(self, actor: Actor, origin: Origin, now: datetime, inputs: Inputs,
                 vetoes: Mapping[int, Veto] | None = None, revive: bool = False) -> None:
        self.actor, self.origin, self.now, self.inputs = actor, origin, now, inputs
        self.vetoes = vetoes or {}
        self.revive = revive  # conflict resolution may bring a tombstoned record back
        self.states: dict[Key, RecordState] = {}
        self.known = dict(inputs.known)
        self.prints = dict(inputs.prints)
        self.proposals: dict[str, list[tuple[int, Proposal]]] = {}
        self.outcomes: list[Outcome] = []

    def plan(self, mutations: list[Mutation]) -> list[Outcome]:
        outcomes = []
        for index, m in enumerate(mutations):
            first = self.known.get(m.mutation_id)
            refused = first is not None and first["status"] in REFUSED
            if refused and self.prints[m.mutation_id] == fingerprint(m):
                outcome = Outcome(dict(first))  # the same refusal again, word for word
            elif first is not None and not refused:
                outcome = Outcome({**first, "status": "duplicate", "first_status": first["status"]})
            else:  # new, or a corrected resend of a refusal
                outcome = self._decide(index, m)
                self.known[m.mutation_id] = outcome.result
                if outcome.fingerprint is not None:
                    self.prints[m.mutation_id] = outcome.fingerprint
            outcomes.append(outcome)
        self.outcomes = outcomes
        return outcomes

    # --- per mutation -----------------------------------------------------------------------

    def _decide(self, index: int, m: Mutation) -> Outcome:
        spec = self.inputs.specs[m.entity]
        if m.base_version is not None and m.base_version > MAX_VERSION:  # no record gets there; no column holds it
            message = messages.INTEGER_OUT_OF_RANGE.format(min=1, max=MAX_VERSION)
            return self._rejected(m, {"base_version": [message]}, messages.FIELDS_INVALID)
        state = self._state(m)
        if m.op not in spec.allowed_ops:
            message = messages.APPEND_ONLY if spec.append_only else messages.OP_NOT_ALLOWED
            return self._rejected(m, {"op": [message]}, message)
        loaded = self.inputs.validated[index]
        if isinstance(loaded, Invalid):
            return self._rejected(m, loaded.errors, loaded.message)
        if m.op == "create":
            return self._create(index, spec, m, loaded, state)
        if state is None:
            return self._rejected(m, {"record_id": [messages.NO_RECORD]}, messages.NO_RECORD)
        if m.base_version is None:
            return self._rejected(m, {"base_version": [messages.BASE_VERSION_REQUIRED]}, messages.BASE_VERSION_REQUIRED)
        if m.op == "update":
            return self._update(index, spec, m, loaded, state)
        return self._delete(index, spec, m, state)

    def _create(self, index: int, spec: EntitySpec, m: Mutation, loaded: dict, state: RecordState | None) -> Outcome:
        new = {**loaded, "id": m.record_id, "version": 1, "created_by": self.actor.user_id,
               "observed_at": m.observed_at, "received_at": self.now, "updated_at": self.now, "deleted_at": None}
        old = state.values if state else None
        scopes = self._allowed(spec, "create", old, new)
        if scopes is None:
            return self._forbidden(m)
        if state is not None:
            differ = sorted(f for f, v in loaded.items() if old.get(f) != v)
            if not differ and old["deleted_at"] is None:
                return self._final(m, "duplicate", old["version"], messages.ALREADY_EXISTS_SAME)
            return self._conflict(spec, m, state, messages.CONFLICT_EXISTS, differ or sorted(loaded))
        proposal = Proposal(m.mutation_id, m.op, m.record_id, None, new, loaded)
        if (veto := self._veto(index, proposal)) is not None:
            return self._vetoed(veto, spec, m, None, new)
        self.states[(m.entity, m.record_id)] = RecordState(new, in_db=False)
        self._propose(index, m.entity, proposal)
        return self._applied(m, "applied", new, sorted(loaded), scopes)

    def _update(self, index: int, spec: EntitySpec, m: Mutation, loaded: dict, state: RecordState) -> Outcome:
        old = state.values
        new = {**old, **loaded}
        scopes = self._allowed(spec, "update", old, new)
        if scopes is None:
            return self._forbidden(m)
        revive = old["deleted_at"] is not None
        if revive and not self.revive:
            return self._conflict(spec, m, state, messages.CONFLICT_DELETED, sorted(loaded))
        if m.base_version > old["version"]:
            return self._conflict(spec, m, state, messages.CONFLICT_BASE_AHEAD, sorted(loaded))
        theirs = self._their_fields(m)
        clash = sorted(f for f, v in loaded.items() if f in theirs and old.get(f) != v)
        if clash:
            return self._conflict(spec, m, state, messages.CONFLICT_SAME_FIELDS, clash)
        status = "merged" if theirs else "applied"
        changed = [f for f, v in loaded.items() if old.get(f) != v]
        if not changed and not revive:
            return self._final(m, status, old["version"], messages.NOTHING_CHANGED)
        new.update(version=old["version"] + 1, updated_at=self.now, deleted_at=None)
        proposal = Proposal(m.mutation_id, m.op, m.record_id, old, new, loaded)
        if (veto := self._veto(index, proposal)) is not None:
            return self._vetoed(veto, spec, m, state, new)
        self._store(state, new, changed)
        self._propose(index, m.entity, proposal)
        return self._applied(m, status, new, changed, scopes)

    def _delete(self, index: int, spec: EntitySpec, m: Mutation, state: RecordState) -> Outcome:
        old = state.values
        scopes = self._allowed(spec, "delete", old, old)
        if scopes is None:
            return self._forbidden(m)
        if old["deleted_at"] is not None:
            # A delete carries nothing typed: a second delete is done, not a conflict for a supervisor.
            return self._final(m, "applied", old["version"], messages.ALREADY_DELETED)
        if m.base_version > old["version"]:
            return self._conflict(spec, m, state, messages.CONFLICT_BASE_AHEAD, [])
        others = self._others(m)
        if others:
            fields = sorted({f for h in others for f in h.fields})
            return self._conflict(spec, m, state, messages.CONFLICT_CHANGED, fields)
        new = {**old, "version": old["version"] + 1, "updated_at": self.now, "deleted_at": self.now}
        proposal = Proposal(m.mutation_id, m.op, m.record_id, old, new, {})
        if (veto := self._veto(index, proposal)) is not None:
            return self._vetoed(veto, spec, m, state, new)
        self._store(state, new, [])
        self._propose(index, m.entity, proposal)
        return self._applied(m, "applied", new, [], scopes)

    def _veto(self, index: int, proposal: Proposal) -> Veto | None:
        veto = self.vetoes.get(index)
        return veto if veto is not None and veto.proposal == proposal else None

    def _vetoed(self, veto: Veto, spec: EntitySpec, m: Mutation, state: RecordState | None, new: dict) -> Outcome:
        """Nothing of the mutation is kept in the batch's state: the mutations after it see the record
        as it was before it."""
        if veto.kind == "rejected":
            return self._rejected(m, dict(veto.detail), messages.FIELDS_INVALID)
        return self._conflict(spec, m, state, str(veto.detail), [], proposed=new)

    # --- helpers ----------------------------------------------------------------------------

    def _state(self, m: Mutation) -> RecordState | None:
        key = (m.entity, m.record_id)
        state = self.states.get(key)
        if state is None and key in self.inputs.records:
            state = self.states[key] = RecordState(dict(self.inputs.records[key]), in_db=True)
        return state

    def _allowed(self, spec: EntitySpec, op: str, old: dict | None, new: dict) -> tuple[str, str | None] | None:
        """(new scope, old scope if different) when the actor may write, else None."""
        writable = self.actor.write_scopes
        new_scope = spec.scope_of(new)
        old_scope = spec.scope_of(old) if old is not None and old is not new else new_scope
        if new_scope not in writable or old_scope not in writable:
            return None
        if spec.can_write is not None and not spec.can_write(self.actor, op, old, new):
            return None
        return new_scope, (old_scope if old_scope != new_scope else None)

    def _others(self, m: Mutation) -> list[History]:
        history = self.inputs.history.get((m.entity, m.record_id), ())
        return [h for h in history if h.version > m.base_version and h.origin != self.origin]

    def _their_fields(self, m: Mutation) -> set[str]:
        return {f for h in self._others(m) for f in h.fields}

    def _store(self, state: RecordState, new: dict, changed: list[str]) -> None:
        state.values = new
        state.dirty.update(changed, ("version", "updated_at", "deleted_at"))

    def _propose(self, index: int, entity: str, proposal: Proposal) -> None:
        self.proposals.setdefault(entity, []).append((index, proposal))

    def _applied(self, m: Mutation, status: str, new: dict, changed: list[str],
                 scopes: tuple[str, str | None]) -> Outcome:
        outcome = self._final(m, status, new["version"])
        for scope in scopes:
            if scope is not None:
                outcome.changes.append({
                    "entity": m.entity, "record_id": m.record_id, "version": new["version"], "op": m.op,
                    "scope": scope, "changed_fields": changed, "device_id": self.origin.device_id,
                    "user_id": self.origin.user_id, "changed_at": self.now,
                })
        return outcome

    def _final(self, m: Mutation, status: str, version: int, message: str | None = None) -> Outcome:
        result = {"mutation_id": m.mutation_id, "status": status, "version": version}
        if message:
            result["message"] = message
        return Outcome(result, record=True)

    def _rejected(self, m: Mutation, errors: dict, message: str) -> Outcome:
        result = {"mutation_id": m.mutation_id, "status": "rejected", "errors": _printable(errors), "message": message}
        return Outcome(result, record=True, fingerprint=fingerprint(m))

    def _forbidden(self, m: Mutation) -> Outcome:
        result = {"mutation_id": m.mutation_id, "status": "forbidden", "message": messages.FORBIDDEN}
        return Outcome(result, record=True, fingerprint=fingerprint(m))

    def _conflict(self, spec: EntitySpec, m: Mutation, state: RecordState | None, reason: str,
                  fields: list[str], proposed: Any = None) -> Outcome:
        """The server value stands; the device's whole change is kept (filed under the record's scope,
        or for a record not stored yet, the scope it would have had)."""
        old = state.values if state else None
        version = old["version"] if old else None
        conflict_id = new_uuid()
        scope_values = old if old is not None else proposed
        conflict = {
            "id": conflict_id, "entity": m.entity, "record_id": m.record_id, "op": m.op,
            "mutation_id": m.mutation_id, "user_id": self.actor.user_id, "device_id": self.origin.device_id,
            "base_version": m.base_version, "server_version": version, "device_fields": m.fields,
            "server_fields": spec.loader.dump(old) if old is not None else None,
            "fields_in_conflict": fields, "reason": reason, "scope": spec.scope_of(scope_values),
            "status": "open", "created_at": self.now,
        }
        result = {"mutation_id": m.mutation_id, "status": "conflict", "conflict_id": conflict_id, "message": reason}
        if version is not None:
            result["version"] = version
        return Outcome(result, record=True, conflict=conflict)


def _printable(errors: Any) -> Any:
    """Field errors as any JSON encoder and database takes them: a schema names an unknown key as
    it was sent, and a key may hold NUL or half an emoji (guard.py refuses those; this says where)."""
    if isinstance(errors, Mapping):
        return {printable(k) if isinstance(k, str) else k: _printable(v) for k, v in errors.items()}
    if isinstance(errors, list | tuple):
        return [_printable(v) for v in errors]
    return printable(errors) if isinstance(errors, str) else errors

"""The duty log plugs into the sync engine. An entry is filed under its estate's duty key (`duty:<estate id>`),
which only the desk roles hold (sync/PROTOCOL.md, "Scopes by role"). R-DUTY-1: create only, for everyone, the
administrator included (append_only: an update or delete is refused by the engine); a correction is a new entry
naming the one it corrects. The server chains each entry as it applies it, inside the push's transaction
(after_apply → chain.append), so entries made offline join the chain in the order they reach the server."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from sync.registry import EntitySpec

from ..kernel.labels import EntityWords
from ..kernel.roles import DESK
from ..kernel.scopes import estate_grant, register_grant
from ..kernel.syncing import register_entity
from . import chain
from .models import Category, DutyEntry
from .schemas import DutyEntrySchema

ENTRY = "duty_entry"
WRITERS = DESK  # R-DUTY-1: the duty desk keeps the log; the leads write in it too
LABELS = {
    ENTRY: EntityWords(
        _l("Duty log entry"),
        fields={"estate_id": _l("Estate"), "occurred_at": _l("Time"), "category": _l("Category"),
                "what": _l("What happened"), "handled_by": _l("Handled by"), "follow_up": _l("Follow-up action"),
                "corrects_id": _l("Corrects entry")},
        values={"category": Category},
        summary=("category", "what"),
        url=lambda record_id, values: url_for("duty.entry", entry_id=record_id)),
}
UNKNOWN_ENTRY = "The entry this corrects is not in this estate's duty log."

GRANT = estate_grant("duty", WRITERS)


def scope_of(values) -> str:
    return f"duty:{values['estate_id']}"


def can_write(actor, op, old_values, new_values) -> bool:
    return op == "create" and actor.role in WRITERS


def check_entries(session, actor, proposals) -> dict:
    """A correction names an entry of the same estate (stored, or made earlier in this batch)."""
    named = {p.new.get("corrects_id") for p in proposals} - {None}
    if not named:
        return {}
    estates = dict(session.execute(select(DutyEntry.id, DutyEntry.estate_id).where(DutyEntry.id.in_(named))).all())
    estates.update({p.new["id"]: p.new["estate_id"] for p in proposals})
    return {i: ("rejected", {"corrects_id": [UNKNOWN_ENTRY]}) for i, p in enumerate(proposals)
            if p.new.get("corrects_id") is not None and estates.get(p.new["corrects_id"]) != p.new["estate_id"]}


def chain_entries(session, actor, proposals, derive) -> None:
    entries = [session.get(DutyEntry, p.record_id) for p in proposals if p.op == "create"]
    chain.append(session, [e for e in entries if e is not None])


def register(app) -> None:
    register_entity(app, EntitySpec(name=ENTRY, model=DutyEntry, schema=DutyEntrySchema, scope_of=scope_of,
                                    append_only=True, can_write=can_write, check=check_entries,
                                    after_apply=chain_entries))
    register_grant(app, GRANT, ENTRY)

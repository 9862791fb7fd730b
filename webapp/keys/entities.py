"""Key loans plug into the sync engine, filed under the estate's key cabinet (`keys:<estate id>`), which only the
desk roles hold (sync/PROTOCOL.md). A key is lent to one borrower at a time: a loan of a key already out (two phones
lending it offline) is a conflict kept for the supervisor, never a second loan (R-KEY-3)."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from sync.registry import EntitySpec

from ..kernel.labels import EntityWords
from ..kernel.roles import DESK
from ..kernel.scopes import estate_grant, register_grant
from ..kernel.syncing import register_entity
from .models import Key, KeyLoan
from .schemas import KeyLoanSchema

LOAN = "key_loan"
KEEPERS = DESK  # R-KEY-2: the desk keeps the cabinet; officers and work teams do not see it
LENT_ALREADY = "This key is lent out already: it must come back before it is lent again."
LABELS = {
    LOAN: EntityWords(
        _l("Key loan"),
        fields={"estate_id": _l("Estate"), "key_id": _l("Key"), "count": _l("Number of keys"),
                "borrower": _l("Borrower"), "phone": _l("Phone"), "purpose": _l("Borrowed for"), "lent_at": _l("Lent at"),
                "expected_return": _l("Back by"), "returned_at": _l("Returned at"),
                "returned_count": _l("Keys returned"), "received_by": _l("Received by")},
        summary=("borrower", "purpose"),
        url=lambda record_id, values: url_for("keys.index")),
}

GRANT = estate_grant("keys", KEEPERS)


def scope_of(values) -> str:
    return f"keys:{values['estate_id']}"


def can_write(actor, op, old_values, new_values) -> bool:
    return op in ("create", "update") and actor.role in KEEPERS


def check_loans(session, actor, proposals) -> dict:
    """The key is the estate's and still held; no more keys than it has; one open loan a key."""
    news = [p.new for p in proposals]
    keys = {k.id: k for k in session.scalars(select(Key).where(Key.id.in_({n.get("key_id") for n in news})))}
    out = set(session.scalars(select(KeyLoan.key_id).where(
        KeyLoan.key_id.in_(list(keys)), KeyLoan.returned_at.is_(None), KeyLoan.deleted_at.is_(None))))
    found = {}
    for i, (proposal, new) in enumerate(zip(proposals, news, strict=True)):
        key = keys.get(new.get("key_id"))
        if key is None or key.estate_id != new.get("estate_id") or key.handed_back_at is not None:
            found[i] = ("rejected", {"key_id": ["Unknown key."]})
        elif new.get("count", 0) > key.count:
            found[i] = ("rejected", {"count": ["More keys than the cabinet holds for this unit."]})
        elif proposal.op == "create":
            if key.id in out:
                found[i] = ("conflict", LENT_ALREADY)
            out.add(key.id)
    return found


def register(app) -> None:
    register_entity(app, EntitySpec(name=LOAN, model=KeyLoan, schema=KeyLoanSchema, scope_of=scope_of,
                                    ops=frozenset({"create", "update"}), can_write=can_write, check=check_loans))
    register_grant(app, GRANT, LOAN)

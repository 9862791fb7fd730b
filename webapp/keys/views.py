"""The key cabinet's pages (R-KEY-1…5), for the desk only: the register with what is out and overdue, lending (an
offline form, through the outbox), the return checked against the count and countersigned by the desk person
receiving it, and the hand-back to the customer against the customer card or an ID."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from sync.store import utcnow

from ..auth.public import current_estate_or_403, roles_required
from ..extensions import db
from ..kernel.dates import local_date, tz
from ..kernel.errors import error_response
from ..kernel.labels import choices
from ..kernel.syncing import server_change
from ..policies.public import policy
from . import queries, rules
from .entities import KEEPERS, LOAN
from .models import Document, HandBack, Key, KeyLoan

bp = Blueprint("keys", __name__, url_prefix="/keys")


def key_or_404(key_id: int) -> Key:
    found = db.session.get(Key, key_id)
    if found is None or found.estate_id != current_estate_or_403().id or found.handed_back_at is not None:
        abort(404)
    return found


@bp.get("/")
@roles_required(*KEEPERS)
def index():
    estate = current_estate_or_403()
    today, days = local_date(datetime.now(UTC), tz()), policy(estate.id, rules.CHASE_POLICY)
    loans = queries.open_loans(estate.id)
    late = {k for k, loan in loans.items() if rules.overdue(local_date(loan.lent_at, tz()), False, today, days)}
    return render_template("keys/index.html", keys=queries.held_keys(estate.id), loans=loans, late=late,
                           chase_days=days, documents=choices(Document))


@bp.get("/<int:key_id>/lend")
@roles_required(*KEEPERS)
def lend(key_id):
    key = key_or_404(key_id)
    today = local_date(datetime.now(UTC), tz())
    return render_template("keys/lend.html", key=key, record_id=str(uuid.uuid4()),
                           now_iso=datetime.now(UTC).isoformat(timespec="seconds"),
                           back_by=(today + timedelta(days=1)).isoformat())


@bp.post("/loans/<uuid:loan_id>/return")
@roles_required(*KEEPERS)
def give_back(loan_id):
    """The return: the count checked, countersigned by the desk person receiving it (R-KEY-3)."""
    loan = db.session.get(KeyLoan, str(loan_id))
    if loan is None or loan.estate_id != current_estate_or_403().id:
        abort(404)
    if loan.returned_at is not None:
        return error_response(409, _("This loan was returned already."))
    count = request.form.get("returned_count", type=int)
    if count != loan.count:
        return error_response(422, _("%(n)d keys were lent: count them again. A key missing is reported as lost.",
                                     n=loan.count))
    server_change(LOAN, loan, {"returned_at": utcnow().isoformat(), "returned_count": count,
                               "received_by": current_user.id})
    return redirect(url_for("keys.index"))


@bp.post("/<int:key_id>/hand-back")
@roles_required(*KEEPERS)
def hand_back(key_id):
    """Back to the customer only against the customer card or an ID; only its kind and last four are kept (R-KEY-5)."""
    key = key_or_404(key_id)
    collector = (request.form.get("collector") or "").strip()[:64]
    proof, errors = rules.hand_back_proof(request.form.get("document"), request.form.get("document_number"))
    if not collector:
        errors["collector"] = "Say who takes the key."
    if errors:
        return error_response(422, " ".join(_(m) for m in errors.values()),
                              {k: [_(m)] for k, m in errors.items()})
    if key.id in queries.open_loans(key.estate_id):
        return error_response(409, _("This key is lent out: it must come back first."))
    document, last4 = proof
    db.session.add(HandBack(key_id=key.id, collector=collector, document=document, document_last4=last4,
                            handed_by=current_user.id, handed_at=utcnow()))
    key.handed_back_at = utcnow()
    db.session.commit()
    return redirect(url_for("keys.index"))

"""Handover 交接班 at the desk (R-DUTY-2): the incoming person reads the shift's log and the open work, records the
anomalies found and their explanation, and both sign on the one screen — each with their own password, checked
here; the person logged in stays logged in. Important open work blocks until done or let carry over by a lead."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from sync.store import utcnow

from ..auth.public import confirm_credentials, current_estate_or_403, roles_required
from ..extensions import db
from ..kernel.forms import load_form
from ..kernel.roles import DESK, LEADS
from . import handover, rules
from .forms import CarryForm, ItemForm, SignForm
from .models import Handover, HandoverItem
from .views import bp

SIGNERS = DESK  # R-DUTY-2: the people on the duty desk hand over to each other


def _page(status=200, errors=None, values=None):
    estate = current_estate_or_403()
    desk = handover.desk_of(estate.id)
    return render_template("duty/handover.html", desk=desk, blocked=rules.blocking(desk.items),
                           errors=errors or {}, values=values or {}), status


def _item(item_id) -> HandoverItem:
    found = db.session.get(HandoverItem, item_id)
    if found is None or found.estate_id != current_estate_or_403().id:
        abort(404)
    return found


@bp.get("/handover")
@roles_required(*SIGNERS)
def handover_page():
    return _page()


@bp.post("/handover/items")
@roles_required(*SIGNERS)
def add_item():
    values, errors = load_form(ItemForm(), request.form)
    if errors:
        return _page(422, errors, request.form)
    db.session.add(HandoverItem(estate_id=current_estate_or_403().id, text=values["text"], important=values["important"],
                                created_by=current_user.id, created_at=utcnow()))
    db.session.commit()
    return redirect(url_for("duty.handover_page", _anchor="work"))


@bp.post("/handover/items/<int:item_id>/done")
@roles_required(*SIGNERS)
def item_done(item_id):
    found = _item(item_id)
    if found.done_at is None:
        found.done_at, found.done_by = utcnow(), current_user.id
        db.session.commit()
    return redirect(url_for("duty.handover_page", _anchor="work"))


@bp.post("/handover/items/<int:item_id>/carry")
@roles_required(*LEADS)
def item_carry(item_id):
    """The supervisor lets important unfinished work wait for the next shift (R-DUTY-2), saying why."""
    found = _item(item_id)
    values, errors = load_form(CarryForm(), request.form)
    if errors:
        return _page(422, {f"carry-{found.id}": errors["note"]}, request.form)
    found.carry_by, found.carry_at, found.carry_note = current_user.id, utcnow(), values["note"]
    db.session.commit()
    return redirect(url_for("duty.handover_page", _anchor="work"))


@bp.post("/handover")
@roles_required(*SIGNERS)
def sign():
    """Both sign: the outgoing person (logged in) re-enters their password, the incoming person enters theirs."""
    estate = current_estate_or_403()
    values, errors = load_form(SignForm(), request.form)
    kept = {k: v for k, v in request.form.items() if "password" not in k}
    if errors:
        return _page(422, errors, kept)
    desk = handover.desk_of(estate.id)
    if rules.blocking(desk.items):
        return _page(409, {"sign": [_("Important unfinished work must be done, or the supervisor must let it "
                                      "carry over, before the handover.")]}, kept)
    cfg, addr = current_app.config, request.remote_addr or "?"
    limits = (cfg["LOGIN_MAX_FAILURES"], cfg["LOGIN_LOCKOUT_MINUTES"])
    outgoing, locked_out = confirm_credentials(current_user.username, values["outgoing_password"], addr, *limits)
    if outgoing is None:
        return _page(429 if locked_out else 401, {"outgoing_password": [_locked() if locked_out else _(
            "That is not your password.")]}, kept)
    incoming, locked_in = confirm_credentials(values["incoming"], values["incoming_password"], addr, *limits)
    if incoming is None:
        return _page(429 if locked_in else 401, {"incoming_password": [_locked() if locked_in else _(
            "Wrong username or password.")]}, kept)
    problems = rules.signature_problems(outgoing, incoming, estate.id, SIGNERS)
    if problems:
        return _page(422, {"incoming": [_(p) for p in problems]}, kept)
    found = handover.sign(estate.id, desk, outgoing.id, incoming.id, values.get("anomalies") or "",
                          values.get("explanation") or "")
    db.session.commit()
    return redirect(url_for("duty.handover_sheet", handover_id=found.id))


def _locked() -> str:
    return _("Too many failed attempts. Try again in %(n)d minutes.", n=current_app.config["LOGIN_LOCKOUT_MINUTES"])


@bp.get("/handovers/<int:handover_id>")
@roles_required(*SIGNERS)
def handover_sheet(handover_id):
    """The printable handover sheet 交接班记录."""
    found = db.session.get(Handover, handover_id)
    if found is None or found.estate_id != current_estate_or_403().id:
        abort(404)
    return render_template("duty/handover_sheet.html", handover=found, entries=handover.entries_of(found))

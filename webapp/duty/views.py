"""The duty desk's pages (R-DUTY-1): a day's log with the corrections beside what they correct, an entry, the form
(offline on the desk PC and the phone, through the outbox), and the chain's check. There is no edit and no delete
route, for anyone: a mistake is corrected by a new entry."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.public import current_estate_or_403, roles_required
from ..extensions import db
from ..kernel.dates import local_date, tz
from ..kernel.errors import error_response
from ..kernel.labels import choices
from ..kernel.parsers import Invalid, parse_date
from ..kernel.roles import LEADS
from . import chain, queries, rules
from .entities import WRITERS
from .models import Category, DutyEntry

bp = Blueprint("duty", __name__, url_prefix="/duty")
REASONS = {
    chain.EDITED: _l("Its content was changed after it was written."),
    chain.MISSING: _l("An entry before it is missing."),
    chain.MOVED: _l("Entries were moved out of the order they were written in."),
    chain.CUT: _l("The last entries are missing."),
    chain.UNCHAINED: _l("It was put into the database without being chained."),
    chain.REMOVED: _l("It was marked as deleted."),
}


def entry_or_404(entry_id) -> DutyEntry:
    found = db.session.get(DutyEntry, str(entry_id))
    if found is None or found.deleted_at is not None or found.estate_id != current_estate_or_403().id:
        abort(404)
    return found


def _day():
    today = local_date(datetime.now(UTC), tz())
    raw = request.args.get("day")
    if not raw:
        return today
    try:
        return parse_date(raw) or today
    except Invalid:
        return None


@bp.get("/")
@roles_required(*WRITERS)
def index():
    """One day's log, the day before and after a tap away."""
    estate, day = current_estate_or_403(), _day()
    if day is None:
        return error_response(400, _("Not a date: write it as 2026-12-06."))
    lines = rules.lines_of(queries.day_entries(estate.id, day, tz()))
    return render_template("duty/index.html", lines=lines, day=day, prev_day=day - timedelta(days=1),
                           next_day=day + timedelta(days=1), today=local_date(datetime.now(UTC), tz()))


@bp.get("/entries/<uuid:entry_id>")
@roles_required(*WRITERS)
def entry(entry_id):
    found = entry_or_404(entry_id)
    corrected = db.session.get(DutyEntry, found.corrects_id) if found.corrects_id else None
    return render_template("duty/entry.html", entry=found, corrected=corrected,
                           corrections=queries.corrections_of([found.id]))


@bp.get("/new")
@roles_required(*WRITERS)
def new():
    """A new entry, or (?corrects=<id>) the correction of one (R-DUTY-1)."""
    estate = current_estate_or_403()
    corrects = request.args.get("corrects")
    corrected = None
    if corrects:
        try:
            corrected = entry_or_404(uuid.UUID(corrects))
        except ValueError:
            abort(404)
    return render_template(
        "duty/form.html", estate=estate, corrected=corrected, categories=choices(Category),
        record_id=str(uuid.uuid4()), now_iso=datetime.now(UTC).isoformat(timespec="seconds"),
        handled_by=current_user.display_name)


@bp.get("/verify")
@roles_required(*LEADS)
def verify():
    """Whether the estate's log is as it was written: the first entry where the chain breaks."""
    estate = current_estate_or_403()
    return render_template("duty/verify.html", broken=chain.verify(db.session, estate.id), reasons=REASONS,
                           head=db.session.get(chain.ChainHead, estate.id))

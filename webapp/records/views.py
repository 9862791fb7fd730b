"""日工作记录 The daily work record (R-REC-1): the officer's day, assembled and added to, submitted offline;
the morning review (R-REC-3): the supervisor reads the day before's records and replies in them.

Replies are plain online forms, not synced records: the supervisor reads at the desk in the morning, and
the officer sees a reply only on a page fetched from the server (Today's badge, the record), so an answer
written beside it is written online too; that keeps the review's conversation out of the phone's outbox
and its conflicts inbox."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from sync.store import utcnow

from ..areas.public import estate_officers
from ..auth.public import areas_visible_to, current_estate_or_403, roles_required
from ..extensions import db
from ..kernel.dates import local_date, tz
from ..kernel.forms import load_form
from ..kernel.hooks import day_items
from ..kernel.roles import LEADS, Role
from ..policies.public import policy
from . import edits, queries, rules
from .models import DailyRecord
from .schemas import ReplyForm

bp = Blueprint("records", __name__, url_prefix="/records")
READERS = LEADS  # R-REC-3: the supervisor (and those above) read and reply
DAYS_LISTED = 14


def _day_or_404(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


def _record_or_404(record_id) -> DailyRecord:
    found = queries.record(str(record_id))
    if found is None:
        abort(404)
    if current_user.role == Role.OFFICER:
        if found.officer_id != current_user.id:
            abort(403)
    elif found.area.estate_id not in current_user.estate_ids and current_user.role != Role.ADMIN:
        abort(403)
    return found


@bp.get("/")
@roles_required(Role.OFFICER, *READERS)
def index():
    if current_user.role != Role.OFFICER:
        return redirect(url_for("records.review"))
    estate = current_estate_or_403()
    today = local_date(utcnow(), tz())
    days = [today - timedelta(days=n) for n in range(DAYS_LISTED)]
    kept = queries.recent_records(current_user.id, days[-1], today)
    working = policy(estate.id, "record_working_days")
    rows = [(d, kept[d].record if d in kept else None, rules.is_working_day(d, working),
             kept[d].unseen if d in kept else 0) for d in days]
    return render_template("records/index.html", rows=rows, today=today)


@bp.get("/day/<day>")
@roles_required(Role.OFFICER)
def day(day):
    the_day = _day_or_404(day)
    today = local_date(utcnow(), tz())
    if the_day > today:
        abort(404)
    areas = areas_visible_to(current_user)
    if not areas:
        abort(403)
    kept = queries.record_of(current_user.id, the_day)
    replies = queries.replies_of([kept.id])[kept.id] if kept else []
    if kept is not None:
        _viewed(kept.id)
    return render_template("records/day.html", day=the_day, today=today, record=kept, area=kept.area if kept else areas[0],
                           items=day_items(current_user.id, the_day, tz()), replies=replies,
                           record_id=rules.record_id(current_user.id, the_day),
                           versions=queries.versions_of(kept.id) if kept else [])


@bp.get("/review")
@roles_required(*READERS)
def review():
    estate = current_estate_or_403()
    today = local_date(utcnow(), tz())
    the_day = (_day_or_404(request.args["day"]) if request.args.get("day")
               else rules.previous_working_day(today, policy(estate.id, "record_working_days")))
    return render_template("records/review.html", day=the_day, today=today, before=the_day - timedelta(days=1),
                           after=the_day + timedelta(days=1), **review_rows(estate, the_day))


def review_rows(estate, the_day: date) -> dict:
    """The estate's officers and their record of the day: read or not, how many replies."""
    officers = [o for o in estate_officers(estate.id, False) if o.active]
    return {"officers": officers, "reviewed": queries.day_review([o.id for o in officers], the_day)}


@bp.get("/<uuid:record_id>")
@roles_required(Role.OFFICER, *READERS)
def show(record_id):
    found = _record_or_404(record_id)
    if current_user.role == Role.OFFICER:
        return redirect(url_for("records.day", day=found.day.isoformat()))
    _viewed(found.id)
    return _record_page(found)


def _viewed(record_id: str) -> None:
    """A person opened the record: read (R-REC-3), its replies seen. The phone's background refresh of its
    offline pages (X-Patrolbook-Refresh) is nobody reading."""
    if request.headers.get("X-Patrolbook-Refresh"):
        return
    edits.mark_read(record_id, current_user.id, utcnow())
    db.session.commit()


def _record_page(found: DailyRecord, errors=None, status: int = 200):
    return render_template("records/record.html", record=found, items=day_items(found.officer_id, found.day, tz()),
                           replies=queries.replies_of([found.id])[found.id], versions=queries.versions_of(found.id),
                           errors=errors or {}), status


@bp.post("/<uuid:record_id>/replies")
@roles_required(Role.OFFICER, *READERS)
def reply(record_id):
    found = _record_or_404(record_id)
    values, errors = load_form(ReplyForm(), request.form)
    if not errors and values.get("line") and values["line"] not in _lines(found):
        errors = {"text": [_("That line is not in this record.")]}
    if errors:
        if current_user.role == Role.OFFICER:
            return render_template("records/day.html", day=found.day, today=local_date(utcnow(), tz()), record=found,
                                   area=found.area, items=day_items(found.officer_id, found.day, tz()),
                                   replies=queries.replies_of([found.id])[found.id], record_id=found.id,
                                   versions=queries.versions_of(found.id), errors=errors), 422
        return _record_page(found, errors, 422)
    now = utcnow()
    edits.add_reply(found.id, current_user.id, values["text"], values.get("line"), now)
    edits.mark_read(found.id, current_user.id, now)
    db.session.commit()
    target = "records.day" if current_user.role == Role.OFFICER else "records.show"
    args = {"day": found.day.isoformat()} if current_user.role == Role.OFFICER else {"record_id": found.id}
    return redirect(url_for(target, **args, _anchor="replies"))


def _lines(found: DailyRecord) -> set[str]:
    """What a reply may point at: a line of the day's work, or one of what the officer added."""
    return {"notes", "follow_up", *(item.key for item in day_items(found.officer_id, found.day, tz()))}


@bp.get("/<uuid:record_id>/print")
@roles_required(Role.OFFICER, *READERS)
def print_record(record_id):
    found = _record_or_404(record_id)
    return render_template("records/print.html", record=found, items=day_items(found.officer_id, found.day, tz()),
                           replies=queries.replies_of([found.id])[found.id])

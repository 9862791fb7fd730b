"""The officer's pages: visits against the quota, the visit form (offline, with the households of their
areas to search on the phone), the cases of their areas and each case's history."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import abort, flash, make_response, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from sync.errors import BatchError
from sync.media import media_exists

from ..areas.public import estate_officers
from ..auth.public import area_ids_visible_to, areas_visible_to, require_area, roles_required
from ..estate.public import Household
from ..extensions import db
from ..kernel.dates import local_date, tz
from ..kernel.errors import error_response
from ..kernel.forms import int_arg, mutation_from_form, safe_return_url
from ..kernel.hooks import entity_words
from ..kernel.labels import choices
from ..kernel.roles import CUSTOMER_SERVICE, FIELD, Role, Team
from ..kernel.syncing import entities, push_form
from . import charts, queries, rules
from .entities import CASE, VISIT
from .models import SATISFACTION_LABELS, Case, CaseSource, CaseStatus, CaseType, Urgency, Visit, VisitKind
from .views import bp


def record_or_404(model, record_id):
    """A visit or case by id: 404 if there is none, 403 outside the user's areas."""
    found = db.session.get(model, str(record_id))
    if found is None or found.deleted_at is not None:
        abort(404)
    require_area(found.area_id)
    return found


def today():
    return local_date(datetime.now(UTC), tz())


@bp.get("/")
@roles_required(*FIELD)
def index():
    """Visits: the quota of each of my areas and the latest visits."""
    areas, day = areas_visible_to(current_user), today()
    estates = {area.id: area.estate_id for area in areas}
    found, months = queries.areas_progress(estates, day, tz()), queries.months_progress(estates, day, tz())
    progress = [(area, found[area.id]) for area in areas]
    history = {area.id: charts.months(months[area.id]) for area in areas}
    return render_template("residents/index.html", progress=progress, history=history, month_words=charts.month_words(),
                           visits=queries.recent_visits([a.id for a in areas]), today=day)


@bp.get("/visit")
@roles_required(*FIELD)
def visit_form():
    """The visit form (家访工作记录表 / 电话访问记录表, R-VIS-5). The phone keeps it offline with the
    households of the officer's areas, searched on the phone; ?household= picks one without script."""
    areas = areas_visible_to(current_user)
    if not areas:
        abort(403)
    chosen_id = request.args.get("household", type=int_arg)
    chosen = queries.household_in(chosen_id, [a.id for a in areas]) if chosen_id else None
    if chosen_id and chosen is None:
        abort(403)
    rows = queries.search_rows([a.id for a in areas], today().year, tz())
    q = request.args.get("q", "").strip()[:64]  # the search without script
    response = make_response(render_template(
        "residents/visit_form.html", rows=rows, chosen=chosen, record_id=str(uuid.uuid4()),
        q=q, found=rules.households_matching(rows, q),
        now_iso=datetime.now(UTC).isoformat(timespec="seconds"), kinds=choices(VisitKind), types=choices(CaseType),
        satisfaction=[(k, str(v)) for k, v in SATISFACTION_LABELS.items()],
        round_id=_uuid_or_none(request.args.get("round"))))
    # A visit from a patrol round (顺访业户) only pre-fills the form, and its script reads the query too:
    # offline the worker answers it from the one cached /residents/visit (templates/pwa/sw.js).
    response.headers["X-Patrolbook-Prefill"] = "round area"
    return response


@bp.post("/visit")
@roles_required(*FIELD)
def submit_visit():
    """The visit form without script: the mutation the phone would queue, with the opinions of its fixed
    rows, pushed at once (R-VIS-5)."""
    mutation = mutation_from_form(entities().find(VISIT), request.form)
    fields = mutation["fields"]
    if "opinions" not in fields and (typed := rules.opinions_from_form(request.form)):
        fields["opinions"] = typed
    return _pushed(VISIT, mutation["record_id"], fields, safe_return_url(request.form.get("return_url")))


@bp.post("/cases/new")
@roles_required(*CUSTOMER_SERVICE)
def submit_case():
    """The matter form without script: received today and due by its kind's days on the server (R-REQ-1),
    as its script would have dated it on the phone."""
    mutation = mutation_from_form(entities().find(CASE), request.form)
    fields, day, area_id = mutation["fields"], today(), request.form.get("area_id", type=int_arg)
    estate = queries.area_estates([area_id]).get(area_id) if area_id else None
    if estate is not None and fields.get("type") in {t.value for t in CaseType}:
        fields.update(received_on=day.isoformat(),
                      due_on=rules.due_on(fields["type"], day, queries.due_days(estate.id)).isoformat())
    return _pushed(CASE, mutation["record_id"], fields, safe_return_url(request.form.get("return_url")))


def _pushed(entity: str, record_id: str, fields: dict, then: str):
    """A form's record pushed at once as the phone would send it: on to `then`, or what is wrong with it."""
    try:
        outcome = push_form(entity, record_id, fields)
    except BatchError:  # a damaged record id or the like: nothing was stored
        return error_response(422, _("The form was damaged: reload the page and fill it in again."))
    if outcome["status"] == "forbidden":
        abort(403)
    if outcome["status"] == "rejected":
        return error_response(422, outcome.get("message") or None, outcome.get("errors"), entity_words(entity).fields)
    flash(_("Saved."), "success")
    return redirect(then)


def _uuid_or_none(text: str | None) -> str | None:
    """A patrol round's id from the link that started the visit (R-VIS-3); anything else is no round."""
    try:
        return str(uuid.UUID(text)) if text else None
    except ValueError:
        return None


@bp.get("/cases")
@roles_required(*CUSTOMER_SERVICE)
def cases():
    day = today()
    found = rules.by_urgency(queries.cases_in(area_ids_visible_to(current_user)), day)
    return render_template("residents/cases.html", cases=found, today=day)


@bp.get("/cases/<uuid:case_id>")
@roles_required(*CUSTOMER_SERVICE)
def case(case_id):
    found = record_or_404(Case, case_id)
    moves = [CaseStatus(s) for s in sorted(rules.TRANSITIONS[found.status], key=list(CaseStatus).index)]
    visit = db.session.get(Visit, found.visit_id) if found.visit_id else None
    shown = [*found.photo_ids, *(visit.photo_ids if visit else ())]
    return render_template("residents/case.html", case=found, events=queries.events_of(found.id),
                           moves=moves, teams=choices(Team), visit=visit, arrived=media_exists(db.session, shown), people=estate_officers(found.area.estate_id), today=today())


@bp.get("/cases/new")
@roles_required(*CUSTOMER_SERVICE)
def case_form():
    """A matter raised in the field by an officer (offline), or at the front desk by phone or in person
    (R-REQ-1): the household, unit or place, what it is, how urgent, who handles it."""
    areas = areas_visible_to(current_user)
    if not areas:
        abort(403)
    day = today()
    estate_id = areas[0].estate_id
    policy_days = queries.due_days(estate_id)
    due_days = {t.value: policy_days[key] for t, key in rules.DUE_POLICIES.items()}
    desk = current_user.role != Role.OFFICER
    return render_template("residents/case_form.html", areas=areas, rows=queries.search_rows(
        [a.id for a in areas], day.year, tz()), types=choices(CaseType), urgencies=choices(Urgency),
        teams=choices(Team), people=estate_officers(estate_id), sources=choices((CaseSource.PHONE_CALL, CaseSource.WALK_IN)) if desk else None,
        due_days=due_days, today=day, record_id=str(uuid.uuid4()),
        first_due=rules.due_on(CaseType.COMPLAINT, day, policy_days))


@bp.get("/households/<int:household_id>")
@roles_required(*CUSTOMER_SERVICE)
def household(household_id):
    """A household's visits and matters (R-VIS-5, R-REQ-1)."""
    found = db.session.get(Household, household_id)
    if found is None:
        abort(404)
    if found.unit.building.area_id is None:
        abort(403)  # a building in no area: nobody's household to visit
    require_area(found.unit.building.area_id)
    visits, cases = queries.household_history(found.id)
    return render_template("residents/household.html", household=found, visits=visits,
                           arrived=media_exists(db.session, [p for v in visits for p in v.photo_ids]),
                           cases=rules.by_urgency(cases, today()), today=today())


@bp.get("/visits/<uuid:visit_id>")
@roles_required(*CUSTOMER_SERVICE)
def visit(visit_id):
    """A visit's record (家访工作记录表 / 电话访问记录表, R-VIS-5) and the matters its opinions became."""
    found = record_or_404(Visit, visit_id)
    cases = [db.session.get(Case, rules.case_id(found.id, i)) for i in range(len(found.opinions))]
    return render_template("residents/visit.html", visit=found, cases=[c for c in cases if c is not None],
                           arrived=media_exists(db.session, found.photo_ids), today=today())

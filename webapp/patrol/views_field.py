"""The officer's phone: due list, round forms (key location, full area; spot-checks for leads), rounds,
findings and their status forms, the emergency form. Forms are offline (outbox) forms."""

from __future__ import annotations

import uuid

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from sync.media import media_exists
from sync.store import utcnow

from ..areas.public import Area, KeyLocation, officers_by_area
from ..auth.public import (
    area_ids_visible_to,
    areas_visible_to,
    current_estate_or_403,
    require_area,
    roles_required,
)
from ..extensions import db
from ..kernel.forms import int_arg
from ..kernel.htmx import render
from ..kernel.paging import window
from ..kernel.roles import ALL_ROLES, FIELD, LEADS, Role, Team
from ..kernel.syncing import push_form
from . import charts, queries, rules
from .models import EmergencyKind, Finding, FindingStatus, PatrolRound, Purpose, RoundKind
from .round_form import check_errors_by_item, round_fields_from_form, valid_record_id
from .views import bp


def location_or_404(location_id: int | None) -> KeyLocation:
    location = db.session.get(KeyLocation, location_id or 0)
    if location is None or not location.active:
        abort(404)
    require_area(location.area_id)
    return location


def finding_or_403(finding_id: str) -> Finding:
    finding = db.session.get(Finding, finding_id)
    if finding is None or finding.deleted_at is not None:
        abort(404)
    if finding.area_id not in area_ids_visible_to(current_user):
        abort(403)
    if current_user.role == Role.TEAM and finding.team != current_user.team:
        abort(403)
    return finding


@bp.get("/")
@roles_required(*FIELD, Role.TEAM)
def index():
    if current_user.role == Role.TEAM:
        return redirect(url_for("patrol.findings"))
    estate, now = current_estate_or_403(), utcnow()
    dues = queries.areas_due(areas_visible_to(current_user), now, officers_by_area(estate.id))
    recent = db.session.scalars(queries.rounds_query(area_ids_visible_to(current_user)).limit(10)).all()
    return render_template("patrol/index.html", dues=dues, recent=recent, is_lead=current_user.has_role(*LEADS),
                           spot_counts=queries.spot_checks_by_area([d.area.id for d in dues], now))


def round_page(area: Area, location: KeyLocation | None, status: int = 200, **extra):
    kinds = queries.round_kinds(location)
    templates = queries.current_templates(area.estate_id, kinds)
    purpose = Purpose.SPOT_CHECK if current_user.has_role(*LEADS) else Purpose.PATROL
    days = queries.policy(area.estate_id, "key_location_patrol_days" if location else "full_patrol_days")
    context = dict(area=area, location=location, templates=templates, purpose=purpose, teams=list(Team),
                   to_verify=queries.findings_to_verify(location.id if location else None, area.id),
                   record_id=str(uuid.uuid4()), period_days=days, epoch=rules.EPOCH.isoformat(),
                   kind=RoundKind.KEY if location else RoundKind.FULL, errors={}, item_errors={}, posted=None)
    context.update(extra)
    return render_template("patrol/round_form.html", **context), status


@bp.get("/round/new")
@roles_required(*FIELD)
def round_form():
    """The round at one key location; its URL + '#qr' is what the printed QR code holds (R-PAT-1)."""
    location = location_or_404(request.args.get("location_id", type=int_arg))
    return round_page(location.area, location)


@bp.get("/round/full")
@roles_required(*FIELD)
def full_round_form():
    """The weekly round of the whole area (R-PAT-1); for a supervisor, a full inspection (R-SUP-1)."""
    return round_page(require_area(request.args.get("area_id", type=int_arg) or 0), None)


@bp.post("/round")
@roles_required(*FIELD)
def submit_round():
    """The round form without JavaScript: the same mutation the phone would queue, pushed at once. A
    spot-check then shows its comparison (R-SUP-1); an officer goes back to Today."""
    area = require_area(request.form.get("area_id", type=int_arg) or 0)
    location = location_or_404(request.form.get("key_location_id", type=int_arg)) if request.form.get("key_location_id") else None
    fields, record_id = round_fields_from_form(request.form), valid_record_id(request.form.get("record_id"))
    if record_id is None:
        return round_page(area, location, 400, errors=[_("The form was damaged: reload the page and fill it in again.")])
    outcome = push_form("patrol_round", record_id, fields)
    if outcome["status"] == "forbidden":
        abort(403)
    if outcome["status"] == "rejected":
        by_item, general = check_errors_by_item(outcome.get("errors"), fields["checks"])
        return round_page(area, location, 422, errors=general or [outcome.get("message")], item_errors=by_item,
                          posted=request.form, record_id=record_id)
    flash(_("Round saved."), "success")
    return redirect(after_round_url(record_id))


def after_round_url(record_id: str) -> str:
    if current_user.has_role(*LEADS):
        return url_for("patrol.round_detail", round_id=record_id)
    return url_for("home.today")


@bp.get("/rounds")
@roles_required(*FIELD)
def rounds():
    area_ids = area_ids_visible_to(current_user)
    chosen = request.args.get("area_id", type=int_arg)
    if chosen is not None:
        area_ids = {require_area(chosen).id}
    return render("patrol/rounds.html", "patrol/_rounds.html", pager=window(queries.rounds_query(area_ids), 30), areas=areas_visible_to(current_user),
                  chosen=chosen)


@bp.get("/rounds/<uuid:round_id>")
@roles_required(*FIELD)
def round_detail(round_id):
    done = db.session.get(PatrolRound, str(round_id))
    if done is None or done.deleted_at is not None:
        abort(404)
    require_area(done.area_id)
    other = queries.officer_round_before(done) if done.purpose == Purpose.SPOT_CHECK else None
    items = queries.item_snapshots([c.get("item_id") for c in done.checks + (other.checks if other else [])])
    photos = [p for c in done.checks for p in c.get("photo_ids") or ()]
    comparison = rules.compare_rounds(done.checks, other.checks if other else None, items, label=queries.item_label) \
        if done.purpose == Purpose.SPOT_CHECK else None
    findings = db.session.scalars(select(Finding).where(Finding.round_id == done.id)).all()
    return render_template("patrol/round.html", round=done, items=items, arrived=media_exists(db.session, photos),
                           other=other, comparison=comparison, findings=findings, label=queries.item_label)


@bp.get("/spot-check/result")
@roles_required(*LEADS)
def spot_check_result():
    """Where a spot-check queued on the phone lands (R-SUP-1): its comparison with the officer's round
    once it has arrived; until then a page that asks again every few seconds. Without a query it is only
    that page, kept offline: the worker answers a spot-check saved with no signal from it (sw.js)."""
    if "area_id" not in request.args:
        response = make_response(render_template("patrol/round_pending.html"))
        response.headers["X-Patrolbook-Prefill"] = "area_id location_id since"  # it asks again at its own URL
        return response
    area = require_area(request.args.get("area_id", type=int_arg) or 0)
    found = queries.latest_spot_check(current_user.id, area.id, request.args.get("location_id", type=int_arg),
                                      rules.parse_aware(request.args.get("since")))
    if found is None:
        return render_template("patrol/round_pending.html"), 404
    target = url_for("patrol.round_detail", round_id=found.id)
    return (("", 200, {"HX-Redirect": target}) if request.headers.get("HX-Request") else redirect(target))


@bp.get("/findings")
@roles_required(*FIELD, Role.TEAM)
def findings():
    """Findings per area and per team, filtered (R-PAT-4); a team sees its own findings only."""
    area_ids = area_ids_visible_to(current_user)
    area_id = request.args.get("area_id", type=int_arg)
    if area_id:
        area_ids = {require_area(area_id).id}
    team = current_user.team if current_user.role == Role.TEAM else request.args.get("team") or None
    status = request.args.get("status") or None
    status = status if status in {s.value for s in FindingStatus} | {"open_all"} else None
    residents = request.args.get("residents") == "1"
    query = queries.findings_query(area_ids, status if status != "open_all" else None, team,
                                   open_only=status == "open_all", residents=residents)
    page = db.paginate(queries.listed(query), per_page=30, error_out=False)
    ages = queries.ages_of(queries.findings_query(area_ids, team=team, open_only=True, residents=residents), utcnow())
    return render("patrol/findings.html", "patrol/_findings.html", pager=page, areas=areas_visible_to(current_user),
                  area_id=area_id, team=team, chosen_status=status, teams=list(Team), residents=residents,
                  statuses=list(FindingStatus), ages=charts.age_histogram(ages), open_total=sum(ages),
                  age_words=charts.age_words())


@bp.get("/findings/<uuid:finding_id>")
@roles_required(*FIELD, Role.TEAM)
def finding(finding_id):
    found = finding_or_403(str(finding_id))
    arrived = media_exists(db.session, list(found.photo_ids or ()) + list(found.fixed_photo_ids or ()))
    is_team = current_user.role == Role.TEAM
    return render_template("patrol/finding.html", finding=found, arrived=arrived, teams=list(Team),
                           round=db.session.get(PatrolRound, found.round_id), is_team=is_team,
                           can_fix=is_team and found.status in (FindingStatus.OPEN, FindingStatus.ASSIGNED),
                           can_manage=not is_team and found.status != FindingStatus.VERIFIED)


@bp.get("/emergency/new")
@roles_required(*ALL_ROLES)
def emergency_form():
    """紧急上报: from every screen, in any area of the estate (R-PAT-5)."""
    estate = current_estate_or_403()
    areas = db.session.scalars(select(Area).where(Area.estate_id == estate.id, Area.active.is_(True)).order_by(Area.code)).all()
    # Back to the user's own home page (cached for offline use), not "/" (a redirect, never cached).
    home = url_for("home.overview" if current_user.is_desk else "home.today")
    return render_template("patrol/emergency_form.html", estate=estate, areas=areas, kinds=list(EmergencyKind),
                           own=area_ids_visible_to(current_user) if current_user.role == Role.OFFICER else set(),
                           home=home)

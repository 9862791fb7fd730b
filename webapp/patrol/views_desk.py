"""Supervisors and managers: coverage with the 30-day heat-map, QR sheets, the emergencies inbox."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from sync.media import media_exists
from sync.store import utcnow

from ..areas.public import KeyLocation, officers_by_area
from ..auth.public import (
    area_ids_visible_to,
    areas_visible_to,
    current_estate_or_403,
    require_area,
    roles_required,
)
from ..extensions import db
from ..kernel.forms import int_arg
from ..kernel.htmx import render, wants_fragment
from ..kernel.roles import DESK, LEADS, Role
from ..kernel.syncing import server_change
from . import charts, queries, rules
from .models import Emergency
from .qr import location_qr
from .views import bp


@bp.get("/coverage")
@roles_required(*LEADS)
def coverage():
    """Per area and officer: key locations done vs due per day, weekly full rounds, missed rounds,
    open findings by age, full inspections this month (R-PAT-1, R-SUP-1)."""
    estate = current_estate_or_403()
    cards = queries.areas_coverage([a for a in areas_visible_to(current_user) if a.estate_id == estate.id], utcnow(),
                                   officers_by_area(estate.id))
    return render_template("patrol/coverage.html", cards=cards, charts=charts.areas(cards), level=rules.day_level,
                           **charts.words())


@bp.get("/coverage/officers")
@roles_required(*LEADS)
def officer_coverage():
    """Per officer, rounds credited to who did them (R-PAT-1): key locations of the areas they held,
    done by them, covered by others or missed; rounds elsewhere; weekly full rounds; a 30-day heat-map."""
    cards = queries.officer_coverage(current_estate_or_403().id, utcnow())
    return render_template("patrol/officer_coverage.html", cards=cards, charts=charts.officers(cards),
                           level=rules.day_level, **charts.words())


@bp.get("/coverage/<int:area_id>")
@roles_required(*LEADS)
def area_coverage(area_id: int):
    area, now = require_area(area_id), utcnow()
    card = queries.area_coverage(area, now, officers_by_area(area.estate_id).get(area.id))
    card.today_due = queries.area_due(area, now)
    recent = db.session.scalars(queries.rounds_query({area.id}).limit(20)).all()
    return render_template("patrol/area_coverage.html", card=card, recent=recent,
                           ages=charts.age_histogram(card.open_by_age), level=rules.day_level, **charts.words())


@bp.get("/qr")
@roles_required(*LEADS, Role.OFFICER)
def qr_sheets():
    """Printable QR codes, one per key location: the code is the round form's URL + #qr (R-PAT-1)."""
    area_ids = area_ids_visible_to(current_user)
    chosen = request.args.get("area_id", type=int_arg)
    if chosen:
        area_ids = {require_area(chosen).id}
    locations = db.session.scalars(select(KeyLocation).where(KeyLocation.area_id.in_(list(area_ids)),
                                                             KeyLocation.active.is_(True))
                                   .order_by(KeyLocation.area_id, KeyLocation.id)).all()
    return render_template("patrol/qr_sheets.html", cards=[location_qr(loc) for loc in locations],
                           areas=areas_visible_to(current_user), chosen=chosen)


def emergencies_for_user(estate_id: int) -> list[Emergency]:
    """Leads and the desk see every active emergency; an officer those in their areas or without one."""
    found = queries.active_emergencies(estate_id)
    if current_user.role in (Role.OFFICER, Role.TEAM):
        mine = area_ids_visible_to(current_user)
        found = [e for e in found if e.area_id is None or e.area_id in mine or e.created_by == current_user.id]
    return found


def emergency_panel(estate_id: int, also=()) -> dict:
    """What the emergencies section shows: the active ones, their photos that have arrived, and
    whether this user may acknowledge (R-PAT-5)."""
    active = emergencies_for_user(estate_id)
    photos = [p for e in (*active, *also) for p in e.photo_ids or ()]
    return {"active": active, "arrived": media_exists(db.session, photos), "poll": True,
            "can_ack": current_user.has_role(*LEADS)}


@bp.get("/emergencies")
@roles_required(*DESK)
def emergencies():
    estate = current_estate_or_403()
    recent = db.session.scalars(select(Emergency).where(Emergency.estate_id == estate.id, Emergency.deleted_at.is_(None))
                                .order_by(Emergency.received_at.desc()).limit(30)
                                .options(*queries.EMERGENCY_SHOWN)).all()
    return render_template("patrol/emergencies.html", recent=recent, **emergency_panel(estate.id, recent))


@bp.get("/emergencies/active")
@roles_required(Role.OFFICER, Role.TEAM, *DESK)
def emergencies_active():
    """The polled section (hx-trigger every 15s) on the overview and today pages."""
    return render_template("patrol/_emergencies.html", **emergency_panel(current_estate_or_403().id))


@bp.post("/emergencies/<uuid:emergency_id>/acknowledge")
@roles_required(*LEADS)
def acknowledge(emergency_id):
    """A supervisor takes it in hand (R-PAT-5); it then leaves the home pages."""
    emergency = db.session.get(Emergency, str(emergency_id))
    if emergency is None or emergency.estate_id not in current_user.estate_ids and current_user.role != Role.ADMIN:
        abort(404)
    if emergency.acknowledged_at is None:
        server_change("patrol_emergency", emergency, {"acknowledged_at": utcnow().isoformat(),
                                                      "acknowledged_by": current_user.id,
                                                      "ack_note": (request.form.get("ack_note") or "").strip() or None})
    if wants_fragment():
        return render("patrol/_emergencies.html", "patrol/_emergencies.html", **emergency_panel(emergency.estate_id))
    flash(_("Emergency acknowledged."), "success")
    return redirect(url_for("patrol.emergencies"))

"""The register at the desk (R-REN-2): list, create and edit, status, papers and the inspection template.
Bad input → message, nothing stored. Extra inspectors of a mass-renovation period: views_extra."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from sync.errors import MediaError
from sync.store import utcnow

from ..auth.public import area_ids_visible_to, areas_visible_to, current_estate_or_403, roles_required
from ..estate.public import Building, Unit
from ..extensions import db
from ..kernel.errors import error_response
from ..kernel.media import save_upload
from ..kernel.roles import LEADS
from ..kernel.scopes import actor_for
from . import queries, rules
from .access import renovation_or_403
from .models import InspectionTemplate, Renovation, Status
from .views import EDITORS, READERS, bp

TEXT = ("owner_name", "owner_phone", "contractor", "foreman", "foreman_phone", "approval_no", "scope",
        "hours_from", "hours_to")
MAX_PAPERS = 10


_date = rules.parse_date


_int = rules.parse_int  # "²" or a 23-digit id is no number here: a message, never a 500


def form_values(form) -> dict:
    values = {name: (form.get(name) or "").strip() for name in TEXT}
    values.update(start_date=_date(form.get("start_date")), planned_end=_date(form.get("planned_end")),
                  crew_size=_int(form.get("crew_size")), status=form.get("status") or Status.APPLIED.value)
    return values


def _unit(form, errors: dict) -> Unit | None:
    estate = current_estate_or_403()
    building = db.session.get(Building, _int(form.get("building_id")) or 0)
    unit = None
    if building is not None and building.estate_id == estate.id:
        unit = db.session.scalar(select(Unit).where(Unit.building_id == building.id,
                                                    Unit.room == (form.get("room") or "").strip()))
    if unit is None:
        errors["room"] = [_("No such unit in this building.")]
    elif building.area_id is None or building.area_id not in area_ids_visible_to(current_user):
        errors["room"] = [_("This unit's building is not in an area you look after.")]
    return unit


def _papers(errors: dict) -> list[str]:
    """Uploaded drawings, approval, licence (photos or PDF) through the engine's media store."""
    ids = []
    files = [f for f in request.files.getlist("papers") if f and f.filename][:MAX_PAPERS]
    for upload in files:
        data = upload.read()
        media_id = str(uuid.uuid4())
        try:
            save_upload(actor_for(current_user), media_id, data, upload.mimetype, hashlib.sha256(data).hexdigest())
        except MediaError as exc:
            errors["papers"] = [_(exc.message)]
            return []
        ids.append(media_id)
    return ids


def _page(ren, values, errors, status=200):
    estate = current_estate_or_403()
    buildings = db.session.scalars(select(Building).where(Building.estate_id == estate.id,
                                                          Building.area_id.in_(list(area_ids_visible_to(current_user))))
                                   .order_by(Building.sort_key)).all()
    return render_template("renovation/form.html", ren=ren, values=values, errors=errors, buildings=buildings,
                           statuses=list(Status)[:4]), status


def _saved(ren: Renovation, message: str):
    """Commit a register change; its floor becomes (or stops being) a key location (R-PAT-1)."""
    queries.sync_floor_location(ren, queries.today(utcnow()))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("renovation.detail", renovation_id=ren.id))


@bp.get("/")
@roles_required(*READERS)
def index():
    """The register of the areas the user sees, by area, and who still has to be inspected today (R-REN-1)."""
    estate, now = current_estate_or_403(), utcnow()
    area_ids = area_ids_visible_to(current_user)
    status = request.args.get("status") if request.args.get("status") in {s.value for s in Status} else None
    area = _int(request.args.get("area"))
    shown = {area} & area_ids if area else area_ids
    recent = None if status else now - timedelta(days=rules.REGISTER_CLOSED_DAYS)
    rows = queries.renovations_in(shown, [status] if status else None, closed_since=recent)
    extra = [db.session.get(Renovation, rid) for rid in queries.assigned_to(current_user.id, queries.today(now))]
    return render_template("renovation/index.html", groups=queries.by_area(rows), statuses=list(Status),
                           chosen=status, areas=areas_visible_to(current_user), chosen_area=area,
                           today=queries.today_rows(area_ids, now, estate.id),
                           extra=[r for r in extra if r is not None and r.area_id not in area_ids],
                           can_edit=current_user.has_role(*EDITORS), closed_days=rules.REGISTER_CLOSED_DAYS)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new():
    if request.method == "GET":
        return _page(None, {"hours_from": "08:00", "hours_to": "18:00", "crew_size": 1, "status": "applied"}, {})
    values, errors = form_values(request.form), {}
    unit = _unit(request.form, errors)
    errors.update({k: [_(v)] for k, v in rules.register_errors(values).items()})
    if values["status"] not in rules.TRANSITIONS or values["status"] == Status.CLOSED:
        errors["status"] = [_("Not a status.")]
    if unit is not None and not errors and db.session.scalar(select(Renovation.id).where(
            Renovation.unit_id == unit.id, Renovation.status != Status.CLOSED)):
        errors["room"] = [_("This unit already has an open renovation file.")]
    papers = [] if errors else _papers(errors)
    if errors:
        return _page(None, {**values, "building_id": _int(request.form.get("building_id")),
                            "room": request.form.get("room", "")}, errors, 422)
    ren = Renovation(estate_id=unit.building.estate_id, area_id=unit.building.area_id, unit_id=unit.id,
                     paper_ids=papers, created_by=current_user.id, **values)
    db.session.add(ren)
    ren.log_status(None, ren.status, current_user.id)
    db.session.flush()
    return _saved(ren, _("Renovation registered."))


@bp.route("/<int:renovation_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(renovation_id):
    ren = _open_file(renovation_id)
    if request.method == "GET":
        return _page(ren, {name: getattr(ren, name) for name in (*TEXT, "start_date", "planned_end", "crew_size",
                                                                   "status")}, {})
    values, errors = form_values(request.form), {}
    errors.update({k: [_(v)] for k, v in rules.register_errors(values).items()})
    if not rules.can_move(ren.status, values["status"]):
        errors["status"] = [_("The status cannot change that way.")]
    papers = [] if errors else _papers(errors)
    if errors:
        return _page(ren, values, errors, 422)
    ren.move_to(values.pop("status"), current_user.id)
    for name, value in values.items():
        setattr(ren, name, value)
    ren.paper_ids = list(ren.paper_ids or ()) + papers
    return _saved(ren, _("Saved."))


def _open_file(renovation_id: int) -> Renovation:
    """A file the desk may still change: a closed one (final inspection passed) is kept as it is (R-REN-2)."""
    ren = renovation_or_403(renovation_id)
    if ren.status == Status.CLOSED:
        abort(make_response(error_response(409, _("This renovation is closed: its final inspection passed, so its file can no "
                                    "longer be changed. Register a new renovation for new works."))))
    return ren


@bp.post("/<int:renovation_id>/papers/<paper_id>/remove")
@roles_required(*EDITORS)
def remove_paper(renovation_id, paper_id):
    """Take a paper added by mistake out of the file; the media itself stays (uploads are append-only)."""
    ren = _open_file(renovation_id)
    if paper_id not in (ren.paper_ids or ()):
        abort(404)
    ren.paper_ids = [p for p in ren.paper_ids if p != paper_id]
    db.session.commit()
    flash(_("Paper removed from the file."), "success")
    return redirect(url_for("renovation.edit", renovation_id=ren.id))


@bp.route("/template", methods=["GET", "POST"])
@roles_required(*LEADS)
def template():
    """The daily inspection list (R-REN-1); an edit makes a new version, old inspections keep theirs."""
    estate = current_estate_or_403()
    current = queries.current_template(estate.id, current_user.id)
    error, text = None, "\n".join(f"{i['code']} | {i['label_zh']} | {i['label_en']}" for i in current.items)
    if request.method == "POST":
        text = request.form.get("items", "")
        items, error = rules.template_items_from_text(text)
        if error is None:
            current.retired_at = utcnow()
            db.session.add(InspectionTemplate(estate_id=estate.id, version=current.version + 1, items=items,
                                              created_by=current_user.id))
            db.session.commit()
            flash(_("Inspection list saved as a new version."), "success")
            return redirect(url_for("renovation.template"))
        error = _(error)
    db.session.commit()
    return render_template("renovation/template.html", current=current, text=text, error=error), 422 if error else 200

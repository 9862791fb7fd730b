"""On the phone and at the desk: the unit's renovation file (its whole history), the offline inspection
form (daily, follow-up, final) and the printable notice 违章处理通知单 (R-REN-1, R-REN-2)."""

from __future__ import annotations

import uuid

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from sync.media import media_exists
from sync.models import Media
from sync.store import utcnow

from ..auth.public import roles_required
from ..extensions import db
from ..kernel.dates import tz
from ..kernel.roles import LEADS
from . import queries, rules
from .access import renovation_or_403, violation_or_403
from .models import InspectionKind, Status, Violation
from .views import EDITORS, INSPECTORS, READERS, bp


@bp.get("/<int:renovation_id>")
@roles_required(*READERS)
def detail(renovation_id):
    """The unit's whole file (R-REN-2): papers, status changes, extra inspectors, violations, inspections —
    each inspection shown with the version of the list it was done with."""
    ren = renovation_or_403(renovation_id)
    inspections, violations = queries.history(ren), queries.violations_of(ren)
    templates = queries.templates_of(ren.estate_id)
    db.session.commit()
    photos = [p for i in inspections for p in i.photo_ids or ()] + list(ren.paper_ids or ())
    pdfs = set(db.session.scalars(select(Media.id).where(Media.id.in_(list(ren.paper_ids or ())),
                                                         Media.content_type == "application/pdf")))
    return render_template("renovation/detail.html", ren=ren, inspections=inspections, violations=violations,
                           templates=templates, arrived=media_exists(db.session, photos),
                           today=queries.today(utcnow()), pdfs=pdfs, overdue=rules.overdue,
                           changes=queries.status_changes(ren), extras=queries.extras_of([ren.id]).get(ren.id, []),
                           can_edit=current_user.has_role(*EDITORS) and ren.status != Status.CLOSED,
                           can_inspect=current_user.has_role(*INSPECTORS), is_lead=current_user.has_role(*LEADS))


@bp.get("/<int:renovation_id>/inspect")
@roles_required(*INSPECTORS)
def inspect(renovation_id):
    """The inspection form, an outbox form: works offline inside the unit (R-REN-1). It says at once
    what cannot be recorded: a unit not under renovation, a final inspection while violations are open."""
    ren = renovation_or_403(renovation_id)
    kind = request.args.get("kind", InspectionKind.DAILY.value)
    if kind not in {k.value for k in InspectionKind}:
        abort(404)
    violation = _open_violation(ren, request.args.get("violation", "")) if kind == InspectionKind.FOLLOW_UP else None
    day = queries.today(utcnow())
    problem = rules.inspection_problem(kind, queries.period_of(ren), day, 0, None)
    template = queries.current_template(ren.estate_id)
    db.session.commit()
    return render_template("renovation/inspect.html", ren=ren, kind=kind, violation=violation, template=template,
                           problem=problem and _(next(iter(problem.values()))[0]), record_id=str(uuid.uuid4()),
                           still_open=queries.open_violations([ren.id]) if kind == InspectionKind.FINAL else [],
                           kind_label=InspectionKind(kind).label, tz=tz().key)


def _open_violation(ren, violation_id: str) -> Violation:
    found = db.session.get(Violation, violation_id[:36])
    if found is None or found.renovation_id != ren.id or found.fixed_at is not None:
        abort(404)
    return found


@bp.get("/violations/<violation_id>/notice")
@roles_required(*READERS)
def notice(violation_id):
    """违章处理通知单, print-ready (R-REN-2), headed with the renovation's own estate."""
    found = violation_or_403(violation_id)
    ren = found.renovation
    return render_template("renovation/notice.html", v=found, ren=ren, issuer=ren.estate,  # not "estate": base.html sets that to the current one
                           arrived=media_exists(db.session, found.photo_ids or ()),
                           back=url_for("renovation.detail", renovation_id=ren.id))

"""Renovation inspections plug into the sync engine (DESIGN.md: entity registry).

renovation_inspection: append-only, scope renovation:<id>. A user holds the scopes of the renovations
in their areas (desk roles: their estates) and of those they are assigned to as extra inspectors in a
mass-renovation period (R-REN-1), so a phone pulls exactly those; who may write is decided per record
by can_write (area officers of the unit's area, the unit's extra inspectors on the day the inspection was
done, leads) — anyone else is forbidden. After apply: violations are derived (deterministic ids), follow-ups record results and a
passed final inspection closes the renovation.
"""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from sync.registry import EntitySpec
from sync.store import utcnow

from ..areas.public import area_name
from ..extensions import db
from ..kernel.dates import local_date
from ..kernel.labels import EntityWords
from ..kernel.roles import LEADS, Role
from ..kernel.scopes import Grant, register_grant
from ..kernel.syncing import register_entity
from . import queries, rules
from .models import Inspection, InspectionKind, Renovation, Status, Violation
from .schemas import InspectionSchema

ENTITY = "renovation_inspection"


def _unit_of(renovation_id) -> object:
    found = db.session.get(Renovation, renovation_id) if isinstance(renovation_id, int) else None
    return found.unit.label if found else renovation_id


def _file_of(record_id, values) -> str | None:
    renovation_id = (values or {}).get("renovation_id")
    return url_for("renovation.detail", renovation_id=renovation_id) if isinstance(renovation_id, int) else None


LABELS = {ENTITY: EntityWords(
    _l("Renovation inspection"),
    fields={"estate_id": _l("Estate"), "area_id": _l("Area"), "renovation_id": _l("Unit"), "kind": _l("Kind"),
            "template_version": _l("Inspection list"), "violation_item": _l("Violation item"),
            "follow_up_of": _l("Follow-up of the violation"), "note": _l("Remarks"), "photo_ids": _l("Photos"),
            "failed": _l("Items found wrong"), "violation_text": _l("Violation"),
            "violation_deadline": _l("Deadline"), "follow_up_result": _l("Result"), "passed": _l("Passed")},
    values={"area_id": area_name, "renovation_id": _unit_of, "kind": InspectionKind,
            "follow_up_result": {"fixed": _l("Put right"), "not_fixed": _l("Not put right")}},
    summary=("renovation_id", "kind", "violation_text", "note"),
    url=_file_of,
)}
NOT_UNDER_RENOVATION = rules.NOT_UNDER_RENOVATION
UNKNOWN_VERSION = "This version of the inspection list does not exist."


def renovation_grant(user, reach) -> Grant:
    """The renovations a phone holds (R-REN-1): its areas' and those its user inspects as an extra
    inspector; a work team's none."""
    if user.role == Role.TEAM:
        return Grant()
    keys = frozenset(f"renovation:{rid}" for rid in queries.renovation_ids_for(user, queries.today(utcnow())))
    return Grant(read=keys, write=keys)


def _day(values) -> date:
    """The Shanghai day the inspection was done (never later than it reached the server)."""
    return rules.inspection_day(_moment(values), values.get("received_at") or utcnow(), queries.tz())


def _moment(values) -> datetime:
    """When the inspection was done: the phone's clock, never later than it reached the server."""
    received = values.get("received_at") or utcnow()
    return min(values.get("observed_at") or received, received)


def can_write(actor, op, old_values, new_values) -> bool:
    """Leads anywhere in their estates; officers in their areas; an extra inspector on the days of their
    range — judged by the day the inspection was done, not the day it synced (R-REN-1)."""
    if op != "create" or actor.role in (Role.TEAM, Role.FRONTDESK):
        return False
    if actor.role in LEADS:
        return True
    values = new_values or {}
    if f"area:{values.get('area_id')}" in actor.write_scopes:
        return True
    received_day = local_date(values.get("received_at") or utcnow(), queries.tz())
    return any(rules.extra_counts(_day(values), received_day, first, last)
               for first, last in queries.extra_ranges(actor.user_id, values.get("renovation_id")))


def _problem(ren: Renovation | None, values, fixed_here: set[str]) -> dict | None:
    kind = values.get("kind")
    if ren is None or ren.area_id != values.get("area_id") or ren.estate_id != values.get("estate_id"):
        return {"renovation_id": ["Unknown renovation."]}
    day = _day(values)
    still_open = {v.id for v in queries.open_violations([ren.id])} - fixed_here if kind == InspectionKind.FINAL else ()
    problem = rules.inspection_problem(kind, queries.period_of(ren), day, len(still_open), values.get("passed"))
    if problem and kind != InspectionKind.FINAL:
        # Done offline while the unit was under renovation, synced after it was completed or closed:
        # judged by the renovation as it stood when the work was done. Nothing typed is lost.
        problem = rules.inspection_problem(kind, queries.period_at(ren, _moment(values)), day, 0, None)
    if problem:
        return problem
    template = queries.template_for(ren.estate_id, values.get("template_version"))
    if template is None:
        return {"template_version": [UNKNOWN_VERSION]}
    if set(values.get("failed") or ()) - {i["code"] for i in template.items}:
        return {"failed": ["Not an item of the inspection list."]}
    if values.get("violation_item") and (found := rules.deadline_problem(values.get("violation_deadline"), day)):
        return found
    if kind == InspectionKind.FOLLOW_UP:
        violation = db.session.get(Violation, str(values.get("follow_up_of")))
        if violation is None or violation.renovation_id != ren.id:
            return {"follow_up_of": ["Unknown violation."]}
    return None


def check(session, actor, proposals) -> dict:
    """Each kind of inspection on a unit in the right state on its day (rules.inspection_problem), the
    items on the version of the list the form showed. Follow-ups earlier in the same batch count: a
    phone that recorded the fix and then the final inspection offline sends both together."""
    found, fixed_here = {}, set()
    for index, proposal in enumerate(proposals):
        values = proposal.new
        problem = _problem(session.get(Renovation, values.get("renovation_id")), values, fixed_here)
        if problem:
            found[index] = ("rejected", problem)
        elif values.get("kind") == InspectionKind.FOLLOW_UP and values.get("follow_up_result") == "fixed":
            fixed_here.add(str(values.get("follow_up_of")))
    return found


def derive_violations(session, actor, proposals, derive) -> None:
    """With the inspection, in its transaction: its violation (id uuid5(inspection)), a follow-up's
    result, and the closing of a renovation whose final inspection passed (R-REN-2). What the violations
    need to know — which exist already, which items were raised before on the unit (a repeat) — is read
    once for the batch, not once an inspection."""
    inspections = [SimpleNamespace(**p.new) for p in proposals]
    raised, before = _violations_known(session, [d for d in inspections if d.violation_item])
    for done in inspections:
        ren = session.get(Renovation, done.renovation_id)
        if done.violation_item and rules.violation_id(done.id) not in raised:
            template = queries.template_for(ren.estate_id, done.template_version) or queries.current_template(ren.estate_id)
            session.add(Violation(id=rules.violation_id(done.id), renovation_id=ren.id, area_id=ren.area_id,
                                  inspection_id=done.id, item_code=done.violation_item,
                                  item_label=template.label(done.violation_item), description=done.violation_text,
                                  photo_ids=list(done.photo_ids or ()), deadline=done.violation_deadline,
                                  officer_id=done.created_by, raised_at=done.observed_at,
                                  repeat=(ren.id, done.violation_item) in before))
            raised.add(rules.violation_id(done.id))
            before.add((ren.id, done.violation_item))
        if done.kind == InspectionKind.FOLLOW_UP and done.follow_up_of:
            violation = session.get(Violation, done.follow_up_of)
            if violation is not None and violation.fixed_at is None:
                violation.last_follow_up_at = done.observed_at
                if done.follow_up_result == "fixed":
                    violation.fixed_at, violation.fixed_inspection_id = done.observed_at, done.id
        if done.kind == InspectionKind.FINAL and done.passed and ren.status == Status.COMPLETED:
            ren.move_to(Status.CLOSED.value, done.created_by, done.observed_at, done.id)
            ren.closed_at = done.observed_at
            queries.sync_floor_location(ren, queries.today(utcnow()))


def _violations_known(session, raising: list) -> tuple[set, set]:
    """The ids of these inspections' violations that exist, and the (renovation, item) pairs raised before."""
    if not raising:
        return set(), set()
    ids = {rules.violation_id(d.id) for d in raising}
    existing = set(session.scalars(select(Violation.id).where(Violation.id.in_(ids))))
    pairs = {tuple(row) for row in session.execute(select(Violation.renovation_id, Violation.item_code).where(
        Violation.renovation_id.in_({d.renovation_id for d in raising})))}
    return existing, pairs


def register(app) -> None:
    register_entity(app, EntitySpec(name=ENTITY, model=Inspection, schema=InspectionSchema,
                                    scope_of=lambda v: f"renovation:{v['renovation_id']}", append_only=True,
                                    can_write=can_write, check=check, after_apply=derive_violations))
    register_grant(app, renovation_grant, ENTITY)

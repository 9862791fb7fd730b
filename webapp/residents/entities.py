"""Visits and cases plug into the sync engine (DESIGN.md: entity registry); every one is filed under its
area (`area:<id>`), like quick notes.

- resident_visit: append-only. Each opinion of a visit becomes a case (R-VIS-5), derived in the visit's
  own transaction with ids uuid5(visit, index): a replayed visit makes its cases once.
- resident_case: created by officers in the field, by the front desk, or derived from a visit; its status
  moves along rules.TRANSITIONS (R-REQ-1). Two phones moving one case apart collide on `status` (the
  engine's three-way merge); a move the life cycle does not allow is a conflict too — kept for the
  supervisor, never dropped.
- resident_case_event: the case's history, append-only: every status move derives one (id uuid5 of the
  mutation), a note on its own is pushed by the phone.
"""

from __future__ import annotations

import uuid

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from sync.registry import EntitySpec

from ..areas.public import area_name
from ..auth.public import person_name, user_estates
from ..kernel.dates import local_date
from ..kernel.labels import EntityWords
from ..kernel.roles import LEADS, Role, Team
from ..kernel.syncing import register_entity
from . import queries, rules
from .models import Case, CaseEvent, CaseSource, CaseStatus, CaseType, Urgency, Visit, VisitKind
from .schemas import CaseEventSchema, CaseSchema, VisitSchema

VISIT, CASE, CASE_EVENT = "resident_visit", "resident_case", "resident_case_event"
PLACE = {"area_id": area_name, "household_id": queries.household_name}
LABELS = {
    VISIT: EntityWords(
        _l("Resident visit"),
        fields={"area_id": _l("Area"), "household_id": _l("Household"), "kind": _l("Kind of visit"),
                "visited_at": _l("Visited at"), "nobody_home": _l("Nobody home"), "met": _l("Who was met"),
                "discussed": _l("What was discussed"), "satisfaction": _l("Satisfaction"), "photo_ids": _l("Photos"),
                "round_id": _l("Patrol round"), "opinions": _l("Opinions")},
        values={**PLACE, "kind": VisitKind},
        summary=("household_id", "kind", "discussed"),
        url=lambda record_id, values: url_for("residents.visit", visit_id=record_id)),
    CASE: EntityWords(
        _l("Resident case"),
        fields={"area_id": _l("Area"), "household_id": _l("Household"), "unit_id": _l("Unit"), "place": _l("Place"),
                "type": _l("Type"), "description": _l("Description"), "photo_ids": _l("Photos"),
                "urgency": _l("Urgency"), "warranty": _l("Within the developer's warranty"), "source": _l("Source"),
                "visit_id": _l("Visit"), "team": _l("Team"), "handler_id": _l("Handled by"),
                "escalated": _l("Sent to the supervisor"), "status": _l("Status"), "status_note": _l("Status note"),
                "received_on": _l("Received on"), "due_on": _l("Due on")},
        values={**PLACE, "type": CaseType, "urgency": Urgency, "source": CaseSource, "team": Team,
                "status": CaseStatus, "handler_id": person_name},
        summary=("household_id", "type", "description"),
        url=lambda record_id, values: url_for("residents.case", case_id=record_id)),
    CASE_EVENT: EntityWords(
        _l("Case note"),
        fields={"case_id": _l("Case"), "area_id": _l("Area"), "status": _l("Status"), "note": _l("Note")},
        values={"area_id": area_name, "status": CaseStatus},
        summary=("note",),
        url=lambda record_id, values: (url_for("residents.case", case_id=values["case_id"])
                                       if values.get("case_id") else None)),
}
DESK_SOURCES = {CaseSource.PHONE_CALL, CaseSource.WALK_IN}
CANNOT_MOVE = "This case has moved on meanwhile; its status cannot change that way any more."
NOT_IN_AREA = "This household is not in the area."
EVENT_NAMESPACE = uuid.UUID("0b7c2d4e-93a1-4f55-8e21-5c7d9a3e1f60")


def area_scope(values) -> str:
    return f"area:{values['area_id']}"


def _place_errors(new, estates, households, units) -> dict[str, list[str]]:
    if new.get("area_id") not in estates:
        return {"area_id": ["Unknown area."]}
    if new.get("household_id") is not None and households.get(new["household_id"], -1) != new["area_id"]:
        return {"household_id": [NOT_IN_AREA]}
    if new.get("unit_id") is not None and units.get(new["unit_id"], -1) != new["area_id"]:
        return {"unit_id": ["This unit is not in the area."]}
    return {}


def _places(proposals):
    news = [p.new or {} for p in proposals]
    return (news, queries.area_estates(n.get("area_id") for n in news),
            queries.household_areas(n.get("household_id") for n in news),
            queries.unit_areas(n.get("unit_id") for n in news))


# --------------------------------------------------------------------------- resident_visit


def can_write_visit(actor, op, old_values, new_values) -> bool:
    return op == "create" and actor.role in {Role.OFFICER, *LEADS}


def check_visits(session, actor, proposals) -> dict:
    """The household is one of the visit's area (R-VIS-5: a visit to a household of the officer's area)."""
    news, estates, households, units = _places(proposals)
    return {i: ("rejected", errors) for i, new in enumerate(news)
            if (errors := _place_errors(new, estates, households, units))}


def derive_cases(session, actor, proposals, derive) -> None:
    """Each opinion voiced becomes a case, once (ids uuid5(visit, index)), received on the visit's local day."""
    visits = [p.new for p in proposals]
    estates = queries.area_estates(v["area_id"] for v in visits)
    found = [case for v in visits for case in rules.cases_from_visit(
        v, local_date(v["visited_at"], queries.zone_of(estates[v["area_id"]])),
        queries.due_days(estates[v["area_id"]].id))]
    stored = set(session.scalars(select(Case.id).where(Case.id.in_([c["id"] for c in found])))) if found else set()
    for case in found:
        if case["id"] not in stored:
            derive.create(CASE, case["id"], {k: v for k, v in case.items() if k != "id"})


# --------------------------------------------------------------------------- resident_case


def can_write_case(actor, op, old_values, new_values) -> bool:
    if actor.role in LEADS or actor.role == Role.OFFICER:
        return True
    # R-REQ-1: the front desk takes phone calls and walk-ins
    return actor.role == Role.FRONTDESK and op == "create" and (new_values or {}).get("source") in DESK_SOURCES


def check_cases(session, actor, proposals) -> dict:
    """Places are the case's area's; a handler is a person of its estate; a status move the life cycle does not allow
    (reopening aside) is a conflict for the supervisor."""
    news, estates, households, units = _places(proposals)
    handlers = {n.get("handler_id") for n in news} - {None}
    people = {tuple(row) for row in session.execute(select(user_estates.c.user_id, user_estates.c.estate_id).where(
        user_estates.c.user_id.in_(handlers)))} if handlers else set()
    found = {}
    for index, (proposal, new) in enumerate(zip(proposals, news, strict=True)):
        errors = _place_errors(new, estates, households, units)
        estate = estates.get(new.get("area_id"))
        if new.get("handler_id") is not None and (new["handler_id"], estate.id if estate else None) not in people:
            errors.setdefault("handler_id", ["Unknown person."])
        old = proposal.old or {}
        if errors:
            found[index] = ("rejected", errors)
        elif old.get("status") and not rules.can_move(old["status"], new.get("status")):
            found[index] = ("conflict", CANNOT_MOVE)
    return found


def derive_events(session, actor, proposals, derive) -> None:
    """Every status a case takes is a step of its history, with the note said with it."""
    for proposal in proposals:
        new = proposal.new
        if proposal.op == "create" or "status" in proposal.changed:
            derive.create(CASE_EVENT, str(uuid.uuid5(EVENT_NAMESPACE, proposal.mutation_id)), {
                "case_id": new["id"], "area_id": new["area_id"], "status": new["status"],
                "note": new.get("status_note") or ""})


# --------------------------------------------------------------------------- resident_case_event


def can_write_event(actor, op, old_values, new_values) -> bool:
    return op == "create" and actor.role != Role.TEAM


def check_events(session, actor, proposals) -> dict:
    """An event belongs to its case's area (a case made in the same batch is not stored yet: let it be)."""
    news = [p.new or {} for p in proposals]
    ids = {n.get("case_id") for n in news} - {None}
    areas = dict(session.execute(select(Case.id, Case.area_id).where(Case.id.in_(ids))).all()) if ids else {}
    return {i: ("rejected", {"case_id": ["Unknown case."]}) for i, n in enumerate(news)
            if n.get("case_id") in areas and areas[n["case_id"]] != n.get("area_id")}


ENTITIES = (
    EntitySpec(name=VISIT, model=Visit, schema=VisitSchema, scope_of=area_scope, append_only=True,
               can_write=can_write_visit, check=check_visits, after_apply=derive_cases),
    EntitySpec(name=CASE, model=Case, schema=CaseSchema, scope_of=area_scope, ops=frozenset({"create", "update"}),
               can_write=can_write_case, check=check_cases, after_apply=derive_events),
    EntitySpec(name=CASE_EVENT, model=CaseEvent, schema=CaseEventSchema, scope_of=area_scope, append_only=True,
               can_write=can_write_event, check=check_events),
)


def register(app) -> None:
    for spec in ENTITIES:
        register_entity(app, spec)

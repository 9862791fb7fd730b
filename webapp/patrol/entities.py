"""Patrol records plug into the sync engine (DESIGN.md: entity registry).

- patrol_round: append-only, scope area:<id>; officers record patrols, leads record spot-checks (R-SUP-1).
- patrol_finding: derived on the server from a round's defects (after_apply, deterministic ids), then
  updated offline: a team marks its own findings fixed with a photo, officers and leads assign, verify
  and coordinate (R-PAT-4). A status move the life cycle does not allow is a conflict, kept for a
  supervisor — e.g. a finding verified on one phone and reopened on another.
- patrol_emergency: scope estate:<id> (any area, R-PAT-5); anyone reports, leads acknowledge.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from sync import registry
from sync.registry import EntitySpec

from ..areas.public import Area, KeyLocation
from ..auth.public import User
from ..extensions import db
from ..kernel.roles import LEADS as LEAD_ROLES
from ..kernel.roles import Role
from ..syncapi import after_apply
from . import queries, rules
from .models import Emergency, Finding, FindingStatus, PatrolRound, Purpose
from .schemas import EmergencySchema, FindingSchema, PatrolRoundSchema

ROUND, FINDING, EMERGENCY = "patrol_round", "patrol_finding", "patrol_emergency"
LABELS = {ROUND: _l("Patrol round"), FINDING: _l("Finding"), EMERGENCY: _l("Emergency report")}
TEAM_FIELDS = {"status", "fixed_at", "fixed_by", "fixed_note", "fixed_photo_ids"}
OFFICER_FIELDS = {"status", "team", "assigned_to", "resident_impact", "residents_note", "verified_at", "verified_by",
                  "verified_round_id"}
ACK_FIELDS = {"acknowledged_at", "acknowledged_by", "ack_note"}
LATER_FIELDS = {"fixed_at", "fixed_by", "fixed_note", "fixed_photo_ids", "verified_at", "verified_by",
                "verified_round_id"}
PEOPLE_FIELDS = ("assigned_to", "fixed_by", "verified_by")
CANNOT_MOVE = "This finding has moved on meanwhile; its status cannot change that way any more."
REROUTED = "This finding was sent to another team meanwhile; your fix is kept for the supervisor to decide."


def _changed(old, new) -> set[str]:
    old = old or {}
    return {k for k, v in (new or {}).items() if old.get(k) != v}


def _team_of(user_id: int) -> str | None:
    return db.session.scalar(select(User.team).where(User.id == user_id))


# --------------------------------------------------------------------------- patrol_round


def can_write_round(actor, op, old_values, new_values) -> bool:
    if op != "create" or actor.role == Role.TEAM or actor.role == Role.FRONTDESK:
        return False
    if (new_values or {}).get("purpose") == Purpose.SPOT_CHECK:
        return actor.role in LEAD_ROLES  # R-SUP-1: only a supervisor (or above) spot-checks
    return True


def check_rounds(session, actor, proposals) -> dict:
    """The location is in the round's area, and every checked item belongs to the round's checklists."""
    found = {}
    for index, proposal in enumerate(proposals):
        values = proposal.new
        area = session.get(Area, values.get("area_id"))
        location_id = values.get("key_location_id")
        location = session.get(KeyLocation, location_id) if location_id else None
        if area is None:
            found[index] = ("rejected", {"area_id": ["Unknown area."]})
            continue
        if location_id and location is None:  # never the whole-area checklist for a missing place
            found[index] = ("rejected", {"key_location_id": ["Unknown key location."]})
            continue
        if location is not None and location.area_id != area.id:
            found[index] = ("rejected", {"key_location_id": ["This key location is not in the round's area."]})
            continue
        allowed = queries.allowed_item_ids(area.estate_id, queries.accepted_kinds(location))
        errors = rules.round_errors(values.get("checks") or [], allowed)
        if errors:
            found[index] = ("rejected", errors)
    return found


@after_apply(ROUND)
def derive_findings(session, actor, records) -> None:
    """Each defect becomes a finding (R-PAT-4), once: ids are uuid5(round, item), so replays add nothing.
    Fixed findings the round confirms are verified (the officer verifies on a later round)."""
    from sync import engine

    for done in records:
        items = queries.item_snapshots([c.get("item_id") for c in done.checks or ()])
        values = {"id": done.id, "area_id": done.area_id, "key_location_id": done.key_location_id, "checks": done.checks}
        for finding in rules.findings_from_round(values, items):
            if session.get(Finding, finding["id"]) is None:
                fields = {k: v for k, v in finding.items() if k != "id"}
                engine.apply_server_change(session, actor, FINDING, finding["id"], "create", fields, None)
        for finding_id in done.verified_finding_ids or ():
            finding = session.get(Finding, finding_id)
            if finding is not None and finding.area_id == done.area_id and finding.status == FindingStatus.FIXED:
                engine.apply_server_change(session, actor, FINDING, finding.id, "update", {
                    "status": FindingStatus.VERIFIED.value, "verified_at": done.observed_at.isoformat(),
                    "verified_by": done.created_by, "verified_round_id": done.id}, finding.version)


# --------------------------------------------------------------------------- patrol_finding


def can_write_finding(actor, op, old_values, new_values) -> bool:
    new = new_values or {}
    if actor.role in LEAD_ROLES:
        return True
    if actor.role == Role.OFFICER:
        if op == "create":  # derived from the officer's own round: it starts open (R-PAT-4)
            return new.get("status") == FindingStatus.OPEN and not any(new.get(f) for f in LATER_FIELDS)
        changed = _changed(old_values, new)
        if op != "update" or not changed <= OFFICER_FIELDS:
            return False
        # An officer verifies in their own name, never in someone else's.
        verifying = "status" in changed and new.get("status") == FindingStatus.VERIFIED
        return not (("verified_by" in changed or verifying) and new.get("verified_by") != actor.user_id)
    if actor.role == Role.TEAM and op == "update":
        # A team marks its own findings fixed, as itself (R-PAT-4) — also one re-routed away from it
        # meanwhile: check_findings then keeps the fix as a conflict, so nothing typed is lost.
        team = _team_of(actor.user_id)
        return (_changed(old_values, new) <= TEAM_FIELDS
                and new.get("status", FindingStatus.FIXED) == FindingStatus.FIXED
                and new.get("fixed_by", actor.user_id) == actor.user_id
                and ((old_values or {}).get("team") == team or queries.was_routed_to(old_values or {}, team)))
    return False


def check_findings(session, actor, proposals) -> dict:
    """A status move the life cycle does not allow (e.g. reopening a verified finding, verifying one that
    is not fixed), or a team's fix of a finding routed to another team meanwhile, is a conflict for a
    supervisor, never silently applied or dropped. People named must exist in the finding's estate."""
    found = {}
    for index, proposal in enumerate(proposals):
        new, old = proposal.new or {}, proposal.old or {}
        errors = _finding_errors(session, new, proposal.changed)
        if errors:
            found[index] = ("rejected", errors)
        elif new.get("status") and old.get("status") and not rules.can_move(old["status"], new["status"]):
            found[index] = ("conflict", CANNOT_MOVE)
        elif actor.role == Role.TEAM and old.get("team") != _team_of(actor.user_id):
            found[index] = ("conflict", REROUTED)
    return found


def _finding_errors(session, new, changed) -> dict[str, list[str]]:
    area = session.get(Area, new["area_id"]) if new.get("area_id") else None
    if area is None:
        return {"area_id": ["Unknown area."]}
    errors = {}
    if "key_location_id" in changed and new.get("key_location_id"):
        location = session.get(KeyLocation, new["key_location_id"])
        if location is None or location.area_id != area.id:
            errors["key_location_id"] = ["Unknown key location."]
    for name in PEOPLE_FIELDS:
        if name in changed and new.get(name) is not None and not queries.person_in_estate(new[name], area.estate_id):
            errors[name] = ["Unknown person."]
    return errors


# --------------------------------------------------------------------------- patrol_emergency


def can_write_emergency(actor, op, old_values, new_values) -> bool:
    new = new_values or {}
    if op == "create":  # anyone reports; nobody reports one already acknowledged (R-PAT-5)
        return not any(new.get(f) for f in ACK_FIELDS)
    changed = _changed(old_values, new_values)
    return (op == "update" and actor.role in LEAD_ROLES and changed <= ACK_FIELDS
            and new.get("acknowledged_by", actor.user_id) == actor.user_id)


def check_emergencies(session, actor, proposals) -> dict:
    """The area and key location named, if any, are the estate's, and the location is in the area."""
    found = {}
    for index, proposal in enumerate(proposals):
        new = proposal.new or {}
        area = session.get(Area, new["area_id"]) if new.get("area_id") else None
        location = session.get(KeyLocation, new["key_location_id"]) if new.get("key_location_id") else None
        errors = {}
        if new.get("area_id") and (area is None or area.estate_id != new.get("estate_id")):
            errors["area_id"] = ["Unknown area."]
        if new.get("key_location_id") and (location is None or location.area.estate_id != new.get("estate_id")):
            errors["key_location_id"] = ["Unknown key location."]
        elif location is not None and area is not None and location.area_id != area.id:
            errors["key_location_id"] = ["This key location is not in the chosen area."]
        if errors:
            found[index] = ("rejected", errors)
    return found


def register() -> None:
    specs = (
        EntitySpec(name=ROUND, model=PatrolRound, schema=PatrolRoundSchema, scope_of=lambda v: f"area:{v['area_id']}",
                   append_only=True, can_write=can_write_round, check=check_rounds),
        EntitySpec(name=FINDING, model=Finding, schema=FindingSchema, scope_of=lambda v: f"area:{v['area_id']}",
                   can_write=can_write_finding, check=check_findings),
        EntitySpec(name=EMERGENCY, model=Emergency, schema=EmergencySchema,
                   scope_of=lambda v: f"estate:{v['estate_id']}", can_write=can_write_emergency,
                   check=check_emergencies),
    )
    for spec in specs:
        if spec.name not in registry.names():
            registry.register(spec)


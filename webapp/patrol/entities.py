"""Patrol records plug into the sync engine (DESIGN.md: entity registry).

- patrol_round: append-only, scope area:<id>; officers record patrols, leads record spot-checks (R-SUP-1).
- patrol_finding: scope area:<id>:team:<team>; derived from a round's defects in the round's own
  transaction (after_apply, deterministic ids), then
  updated offline: a team marks its own findings fixed with a photo, officers and leads assign, verify
  and coordinate (R-PAT-4). A status move the life cycle does not allow is a conflict, kept for a
  supervisor — e.g. a finding verified on one phone and reopened on another.
- patrol_emergency: scope emergency:area:<id> (emergency:estate:<id> when no area is named); anyone
  reports one anywhere in their estates, leads acknowledge (R-PAT-5). Who reads what: patrol_grant.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from sync.registry import EntitySpec

from ..areas.public import Area, KeyLocation, area_name, key_location_name
from ..auth.public import User, person_name
from ..extensions import db
from ..kernel.labels import EntityWords, zh_or_en
from ..kernel.roles import LEADS, Role, Team
from ..kernel.scopes import Grant, register_grant
from ..kernel.syncing import register_entity
from . import queries, rules
from .models import Emergency, EmergencyKind, Finding, FindingStatus, PatrolRound, Purpose
from .schemas import EmergencySchema, FindingSchema, PatrolRoundSchema

ROUND, FINDING, EMERGENCY = "patrol_round", "patrol_finding", "patrol_emergency"
TEAM_FIELDS = {"status", "fixed_at", "fixed_by", "fixed_note", "fixed_photo_ids"}
OFFICER_FIELDS = {"status", "team", "assigned_to", "resident_impact", "residents_note", "verified_at", "verified_by",
                  "verified_round_id"}
ACK_FIELDS = {"acknowledged_at", "acknowledged_by", "ack_note"}
LATER_FIELDS = {"fixed_at", "fixed_by", "fixed_note", "fixed_photo_ids", "verified_at", "verified_by",
                "verified_round_id"}
PEOPLE_FIELDS = ("assigned_to", "fixed_by", "verified_by")
CANNOT_MOVE = "This finding has moved on meanwhile; its status cannot change that way any more."
REROUTED = "This finding was sent to another team meanwhile; your fix is kept for the supervisor to decide."


def _item_name(item) -> object:
    """A finding's checklist item (a snapshot of it) by its label."""
    return zh_or_en(item.get("label_zh", ""), item.get("label_en", "")) if isinstance(item, dict) else item


PLACE = {"area_id": _l("Area"), "key_location_id": _l("Key location")}
PLACE_NAMES = {"area_id": area_name, "key_location_id": key_location_name}
POSITION = {"latitude": _l("Latitude"), "longitude": _l("Longitude")}
LABELS = {
    ROUND: EntityWords(
        _l("Patrol round"),
        fields={**PLACE, **POSITION, "kind": _l("Kind of round"), "purpose": _l("Purpose"),
                "start_method": _l("Started by"), "started_at": _l("Started at"), "accuracy_m": _l("Position accuracy (m)"),
                "checks": _l("Checks"), "verified_finding_ids": _l("Fixes confirmed"), "note": _l("Remarks"),
                "corrects_id": _l("Corrects the round")},
        values={**PLACE_NAMES, "kind": {"key": _l("Key location"), "full": _l("whole area")},
                "purpose": {"patrol": _l("Patrol round"), "spot_check": _l("Spot-check")},
                "start_method": {"qr": _l("Started by QR code"), "list": _l("Started from the list"),
                                 "manual": _l("Started manually")}},
        summary=(*PLACE, "note"),
        url=lambda record_id, values: url_for("patrol.round_detail", round_id=record_id)),
    FINDING: EntityWords(
        _l("Finding"),
        fields={**PLACE, "round_id": _l("Found on the round"), "item": _l("Item"), "status": _l("Status"),
                "team": _l("Team"), "note": _l("What is wrong"),
                "assigned_to": _l("Assigned to"), "resident_impact": _l("Affects residents"),
                "residents_note": _l("Coordination with residents"), "fixed_at": _l("Fixed at"),
                "fixed_by": _l("Fixed by"), "fixed_note": _l("What was done"), "fixed_photo_ids": _l("Photos of the fix"),
                "verified_at": _l("Verified at"), "verified_by": _l("Verified by"),
                "verified_round_id": _l("Confirmed on the round"), "photo_ids": _l("Photos")},
        values={**PLACE_NAMES, "status": FindingStatus, "team": Team, "item": _item_name,
                **dict.fromkeys(PEOPLE_FIELDS, person_name)},
        summary=(*PLACE, "item", "note"),
        url=lambda record_id, values: url_for("patrol.finding", finding_id=record_id)),
    EMERGENCY: EntityWords(
        _l("Emergency report"),
        fields={**PLACE, **POSITION, "estate_id": _l("Estate"), "kind": _l("What is happening"), "place": _l("Where exactly"), "description": _l("Description"),
                "photo_ids": _l("Photos"), "acknowledged_at": _l("Acknowledged at"),
                "acknowledged_by": _l("Acknowledged by"), "ack_note": _l("Acknowledgement note")},
        values={**PLACE_NAMES, "kind": EmergencyKind, "acknowledged_by": person_name},
        summary=("kind", "area_id", "place", "description"),
        url=lambda record_id, values: url_for("patrol.emergencies")),
}


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
        return actor.role in LEADS  # R-SUP-1: only a supervisor (or above) spot-checks
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


def derive_findings(session, actor, proposals, derive) -> None:
    """Each defect becomes a finding (R-PAT-4), once: ids are uuid5(round, item), created with the round
    in its transaction. Fixed findings the round confirms are verified (the officer verifies on a later
    round)."""
    rounds = [p.new for p in proposals]
    items = queries.item_snapshots([c.get("item_id") for r in rounds for c in r.get("checks") or ()])
    found = [f for r in rounds for f in rules.findings_from_round(r, items)]
    verified = {fid: r for r in rounds for fid in r.get("verified_finding_ids") or ()}
    stored = {f.id: f for f in session.scalars(
        select(Finding).where(Finding.id.in_([f["id"] for f in found] + list(verified))))}
    for finding in found:
        if finding["id"] not in stored:
            derive.create(FINDING, finding["id"], {k: v for k, v in finding.items() if k != "id"})
    for finding_id, done in verified.items():
        finding = stored.get(finding_id)
        if finding is not None and finding.area_id == done["area_id"] and finding.status == FindingStatus.FIXED:
            derive.update(FINDING, finding.id, {
                "status": FindingStatus.VERIFIED.value, "verified_at": done["observed_at"].isoformat(),
                "verified_by": done["created_by"], "verified_round_id": done["id"]}, finding.version)


# --------------------------------------------------------------------------- patrol_finding


def can_write_finding(actor, op, old_values, new_values) -> bool:
    new = new_values or {}
    if actor.role in LEADS:
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
    return (op == "update" and actor.role in LEADS and changed <= ACK_FIELDS
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


# --------------------------------------------------------------------------- scopes

def finding_scope(values) -> str:
    """A finding is filed under its area and its team: a team's phone holds its own work only."""
    return f"area:{values['area_id']}:team:{values['team']}" if values.get("team") else f"area:{values['area_id']}"


def emergency_scope(values) -> str:
    return f"emergency:area:{values['area_id']}" if values.get("area_id") else f"emergency:estate:{values['estate_id']}"


def patrol_grant(user, reach) -> Grant:
    """Findings: officers read and write their areas' (any team), the desk roles every area's, a work team
    reads only its own team's and may push to any (can_write and check_findings keep it to its own fixes,
    and keep a fix of a finding re-routed meanwhile as a conflict, R-PAT-4). Emergencies (R-PAT-5): anyone
    reports one in any area of their estates; officers are called to their own areas' (they read those),
    the desk roles read all, a work team none."""
    estate_areas = set(reach.area_ids) if user.role != Role.OFFICER else set(db.session.scalars(
        select(Area.id).where(Area.estate_id.in_(reach.estate_ids))))
    teams = [t.value for t in Team]
    findings_anywhere = {f"area:{a}:team:{t}" for a in estate_areas for t in teams}
    report_anywhere = {f"emergency:area:{a}" for a in estate_areas} | {
        f"emergency:estate:{e}" for e in reach.estate_ids}
    if user.role == Role.FINANCE:  # reports an emergency like anyone; reads no patrol record (fee pages only)
        return Grant(read=frozenset(), write=frozenset(report_anywhere))
    if user.role == Role.TEAM:
        own_team = {f"area:{a}:team:{user.team}" for a in estate_areas} if user.team else set()
        return Grant(read=frozenset(own_team), write=frozenset(findings_anywhere | report_anywhere))
    if user.role == Role.OFFICER:
        mine = {f"area:{a}:team:{t}" for a in reach.area_ids for t in teams}
        called_to = {f"emergency:area:{a}" for a in reach.area_ids}
        return Grant(read=frozenset(mine | called_to), write=frozenset(mine | report_anywhere))
    everything = frozenset(findings_anywhere | report_anywhere)
    return Grant(read=everything, write=everything)


ENTITIES = (
    EntitySpec(name=ROUND, model=PatrolRound, schema=PatrolRoundSchema, scope_of=lambda v: f"area:{v['area_id']}",
               append_only=True, can_write=can_write_round, check=check_rounds, after_apply=derive_findings),
    EntitySpec(name=FINDING, model=Finding, schema=FindingSchema, scope_of=finding_scope,
               can_write=can_write_finding, check=check_findings),
    EntitySpec(name=EMERGENCY, model=Emergency, schema=EmergencySchema, scope_of=emergency_scope,
               can_write=can_write_emergency, check=check_emergencies),
)


def register(app) -> None:
    for spec in ENTITIES:
        register_entity(app, spec)
    register_grant(app, patrol_grant, ROUND, FINDING, EMERGENCY)  # a round derives findings

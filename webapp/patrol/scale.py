"""Patrol history of a scale estate (webapp.scale): every key location patrolled on most days, a full
round a week per area, a supervisor's spot check a month, their findings in the state their age gives
them (R-PAT-4: open → assigned → fixed → verified, each step a version), and a few emergencies, all
acknowledged. Written in bulk, filed in the change log (webapp.kernel.scale)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..kernel.demo import random_id, random_time
from ..kernel.roles import Role
from ..kernel.scale import days, synced, write_synced
from . import rules
from .checklists import seed_templates
from .demo import FIX_NOTES, NOTES
from .entities import EMERGENCY, FINDING, ROUND
from .models import ChecklistTemplate

DEFECT_RATE = 0.025  # per checked item
VERSIONS = {"open": 1, "assigned": 2, "fixed": 3, "verified": 4}


def extend(session, ctx) -> None:
    estate, rng = ctx["estate"], ctx["rng"]
    supervisor = ctx["users"][Role.SUPERVISOR][0]
    seed_templates(session, estate.id, supervisor.id)
    session.flush()
    templates = {t.kind: t for t in session.scalars(select(ChecklistTemplate).where(ChecklistTemplate.estate_id == estate.id))}
    items = {kind: [i.snapshot() | {"kind": kind} for i in t.items] for kind, t in templates.items()}
    full = [i for k in rules.FULL_ROUND_TEMPLATES for i in items[k]]
    rounds = []
    for area in ctx["areas"]:
        officer = ctx["officers"][area.id]
        places = [(loc, [i for k in rules.location_templates(loc.id, loc.kind, {}) for i in items[k]])
                  for loc in ctx["locations"][area.id]]
        for day in days(ctx["first_day"], ctx["today"] - timedelta(days=1)):
            for location, checked in places:
                if rng.random() < 0.85:
                    rounds.append(_round(rng, officer, area, location, "key", "patrol", checked, day))
            if day.weekday() == 2:
                rounds.append(_round(rng, officer, area, None, "full", "patrol", full, day))
            if day.day == 15:
                rounds.append(_round(rng, supervisor, area, None, "full", "spot_check", full, day))
    teams = {}
    for key, people in ctx["users"].items():
        if people[0].role == Role.TEAM:
            teams[key] = people
    findings = [_finding(rng, ctx["now"], r, check, teams) for r in rounds for check in r.pop("_defects")]
    write_synced(session, ROUND, rounds)
    write_synced(session, FINDING, findings)
    write_synced(session, EMERGENCY, _emergencies(rng, ctx, supervisor))


def _round(rng, user, area, location, kind, purpose, checked, day) -> dict:
    observed = random_time(day, rng)
    received = observed + timedelta(minutes=rng.randrange(1, 90))
    checks, defects = [], []
    for item in checked:
        if rng.random() < DEFECT_RATE:
            check = {"item_id": item["item_id"], "result": "defect", "note": NOTES.get(item["code"], "需要维修处理"),
                     "photo_ids": [], "team": None, "resident_impact": item["code"] in ("access_control", "doors")}
            defects.append((item, check))
        else:
            check = {"item_id": item["item_id"], "result": "ok"}
        checks.append(check)
    return synced(random_id(rng), user.id, observed, received, area_id=area.id,
                  key_location_id=location.id if location else None, kind=kind, purpose=purpose,
                  start_method="qr" if location and rng.random() < 0.8 else "manual",
                  started_at=observed - timedelta(minutes=rng.randrange(5, 40)), latitude=None, longitude=None,
                  accuracy_m=None, checks=checks, verified_finding_ids=[], note=None, corrects_id=None, _defects=defects)


def _status(rng, age_days: int) -> str:
    """Most are verified within weeks; a few wait a long time, but no backlog piles up over the months."""
    if age_days > 30:
        return rng.choices(("verified", "fixed", "assigned"), (995, 4, 1))[0]
    if age_days > 14:
        return rng.choices(("verified", "fixed", "assigned"), (90, 6, 4))[0]
    if age_days > 3:
        return rng.choice(("verified", "fixed", "assigned", "open"))
    return rng.choice(("open", "assigned"))


def _finding(rng, now, done, defect, teams) -> dict:
    item, check = defect
    status = _status(rng, (now - done["observed_at"]).days)
    member = rng.choice(teams[item["team"]]) if item["team"] in teams else None
    moved = status != "open" and member is not None
    fixed_at = min(done["observed_at"] + timedelta(days=1, hours=rng.randrange(1, 30)), now - timedelta(hours=2)) \
        if status in ("fixed", "verified") else None
    verified_at = fixed_at + timedelta(days=1) if status == "verified" else None
    return synced(rules.finding_id(done["id"], item["item_id"]), done["created_by"], done["observed_at"],
                  done["received_at"], verified_at or fixed_at or done["received_at"], VERSIONS[status],
                  area_id=done["area_id"], round_id=done["id"], key_location_id=done["key_location_id"], item=dict(item),
                  team=item["team"], status=status, note=check["note"], photo_ids=[],
                  resident_impact=check["resident_impact"], residents_note=None,
                  assigned_to=member.id if moved else None, fixed_at=fixed_at,
                  fixed_by=member.id if fixed_at and member else None,
                  fixed_note=FIX_NOTES.get(item["team"], "已处理") if fixed_at else None, fixed_photo_ids=[],
                  verified_at=verified_at, verified_by=done["created_by"] if verified_at else None,
                  verified_round_id=None)


def _emergencies(rng, ctx, supervisor) -> list[dict]:
    """About two a month in the estate, each acknowledged within minutes."""
    found = []
    for day in days(ctx["first_day"], ctx["today"] - timedelta(days=1)):
        if rng.random() < 2 / 30:
            area = rng.choice(ctx["areas"])
            reported = random_time(day, rng, 0, 23)
            found.append(synced(random_id(rng), ctx["officers"][area.id].id, reported, reported + timedelta(minutes=1),
                                reported + timedelta(minutes=5), 2, estate_id=ctx["estate"].id, area_id=area.id,
                                key_location_id=None, kind="water", place=f"{area.name}地下室水泵房",
                                description="水泵房管道漏水，地面积水", photo_ids=[], latitude=None, longitude=None,
                                acknowledged_at=reported + timedelta(minutes=5), acknowledged_by=supervisor.id,
                                ack_note="已通知工程部抢修"))
    return found

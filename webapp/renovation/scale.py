"""Renovations of a scale estate (webapp.scale): about one household in twenty a year renovates; each file
goes through its statuses on its dates (R-REN-2), with a daily inspection on most days of its works
(R-REN-1), now and then a violation (fixed on follow-up unless raised in the last days), and the final
inspection that closed it. Inspections and violations are written in bulk (webapp.kernel.scale)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..estate.public import Building, Unit
from ..kernel.dates import day_start_utc
from ..kernel.demo import ZONE, random_id, random_time
from ..kernel.roles import Role
from ..kernel.scale import days, synced, write, write_synced
from . import queries, rules
from .demo import CONTRACTORS
from .entities import ENTITY
from .models import Renovation, Violation

PER_HOUSEHOLD_YEAR = 0.05
VIOLATION_RATE = 0.02  # per daily inspection
BLANK = {"template_version": None, "failed": [], "note": None, "photo_ids": [], "violation_item": None,
         "violation_text": None, "violation_deadline": None, "follow_up_of": None, "follow_up_result": None,
         "passed": None}


def extend(session, ctx) -> None:
    rng, today = ctx["rng"], ctx["today"]
    template = queries.current_template(ctx["estate"].id)
    units = session.execute(select(Unit.id, Building.area_id).join(Building)
                            .where(Building.estate_id == ctx["estate"].id).order_by(Unit.id)).all()
    span = (today - ctx["first_day"]).days + 90
    count = round(len(units) * PER_HOUSEHOLD_YEAR * span / 365)
    files = [_file(session, ctx, unit, area, today - timedelta(days=rng.randrange(-14, span)))
             for unit, area in rng.sample(units, min(count, len(units)))]
    session.flush()
    inspections, violations = [], []
    for ren in files:
        _inspect(ctx, ren, template, inspections, violations)
        if ren.status in rules.DUE_STATUSES:
            queries.sync_floor_location(ren, today)
    write_synced(session, ENTITY, inspections)
    write(session, Violation, violations)


def _file(session, ctx, unit_id: int, area_id: int, start: date) -> Renovation:
    rng, today, desk = ctx["rng"], ctx["today"], ctx["users"]
    company, foreman = rng.choice(CONTRACTORS)
    planned_end = start + timedelta(days=rng.randrange(30, 91))
    ren = Renovation(estate_id=ctx["estate"].id, area_id=area_id, unit_id=unit_id, owner_name="业主",
                     owner_phone=None, contractor=company, foreman=foreman, foreman_phone="13900000000",
                     crew_size=rng.randrange(2, 7), approval_no=f"ZX-{start.year}-{unit_id}", scope="水电改造、铺贴地砖、墙面乳胶漆",
                     start_date=start, planned_end=planned_end, status="applied",
                     created_by=desk[Role.FRONTDESK][0].id, created_at=day_start_utc(start - timedelta(days=10), ZONE))
    session.add(ren)
    ren.log_status(None, "applied", ren.created_by, ren.created_at)
    steps = {"approved": start - timedelta(days=5), "in_progress": start, "completed": planned_end}
    for old, new in (("applied", "approved"), ("approved", "in_progress"), ("in_progress", "completed")):
        if steps[new] < today:
            ren.log_status(old, new, desk[Role.SUPERVISOR][0].id, day_start_utc(steps[new], ZONE) + timedelta(hours=9))
            ren.status = new
    return ren


def _inspect(ctx, ren, template, inspections, violations) -> None:
    """Its daily inspections (with their violations), and the final one that closed it when its works
    ended more than ten days ago."""
    if ren.status not in ("in_progress", "completed"):
        return
    rng, today, officer = ctx["rng"], ctx["today"], ctx["officers"][ren.area_id]
    last = min(ren.planned_end, today - timedelta(days=1))
    for day in days(max(ren.start_date, ctx["first_day"]), last):
        if rng.random() < 0.9:
            inspections.append(_inspection(rng, ren, officer, day, template, kind="daily"))
            if rng.random() < VIOLATION_RATE:
                _violation(rng, ren, officer, inspections, violations, template, today)
    if ren.status == "completed" and ren.planned_end < today - timedelta(days=10):
        final = _inspection(rng, ren, officer, ren.planned_end + timedelta(days=2), template, kind="final",
                            passed=True, note="验收合格")
        inspections.append(final)
        ren.log_status("completed", "closed", officer.id, final["observed_at"], final["id"])
        ren.status, ren.closed_at = "closed", final["observed_at"]


def _inspection(rng, ren, officer, day, template, **fields) -> dict:
    observed = random_time(day, rng, 9, 17)
    return synced(random_id(rng), officer.id, observed, observed + timedelta(minutes=5), estate_id=ren.estate_id,
                  area_id=ren.area_id, renovation_id=ren.id, **(BLANK | {"template_version": template.version} | fields))


def _violation(rng, ren, officer, inspections, violations, template, today) -> None:
    """The last inspection found one item wrong: a violation, fixed on a follow-up by its deadline unless
    raised in the last days."""
    raised = inspections[-1]
    code = rng.choice(rules.DEFAULT_ITEMS)[0]
    deadline = raised["observed_at"].date() + timedelta(days=3)
    raised.update(failed=[code], violation_item=code, violation_text="现场检查发现问题，限期整改", violation_deadline=deadline)
    violation = {"id": rules.violation_id(raised["id"]), "renovation_id": ren.id, "area_id": ren.area_id,
                 "inspection_id": raised["id"], "item_code": code, "item_label": template.label(code),
                 "description": raised["violation_text"], "photo_ids": [], "deadline": deadline,
                 "officer_id": officer.id, "raised_at": raised["observed_at"], "repeat": False, "fixed_at": None,
                 "fixed_inspection_id": None, "last_follow_up_at": None}
    if deadline < today:
        follow = _inspection(rng, ren, officer, deadline - timedelta(days=1), template, kind="follow_up",
                             follow_up_of=violation["id"], follow_up_result="fixed", note="已整改")
        inspections.append(follow)
        violation.update(fixed_at=follow["observed_at"], fixed_inspection_id=follow["id"],
                         last_follow_up_at=follow["observed_at"])
    violations.append(violation)

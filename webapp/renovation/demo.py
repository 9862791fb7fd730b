"""Demo renovations (R-REN-1, R-REN-2): units in every state across areas, a mass-renovation period with
extra inspectors, a few days of inspections, one violation open (overdue, on the supervisor's home page)
and one fixed. Nothing inspected today, so the officers' day starts with units due.

The history agrees with the rules whatever today's date: every status change is in the file; daily
inspections fall inside the period (a completed unit's end on its planned end, when it was completed);
the closed unit has its passed final inspection and closed_at. All dates are relative to today."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..estate.public import Building, Unit
from ..kernel.dates import day_start_utc, local_date
from ..kernel.demo import ZONE, random_id, random_time
from . import queries, rules
from .models import ExtraInspector, Inspection, Renovation, Violation

CONTRACTORS = (("上海美家装饰工程有限公司", "周师傅"), ("锦程建筑装潢有限公司", "吴师傅"), ("安居装饰设计工作室", "郑师傅"))
# (area index, status, days since start, planned days)
PLAN = ((0, "in_progress", 10, 60), (0, "in_progress", 4, 45), (1, "in_progress", 20, 50), (1, "approved", 0, 40),
        (2, "in_progress", 6, 30), (2, "completed", 70, 60), (3, "applied", -5, 45), (3, "closed", 120, 90))


def _unit(session, area, index):
    building = session.scalar(select(Building).where(Building.area_id == area.id).order_by(Building.sort_key))
    units = session.scalars(select(Unit).where(Unit.building_id == building.id).order_by(Unit.floor, Unit.room)).all()
    return units[(index * 7 + 5) % len(units)]


def _renovation(session, ctx, n, area, status, since, days):
    today, users = local_date(ctx["now"], ZONE), ctx["users"]
    unit = _unit(session, area, n)
    owner = unit.households[0] if unit.households else None
    company, foreman = CONTRACTORS[n % len(CONTRACTORS)]
    start = today - timedelta(days=since)
    ren = Renovation(estate_id=ctx["estate"].id, area_id=area.id, unit_id=unit.id,
                     owner_name=owner.name if owner else "业主", owner_phone=owner.phone if owner else None,
                     contractor=company, foreman=foreman, foreman_phone=f"1390000{n:04d}", crew_size=3 + n % 4,
                     approval_no=None if status == "applied" else f"ZX-2026-{100 + n}", scope="水电改造、铺贴地砖、墙面乳胶漆",
                     start_date=start, planned_end=start + timedelta(days=days), status="applied",
                     created_by=users["sunli"].id, created_at=random_time(min(start - timedelta(days=10), today - timedelta(days=3)), ctx["rng"], 9, 11))
    session.add(ren)
    session.flush()
    _life(ren, status, ctx["now"], users)
    return ren


def _life(ren, status, now, users):
    """applied → approved → in progress → completed, each step dated before today (R-REN-2)."""
    ren.log_status(None, "applied", users["sunli"].id, ren.created_at)
    steps = ("approved", "in_progress", "completed")[:("applied", "approved", "in_progress", "completed").index(
        "completed" if status == "closed" else status)]
    when = {"approved": (ren.start_date - timedelta(days=5), 10), "in_progress": (ren.start_date, 8),
            "completed": (ren.planned_end, 18)}  # completed in the evening, after that day's inspection
    for old, new in zip(("applied", *steps), steps, strict=False):
        day, hour = when[new]
        moment = min(day_start_utc(day, ZONE) + timedelta(hours=hour), now)
        ren.log_status(old, new, users["chenjing"].id, max(moment, ren.created_at))
    ren.status = steps[-1] if steps else "applied"


def _daily_window(ren, today) -> tuple:
    """The days its daily inspections fall on: in its period, before today, up to its planned end once completed."""
    last = today - timedelta(days=1)
    if ren.status in ("completed", "closed"):
        last = min(last, ren.planned_end)
    return max(ren.start_date, last - timedelta(days=3)), last


def extend(session, ctx) -> None:
    rng, areas, users, now = ctx["rng"], ctx["areas"], ctx["users"], ctx["now"]
    officers = ("wangxm", "lina", "zhangwei", "liuyang")
    template = queries.current_template(ctx["estate"].id)
    today = local_date(now, ZONE)
    renovations = [_renovation(session, ctx, n, areas[a], status, since, days)
                   for n, (a, status, since, days) in enumerate(PLAN)]
    for ren in renovations[:2]:  # 集中装修期 in 东区: a second officer helps this week
        session.add(ExtraInspector(renovation_id=ren.id, user_id=users["lina"].id, first_day=today - timedelta(days=2),
                                   last_day=today + timedelta(days=5), created_by=users["chenjing"].id))
    for ren, (_a, status, _since, _days) in zip(renovations, PLAN, strict=True):
        officer = users[officers[areas.index(ren.area)]]
        if ren.status in ("in_progress", "completed"):
            first, last = _daily_window(ren, today)
            for back in range((last - first).days + 1):
                observed = random_time(first + timedelta(days=back), rng, 9, 17)
                session.add(Inspection(id=random_id(rng), estate_id=ren.estate_id, area_id=ren.area_id, renovation_id=ren.id,
                                       template_version=template.version, failed=[], created_by=officer.id,
                                       observed_at=observed, received_at=observed + timedelta(minutes=5)))
        if status == "closed":
            _final(session, ren, officer, today, rng, template)
        queries.sync_floor_location(ren, today)
    _violations(session, renovations, users, officers, areas, today, rng, template)


def _final(session, ren, officer, today, rng, template):
    """The closed unit: its final inspection passed two days after the works ended (R-REN-2)."""
    done = random_time(min(ren.planned_end + timedelta(days=2), today - timedelta(days=1)), rng, 10, 16)
    final = Inspection(id=random_id(rng), estate_id=ren.estate_id, area_id=ren.area_id, renovation_id=ren.id, kind="final",
                       template_version=template.version, failed=[], passed=True, note="验收合格", created_by=officer.id,
                       observed_at=done, received_at=done + timedelta(minutes=5))
    session.add(final)
    ren.log_status("completed", "closed", officer.id, done, final.id)
    ren.status, ren.closed_at = "closed", done


def _violations(session, renovations, users, officers, areas, today, rng, template):
    """An overdue open violation (escalated) and one fixed on follow-up."""
    for ren, code, text, fixed in ((renovations[0], "debris", "装修垃圾堆放在楼道未清运", False),
                                   (renovations[2], "fire", "现场未配备灭火器", True)):
        officer = users[officers[areas.index(ren.area)]]
        raised = random_time(today - timedelta(days=3), rng, 9, 12)
        inspection = Inspection(id=random_id(rng), estate_id=ren.estate_id, area_id=ren.area_id, renovation_id=ren.id,
                                template_version=template.version, failed=[code], violation_item=code,
                                violation_text=text, violation_deadline=today - timedelta(days=1 if not fixed else 2),
                                created_by=officer.id, observed_at=raised, received_at=raised)
        session.add(inspection)
        violation = Violation(id=rules.violation_id(inspection.id), renovation_id=ren.id, area_id=ren.area_id,
                              inspection_id=inspection.id, item_code=code, item_label=template.label(code),
                              description=text, photo_ids=[], deadline=inspection.violation_deadline,
                              officer_id=officer.id, raised_at=raised)
        session.add(violation)
        if fixed:
            done = random_time(today - timedelta(days=2), rng, 13, 17)
            follow = Inspection(id=random_id(rng), estate_id=ren.estate_id, area_id=ren.area_id, renovation_id=ren.id,
                                kind="follow_up", template_version=template.version, failed=[],
                                follow_up_of=violation.id, follow_up_result="fixed", note="已配备两具灭火器",
                                created_by=officer.id, observed_at=done, received_at=done)
            session.add(follow)
            violation.fixed_at, violation.fixed_inspection_id = done, follow.id


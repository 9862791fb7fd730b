"""Demo visits and matters (R-VIS-1…5, R-REQ-1): half a year of home and phone visits in every area, some
nobody home, opinions become matters followed along their life. 东区 is behind this month (its officer's
Today says so) and 西区 behind all along; a few matters are overdue, some wait for the supervisor.

Everything is dated relative to today, in the estate's clock; the generator is the domain's own, so the
other domains' demo history stays as it was."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from ..estate.public import Building, Household, Unit
from ..kernel.dates import local_date
from ..kernel.demo import ZONE, random_id, random_time
from . import queries, rules
from .models import Case, CaseEvent, CaseStatus, CaseType, Visit, VisitKind

MONTHS = 6
# per area (in the seed's order): share of the monthly quota visited in past months, and this month so far
PACE = ((1.2, 0.3), (1.3, 1.0), (0.6, 0.5), (1.1, 0.8))
OPINIONS = {
    CaseType.REPAIR: ("卫生间天花板渗水", "厨房下水道堵塞", "阳台窗户关不严", "入户门锁坏了"),
    CaseType.COMPLAINT: ("楼下餐馆油烟太大", "快递总是放在门口不通知", "电梯经常停运"),
    CaseType.SUGGESTION: ("小区多装几盏路灯", "儿童游乐区加个遮阳棚", "垃圾分类点再加一处"),
    CaseType.INQUIRY: ("物业费怎么开发票", "装修需要办什么手续", "停车月卡怎么续"),
    CaseType.CHALLENGE: ("公摊电费为什么上涨", "维修基金的使用情况"),
    CaseType.HELP: ("独居老人需要帮忙换灯泡", "家里老人行动不便，想请人帮忙搬东西"),
    CaseType.DISPUTE: ("楼上夜间噪音扰民", "邻居在楼道堆放杂物"),
    CaseType.VIOLATION: ("楼下住户违章搭建阳光房", "有人在绿地里种菜"),
}
TALKS = ("了解入住后的居住情况", "听取对物业服务的意见", "介绍小区近期的维修安排", "提醒冬季防冻、防火")
MET = ("业主本人", "业主家属", "租户")
LIFE = (CaseStatus.RECEIVED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED, CaseStatus.CLOSED)


def _households(session, area) -> list[int]:
    return list(session.scalars(select(Household.id).join(Unit).join(Building)
                                .where(Building.area_id == area.id).order_by(Household.id)))


def _month_days(today: date, back: int) -> tuple[date, date]:
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1) if back else today.replace(day=1)
    for _ in range(back - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    last = rules.month_end(first.year, first.month) if back else today - timedelta(days=1)
    return first, last


def _visit(session, rng, area, officer, household, day, kind, nobody=False):
    opinions = []
    if not nobody and rng.random() < 0.3:
        for kind_ in rng.sample(list(OPINIONS), rng.choice((1, 1, 2))):
            opinions.append({"type": kind_.value, "text": rng.choice(OPINIONS[kind_]), "urgency": "normal",
                             "warranty": kind_ == CaseType.REPAIR and rng.random() < 0.4,
                             "escalate": kind_ == CaseType.HELP and rng.random() < 0.5})
    at = random_time(day, rng, 9, 19)
    visit = Visit(id=random_id(rng), area_id=area.id, household_id=household, kind=kind, visited_at=at,
                  nobody_home=nobody, met="" if nobody else rng.choice(MET),
                  discussed="" if nobody else rng.choice(TALKS), satisfaction=None if nobody else rng.choice((3, 4, 4, 5, 5)),
                  opinions=opinions, photo_ids=[], created_by=officer.id, observed_at=at, received_at=at, updated_at=at)
    session.add(visit)
    return visit


def _follow(session, rng, case: dict, area, officer, today: date, late: bool) -> None:
    """The matter's life up to today: older ones mostly closed, some left open past their due date."""
    received, due = date.fromisoformat(case["received_on"]), date.fromisoformat(case["due_on"])
    age, chance = (today - received).days, rng.random()
    if late:
        steps = 2
    elif due < today:  # mostly handled in time; now and then one slips
        steps = 4 if chance < 0.7 else 3 if chance < 0.93 else 2
    else:
        steps = min(rng.randrange(0, 4), max(age, 0))
    moves = LIFE[:steps + 1]
    record = Case(**{**case, "received_on": received, "due_on": date.fromisoformat(case["due_on"]),
                     "status": moves[-1].value, "created_by": officer.id})
    session.add(record)
    span = max((today - received).days, 1)
    for n, status in enumerate(moves):
        day = min(received + timedelta(days=round(span * n / (len(moves) + 1))), today)
        when = random_time(day, rng, 9, 18)
        session.add(CaseEvent(id=random_id(rng), case_id=case["id"], area_id=area.id, status=status.value,
                              note="" if n == 0 else rng.choice(("已联系业户", "已派维修班组", "已处理，业户认可", "已回访")),
                              created_by=officer.id, observed_at=when, received_at=when, updated_at=when))
    record.version = len(moves)


def extend(session, ctx) -> None:
    rng, now, estate = random.Random(20261206), ctx["now"], ctx["estate"]
    today = local_date(now, ZONE)
    officers = [ctx["users"][u] for u in ("wangxm", "lina", "zhangwei", "liuyang")]
    quota, due_days = queries.quota(estate.id), queries.due_days(estate.id)
    overdue_left = 4
    for area, officer, (past, this) in zip(ctx["areas"], officers, PACE, strict=True):
        book = _households(session, area)
        monthly = rules.required(len(book), quota.monthly_pct)
        order = rng.sample(book, len(book))  # each visits new households first (coverage)
        for back in range(MONTHS - 1, -1, -1):
            first, last = _month_days(today, back)
            if last < first:
                continue
            for _ in range(round(monthly * (this if back == 0 else past))):
                household = order.pop() if order else rng.choice(book)
                day = first + timedelta(days=rng.randrange((last - first).days + 1))
                if rng.random() < 0.12:  # nobody home, then a phone call the same day
                    _visit(session, rng, area, officer, household, day, VisitKind.HOME, nobody=True)
                    visit = _visit(session, rng, area, officer, household, day, VisitKind.PHONE)
                else:
                    visit = _visit(session, rng, area, officer, household, day, VisitKind.HOME)
                values = {"id": visit.id, "area_id": area.id, "household_id": household, "opinions": visit.opinions}
                for case in rules.cases_from_visit(values, day, due_days):
                    late = overdue_left > 0 and back == 2  # a month old at least: past any due date
                    overdue_left -= late
                    _follow(session, rng, case, area, officer, today, late)
    session.flush()

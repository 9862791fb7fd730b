"""Demo arrears (R-FEE-1…4): a year of finance's monthly lists with churn — most newcomers pay within a
month or two, some stay and become long-term — and the last three months of chases, on cadence in most
areas and behind in 西区 (its officer's Today says so). Finance has confirmed last month's long-term table.
Everything is dated relative to today, in the estate's clock; the generator is the domain's own."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from ..estate.public import Building, Household, Unit
from ..kernel.dates import day_start_utc, local_date
from ..kernel.demo import ZONE, random_id, random_time
from . import rules
from .models import Arrear, ArrearsList, ChaseAttempt, ChaseMethod, ChaseOutcome, FeeType, LongTermCheck

MONTHS = 12
CHASED_MONTHS = 3
BEHIND_AREA = 2  # 西区: its chases stopped three weeks ago
PAY_CHANCE = ((2, 0.55), (6, 0.25), (999, 0.08))  # months owed up to → chance of paying up within the month
NOTES = ("业主说工资发了就交", "业主对维修不满意，暂不缴费", "电话无人接听", "已留催缴通知单", "家属代为转告",
         "业主在外地，下月回来处理", "答应先交一半")


def _owners(session, area) -> list[tuple[int, int, float, str | None]]:
    return list(session.execute(select(Household.id, Unit.id, Unit.floor_area_m2, Household.phone).join(Unit)
                                .join(Building).where(Building.area_id == area.id, Household.relation == "owner")
                                .order_by(Household.id)))


def _months(today: date) -> list[date]:
    first, found = today.replace(day=1), []
    for _ in range(MONTHS):
        found.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return found[::-1]


def churn(rng, owing: dict, pool: list, first_month: bool) -> None:
    """A month on: some pay up and leave the list, the others owe a month more; a few newcomers."""
    for key in list(owing):
        chance = next(p for limit, p in PAY_CHANCE if owing[key] <= limit)
        if rng.random() < chance:
            del owing[key]
        else:
            owing[key] += 1
    for owner in rng.sample(pool, min(len(pool), 8 if first_month else rng.randrange(2, 5))):
        owing.setdefault(owner, rng.randrange(1, 11) if first_month else 1)


def _lines(rng, area, owing: dict, as_of: date) -> list[Arrear]:
    lines = []
    for (household, unit, floor_area, _phone), months in owing.items():
        monthly = round((floor_area or 100) * 250)  # 2.50 yuan per m² a month
        lines.append(Arrear(area_id=area.id, unit_id=unit, household_id=household, fee_type=FeeType.PROPERTY,
                            months_owed=months, amount_fen=monthly * months, as_of=as_of))
        if rng.random() < 0.3:
            lines.append(Arrear(area_id=area.id, unit_id=unit, household_id=household, fee_type=FeeType.UTILITIES,
                                months_owed=min(months, 3), amount_fen=rng.randrange(50, 400) * 100, as_of=as_of))
    return lines


def _attempt(rng, area, officer, owner, day: date, method: str, long_term: bool) -> ChaseAttempt:
    household, unit, _area, _phone = owner
    outcome = rng.choices((ChaseOutcome.NOT_REACHED if method == ChaseMethod.PHONE else ChaseOutcome.NOBODY_HOME,
                           ChaseOutcome.PROMISED, ChaseOutcome.REFUSED), (4, 3, 2 if long_term else 1))[0]
    at = random_time(day, rng, 9, 20)
    return ChaseAttempt(id=random_id(rng), area_id=area.id, unit_id=unit, household_id=household, method=method,
                        outcome=outcome, note=rng.choice(NOTES),
                        promised_on=day + timedelta(days=rng.randrange(7, 25)) if outcome == ChaseOutcome.PROMISED else None,
                        promised_yuan=rng.choice((500, 1000, 2000, 3000)) if outcome == ChaseOutcome.PROMISED else None,
                        created_by=officer.id, observed_at=at, received_at=at, updated_at=at)


def _chases(rng, area, officer, owing: dict, first: date, today: date, behind: bool, threshold: int) -> list:
    """One month's chases: long-term owners phoned weekly and visited twice, the others phoned once."""
    last = min(rules.month_end(first), today - timedelta(days=1))
    stop = today - timedelta(days=21) if behind else last
    found = []
    for owner, months in owing.items():
        long_term = months > threshold
        days = [first + timedelta(days=d) for d in range(rng.randrange(0, 4), 31, 7)] if long_term and owner[3] else []
        days = [d for d in days if d <= min(last, stop) and rng.random() > 0.1]
        found += [_attempt(rng, area, officer, owner, d, ChaseMethod.PHONE, long_term) for d in days]
        if long_term:
            visits = [first + timedelta(days=rng.randrange(3, 12)), first + timedelta(days=rng.randrange(15, 27))]
            found += [_attempt(rng, area, officer, owner, d, ChaseMethod.VISIT, True) for d in visits if d <= min(last, stop)]
        elif rng.random() < 0.5 and first + timedelta(days=9) <= min(last, stop):
            found.append(_attempt(rng, area, officer, owner, first + timedelta(days=9), ChaseMethod.PHONE, False))
    return found


def extend(session, ctx) -> None:
    rng, now, estate = random.Random(20261213), ctx["now"], ctx["estate"]
    today = local_date(now, ZONE)
    finance = ctx["users"]["qianhong"]
    officers = [ctx["users"][u] for u in ("wangxm", "lina", "zhangwei", "liuyang")]
    months = _months(today) if today.day >= 5 else _months(today)[:-1]  # this month's list comes by the 5th
    lists = {m: ArrearsList(estate_id=estate.id, month=rules.month_key(m), imported_by=finance.id,
                            filename=f"{m:%Y年%m月}欠费清单.xlsx", imported_at=day_start_utc(m + timedelta(days=4), ZONE)
                            + timedelta(hours=10)) for m in months}
    session.add_all(lists.values())
    threshold = 6
    for index, (area, officer) in enumerate(zip(ctx["areas"], officers, strict=True)):
        pool, owing = _owners(session, area), {}
        for n, first in enumerate(months):
            churn(rng, owing, pool, n == 0)
            lists[first].rows.extend(_lines(rng, area, owing, first))
            if n >= len(months) - CHASED_MONTHS:
                session.add_all(_chases(rng, area, officer, owing, first, today, index == BEHIND_AREA, threshold))
    if len(months) > 1:
        session.add(LongTermCheck(estate_id=estate.id, month=rules.month_key(months[-2]), confirmed_by=finance.id,
                                  confirmed_at=lists[months[-2]].imported_at + timedelta(days=3), note="与账面一致"))
    session.flush()

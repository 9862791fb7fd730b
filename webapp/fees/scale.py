"""Fee arrears on a scale estate: a list a month over the scale's months with the demo's churn, written in
bulk, and the long-term owners' weekly phone chases and two visits a month as synced records."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..estate.public import Building, Household, Unit
from ..kernel.dates import day_start_utc
from ..kernel.demo import ZONE, random_id, random_time
from ..kernel.roles import Role
from ..kernel.scale import synced, write, write_synced
from . import rules
from .demo import churn
from .entities import CHASE
from .models import Arrear, ArrearsList, ChaseMethod, ChaseOutcome, FeeType

LONG_TERM = 6


def extend(session, ctx) -> None:
    rng, today, estate = ctx["rng"], ctx["today"], ctx["estate"]
    finance = ctx["users"][Role.FINANCE][0]
    owners: dict[int, list] = {}
    for row in session.execute(select(Household.id, Unit.id, Unit.floor_area_m2, Household.phone, Building.area_id)
                               .join(Unit, Household.unit_id == Unit.id).join(Building, Unit.building_id == Building.id)
                               .where(Building.estate_id == estate.id,
                                                                Household.relation == "owner")):
        owners.setdefault(row.area_id, []).append(tuple(row[:4]))
    first, months = ctx["first_day"].replace(day=1), []
    while first <= today:
        months.append(first)
        first = rules.next_month(first)
    lists = [ArrearsList(estate_id=estate.id, month=rules.month_key(m), imported_by=finance.id, filename="scale.xlsx",
                         imported_at=day_start_utc(m + timedelta(days=4), ZONE)) for m in months]
    session.add_all(lists)
    session.flush()
    lines, chases = [], []
    for area in ctx["areas"]:
        owing, officer = {}, ctx["officers"][area.id]
        for n, (month, made) in enumerate(zip(months, lists, strict=True)):
            churn(rng, owing, owners.get(area.id, []), n == 0)
            for (household, unit, floor_area, phone), owed in owing.items():
                lines.append({"list_id": made.id, "area_id": area.id, "unit_id": unit, "household_id": household,
                              "fee_type": FeeType.PROPERTY.value, "months_owed": owed, "as_of": month,
                              "amount_fen": round((floor_area or 100) * 250) * owed})
                if owed > LONG_TERM:
                    chases += _month_of_chases(rng, area.id, officer.id, unit, household, month, today, bool(phone))
    write(session, Arrear, lines)
    write_synced(session, CHASE, chases)


def _month_of_chases(rng, area_id, officer_id, unit, household, month, today, phone: bool) -> list[dict]:
    last = min(rules.month_end(month), today - timedelta(days=1))
    days = [(month + timedelta(days=d), ChaseMethod.PHONE) for d in range(rng.randrange(0, 7), 31, 7)] if phone else []
    days += [(month + timedelta(days=d), ChaseMethod.VISIT) for d in (rng.randrange(2, 13), rng.randrange(15, 27))]
    found = []
    for day, method in days:
        if day > last:
            continue
        at = random_time(day, rng, 9, 20)
        outcome = rng.choice((ChaseOutcome.NOT_REACHED if method == ChaseMethod.PHONE else ChaseOutcome.NOBODY_HOME,
                              ChaseOutcome.PROMISED, ChaseOutcome.REFUSED))
        promised = outcome == ChaseOutcome.PROMISED
        found.append(synced(random_id(rng), officer_id, at, at, area_id=area_id, unit_id=unit, household_id=household,
                            method=method.value, outcome=outcome.value, note="",
                            promised_on=day + timedelta(days=14) if promised else None,
                            promised_yuan=1000 if promised else None, receipt_no=""))
    return found

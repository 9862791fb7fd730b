"""Visits and matters of a scale estate (webapp.scale): every officer visits a little over the monthly quota
of their area each month (R-VIS-1), new households first (R-VIS-2), now and then nobody home and a phone
call instead (R-VIS-4); opinions become matters (R-VIS-5) in the state their age gives them, each move an
event. Written in bulk, filed in the change log (webapp.kernel.scale)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select

from ..estate.public import Building, Household, Unit
from ..kernel.demo import random_id, random_time
from ..kernel.scale import days, synced, write_synced
from . import queries, rules
from .demo import LIFE, MET, OPINIONS, TALKS
from .entities import CASE, CASE_EVENT, VISIT

OPINION_RATE = 0.3  # of the visits someone was met on
NOBODY_HOME = 0.12
NOTES = ("已联系业户", "已派维修班组", "已处理，业户认可", "已回访")


def extend(session, ctx) -> None:
    rng, estate = ctx["rng"], ctx["estate"]
    quota, due_days = queries.quota(estate.id), queries.due_days(estate.id)
    books = defaultdict(list)
    for household_id, area_id in session.execute(
            select(Household.id, Building.area_id).join(Unit, Household.unit_id == Unit.id)
            .join(Building, Unit.building_id == Building.id).where(Building.estate_id == estate.id)
            .order_by(Household.id)):
        books[area_id].append(household_id)
    visits, cases, events = [], [], []
    for area in ctx["areas"]:
        book, officer = books[area.id], ctx["officers"][area.id]
        order = rng.sample(book, len(book))  # new households first: the year's coverage
        daily = rules.required(len(book), quota.monthly_pct) * 1.1 / 30
        for day in days(ctx["first_day"], ctx["today"] - timedelta(days=1)):
            for _ in range(int(daily) + (rng.random() < daily % 1)):
                household = order.pop() if order else rng.choice(book)
                made = _visits(rng, officer.id, area.id, household, day)
                visits.extend(made)
                for case in rules.cases_from_visit(made[-1], day, due_days):
                    record, moves = _case(rng, case, officer.id, made[-1], ctx["today"])
                    cases.append(record)
                    events.extend(moves)
    write_synced(session, VISIT, visits)
    write_synced(session, CASE, cases)
    write_synced(session, CASE_EVENT, events)


def _visits(rng, officer_id: int, area_id: int, household: int, day: date) -> list[dict]:
    """A home visit, or nobody home and a phone call the same day."""
    nobody = rng.random() < NOBODY_HOME
    made = [_visit(rng, officer_id, area_id, household, day, "home", nobody=True)] if nobody else []
    return [*made, _visit(rng, officer_id, area_id, household, day, "phone" if nobody else "home")]


def _visit(rng, officer_id, area_id, household, day, kind, nobody=False) -> dict:
    opinions = []
    if not nobody and rng.random() < OPINION_RATE:
        for kind_ in rng.sample(list(OPINIONS), rng.choice((1, 1, 2))):
            opinions.append({"type": kind_.value, "text": rng.choice(OPINIONS[kind_]), "urgency": "normal",
                             "warranty": False, "escalate": kind_.value == "help" and rng.random() < 0.3})
    at = random_time(day, rng, 9, 19)
    return synced(random_id(rng), officer_id, at, at + timedelta(minutes=rng.randrange(1, 60)), area_id=area_id,
                  household_id=household, kind=kind, visited_at=at, nobody_home=nobody,
                  met="" if nobody else rng.choice(MET), discussed="" if nobody else rng.choice(TALKS),
                  satisfaction=None if nobody else rng.choice((3, 4, 4, 5, 5)), opinions=opinions, photo_ids=[],
                  round_id=None)


def _case(rng, case: dict, officer_id: int, visit: dict, today: date) -> tuple[dict, list[dict]]:
    """The matter's life up to today: the old ones closed, the recent ones somewhere on the way."""
    received, due = date.fromisoformat(case["received_on"]), date.fromisoformat(case["due_on"])
    steps = 4 if due < today - timedelta(days=7) else min(rng.randrange(0, 4), max((today - received).days, 0))
    moves = LIFE[:steps + 1]
    span, events = max((today - received).days, 1), []
    for n, status in enumerate(moves):
        day = min(received + timedelta(days=round(span * n / (len(moves) + 1))), today)
        when = visit["received_at"] if n == 0 else random_time(day, rng, 9, 18)
        events.append(synced(random_id(rng), officer_id, when, when, case_id=case["id"], area_id=case["area_id"],
                             status=status.value, note="" if n == 0 else rng.choice(NOTES)))
    record = synced(case["id"], officer_id, visit["observed_at"], visit["received_at"], events[-1]["received_at"],
                    len(moves), **{**case, "received_on": received, "due_on": due, "status": moves[-1].value,
                                   "unit_id": None, "place": "", "team": None, "handler_id": None,
                                   "status_note": events[-1]["note"]})
    return record, events



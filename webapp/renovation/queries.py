"""Database reads and small writes for renovation: today's due list, templates, floor key locations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ..areas.public import Area, KeyLocation, add_renovation_floor, officers_by_area, renovation_floor
from ..auth.public import User, area_ids_visible_to
from ..estate.public import Unit
from ..extensions import db
from ..kernel.dates import day_start_utc, local_date, tz
from ..kernel.memo import by_id, per_session
from ..kernel.roles import Role
from . import rules
from .models import (
    ExtraInspector,
    Inspection,
    InspectionKind,
    InspectionTemplate,
    Renovation,
    Status,
    StatusChange,
    Violation,
)


def today(now: datetime) -> date:
    return local_date(now, tz())


def current_template(estate_id: int, user_id: int | None = None) -> InspectionTemplate:
    """The template in force; the default list (R-REN-1) is created on first use."""
    found = db.session.scalar(select(InspectionTemplate).where(InspectionTemplate.estate_id == estate_id,
                                                               InspectionTemplate.retired_at.is_(None)))
    if found is None:
        found = InspectionTemplate(estate_id=estate_id, version=1, created_by=user_id,
                                   items=[{"code": c, "label_zh": zh, "label_en": en} for c, zh, en in rules.DEFAULT_ITEMS])
        db.session.add(found)
        db.session.flush()
    return found


def templates_of(estate_id: int) -> dict[int, InspectionTemplate]:
    """Every version of the estate's inspection list: an inspection is shown and checked against the
    version its form was rendered with (R-REN-1)."""
    current_template(estate_id)
    return {t.version: t for t in db.session.scalars(select(InspectionTemplate).where(
        InspectionTemplate.estate_id == estate_id))}


@per_session  # a push checks and derives every inspection against it: read once, not once an inspection
def template_for(estate_id: int, version: int | None) -> InspectionTemplate | None:
    """That version (None: the one in force); None when the estate has no such version."""
    if version is None:
        return current_template(estate_id)
    return db.session.scalar(select(InspectionTemplate).where(InspectionTemplate.estate_id == estate_id,
                                                              InspectionTemplate.version == version))


def renovations_in(area_ids, statuses=None, closed_since: datetime | None = None) -> list[Renovation]:
    """With their unit, its building and their area: every list shows the unit's label under its area.
    Given `closed_since`, files closed before then are left out."""
    query = select(Renovation).where(Renovation.area_id.in_(list(area_ids))).options(
        joinedload(Renovation.unit).joinedload(Unit.building), joinedload(Renovation.area))
    if statuses:
        query = query.where(Renovation.status.in_(list(statuses)))
    if closed_since is not None:
        query = query.where(or_(Renovation.status != Status.CLOSED, Renovation.closed_at.is_(None),
                                Renovation.closed_at >= closed_since))
    return db.session.scalars(query.order_by(Renovation.area_id, Renovation.start_date, Renovation.id)).all()


def inspected_on(renovation_ids, day: date) -> set[int]:
    start = day_start_utc(day, tz())
    return set(db.session.scalars(select(Inspection.renovation_id).where(
        Inspection.renovation_id.in_(list(renovation_ids)), Inspection.deleted_at.is_(None),
        Inspection.kind != InspectionKind.FINAL, Inspection.observed_at >= start,
        Inspection.observed_at < start + timedelta(days=1))))


def extras_of(renovation_ids) -> dict[int, list[ExtraInspector]]:
    found: dict[int, list[ExtraInspector]] = {}
    for extra in db.session.scalars(select(ExtraInspector).where(
            ExtraInspector.renovation_id.in_(list(renovation_ids))).order_by(ExtraInspector.first_day, ExtraInspector.id)):
        found.setdefault(extra.renovation_id, []).append(extra)
    return found


@dataclass
class DueRow:
    renovation: Renovation
    done: bool
    people: list  # users on it today (area officer + extra inspectors)
    day: date  # the estate's day the row is for: an inspection saved offline that day shows it done at once


def today_rows(area_ids, now: datetime, estate_id: int) -> list[DueRow]:
    """Every renovation under renovation today, inspected or not, with who is on it (R-REN-1): the
    due rule (rules.due_ids) and the cover rule (rules.covered) decide, this only reads."""
    day = today(now)
    periods = {r.id: r for r in renovations_in(area_ids, rules.DUE_STATUSES)}
    candidates = [r for r in periods.values() if rules.in_period(period_of(r), day)]
    due = set(rules.due_ids({r.id: period_of(r) for r in candidates}, day, inspected_on(periods, day)))
    extras, officers = extras_of(periods), officers_by_area(estate_id)
    users = {e.user_id: e.user for found in extras.values() for e in found}
    rows = []
    for ren in candidates:
        officer = officers.get(ren.area_id)
        users.update({officer.id: officer} if officer else {})
        ids = rules.covered(day, officer.id if officer else None,
                            [(e.user_id, e.first_day, e.last_day) for e in extras.get(ren.id, ())])
        rows.append(DueRow(ren, ren.id not in due, [users[i] for i in ids], day))
    return rows


def period_of(ren: Renovation) -> rules.Period:
    return rules.Period(ren.status, ren.start_date, ren.planned_end)


def period_at(ren: Renovation, moment: datetime) -> rules.Period:
    """The renovation as its status history says it stood at `moment` (R-REN-2); as it is now when
    the history starts later."""
    then = db.session.scalar(select(StatusChange.to_status).where(
        StatusChange.renovation_id == ren.id, StatusChange.changed_at <= moment)
        .order_by(StatusChange.changed_at.desc(), StatusChange.id.desc()).limit(1))
    return rules.Period(then or ren.status, ren.start_date, ren.planned_end)


def assigned_to(user_id: int, day: date) -> list[int]:
    return list(db.session.scalars(select(ExtraInspector.renovation_id).where(
        ExtraInspector.user_id == user_id, ExtraInspector.first_day <= day, ExtraInspector.last_day >= day)))


def extra_ranges(user_id: int, renovation_id) -> list[tuple[date, date]]:
    return [tuple(r) for r in db.session.execute(select(ExtraInspector.first_day, ExtraInspector.last_day).where(
        ExtraInspector.user_id == user_id, ExtraInspector.renovation_id == renovation_id))]


def open_violations(renovation_ids) -> list[Violation]:
    """Violations still to put right, of files not closed: what officers follow up (R-REN-2)."""
    return db.session.scalars(select(Violation).join(Renovation).where(
        Violation.renovation_id.in_(list(renovation_ids)), Violation.fixed_at.is_(None),
        Renovation.status != Status.CLOSED).order_by(Violation.deadline)).all()


@per_session
def escalated(area_ids, now: datetime) -> list[Violation]:
    """Repeat or overdue open violations for the supervisor; a closed file's leftovers are not news. With
    their unit's label (once a request: the overview and the obligations both ask)."""
    day = today(now)
    query = select(Violation).join(Renovation).where(Violation.area_id.in_(list(area_ids)),
                                                     Violation.fixed_at.is_(None), Renovation.status != Status.CLOSED)
    query = query.options(joinedload(Violation.renovation).joinedload(Renovation.unit).joinedload(Unit.building))
    return [v for v in db.session.scalars(query.order_by(Violation.deadline))
            if rules.escalates(v.deadline, False, v.repeat, day)]


def _floor_busy(ren: Renovation, day: date) -> bool:
    """Any renovation on this unit's floor under renovation on `day` (rules.in_period, as for due)."""
    same_floor = db.session.scalars(select(Renovation).join(Unit, Renovation.unit_id == Unit.id).where(
        Renovation.area_id == ren.area_id, Unit.building_id == ren.unit.building_id, Unit.floor == ren.unit.floor,
        Renovation.status.in_(rules.DUE_STATUSES)))
    return any(rules.in_period(period_of(r), day) for r in {*same_floor, ren})


def sync_floor_location(ren: Renovation, day: date) -> bool:
    """A floor is a key location patrolled daily (R-PAT-1) exactly while a unit on it is under
    renovation — the same rule that makes the unit due (R-REN-1). True when something changed."""
    unit = ren.unit
    location = renovation_floor(ren.area_id, unit.building_id, unit.floor)
    if _floor_busy(ren, day):
        if location is None:
            location = add_renovation_floor(ren.area_id, unit.building_id, unit.floor, f"{unit.building.name} {unit.floor}F")
        if ren.key_location_id == location.id:
            return False  # not even set again: the session would flush (and forget what it read) for nothing
        ren.key_location_id = location.id
        return True
    if location is not None:
        location.retire()
        return True
    return False


def refresh_floor_locations(estate_id: int, day: date) -> bool:
    """Day-driven moves (an approved unit reaching its start date, one whose period ran out): the
    floors follow without anyone editing the file. Cheap and idempotent; True when something changed."""
    active = select(KeyLocation.id).where(KeyLocation.active.is_(True))
    rens = db.session.scalars(select(Renovation).where(Renovation.estate_id == estate_id, or_(
        Renovation.status.in_(rules.DUE_STATUSES), Renovation.key_location_id.in_(active)))).all()
    held = {r.key_location_id for r in rens} - {None}
    locations = by_id(KeyLocation, held)  # a page's own areas usually hold them already
    under_way = {ren.id for ren in rens if rules.in_period(period_of(ren), day)}
    busy = {ren.key_location_id for ren in rens if ren.id in under_way}  # a floor shared with a unit under way
    changed = False
    for ren in rens:
        location = locations.get(ren.key_location_id)
        wanted = ren.id in under_way or ren.key_location_id in busy
        if wanted != bool(location is not None and location.active):
            changed = sync_floor_location(ren, day) or changed
    return changed


def history(ren: Renovation) -> list[Inspection]:
    return db.session.scalars(select(Inspection).where(Inspection.renovation_id == ren.id, Inspection.deleted_at.is_(None))
                              .order_by(Inspection.observed_at.desc())).all()


def violations_of(ren: Renovation) -> list[Violation]:
    return db.session.scalars(select(Violation).where(Violation.renovation_id == ren.id)
                              .order_by(Violation.raised_at.desc())).all()


def status_changes(ren: Renovation) -> list[StatusChange]:
    return db.session.scalars(select(StatusChange).where(StatusChange.renovation_id == ren.id)
                              .order_by(StatusChange.changed_at.desc(), StatusChange.id.desc())).all()


def renovation_ids_for(user, day: date) -> set[int]:
    """The renovations a user's phone may read and write: those of the user's areas (desk roles: of
    their estates) and those they inspect as an extra inspector now or later, or did up to LATE_DAYS
    ago (an inspection synced late still reaches the server, R-REN-1)."""
    if user.role == Role.OFFICER:
        own = select(Renovation.id).where(Renovation.area_id.in_(list(area_ids_visible_to(user))))
    else:
        own = select(Renovation.id).where(Renovation.estate_id.in_(list(user.estate_ids)))
    extra = select(ExtraInspector.renovation_id).where(ExtraInspector.user_id == user.id,
                                                        ExtraInspector.last_day >= rules.last_day_ago(day))
    return set(db.session.scalars(own.union(extra)))


def by_area(rows: list[Renovation]) -> list[tuple]:
    """[(area, [renovation, …])] in the order given (renovations_in sorts by area)."""
    groups: dict[int, tuple] = {}
    for ren in rows:
        groups.setdefault(ren.area_id, (ren.area, []))[1].append(ren)
    return list(groups.values())


def inspectors_for(estate_id: int | None, area_ids) -> list:
    """Active officers and supervisors who may be put on units (of that estate, or of the areas' estates)."""
    estates = {estate_id} if estate_id else set(db.session.scalars(select(Area.estate_id).where(Area.id.in_(list(area_ids)))))
    people = db.session.scalars(select(User).where(User.role.in_((Role.OFFICER, Role.SUPERVISOR)), User.active.is_(True))
                                .order_by(User.display_name)).all()
    return [u for u in people if estates & set(u.estate_ids)]


def assignments(area_ids, day: date, renovation_id: int | None = None) -> list[ExtraInspector]:
    """Current and coming extra-inspector assignments (one unit's: all of them)."""
    query = select(ExtraInspector).join(Renovation).where(Renovation.area_id.in_(list(area_ids)))
    query = (query.where(ExtraInspector.renovation_id == renovation_id) if renovation_id
             else query.where(ExtraInspector.last_day >= day))
    return db.session.scalars(query.order_by(ExtraInspector.first_day, ExtraInspector.id)).all()

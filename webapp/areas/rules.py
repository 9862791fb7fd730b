"""Areas as plain functions: the assignment-table state machine (R-AREA-1, R-AREA-2) and the due-date
arithmetic of R-AREA-3 (re-approve the table) and R-AREA-4 (repost the lobby card).

The state-machine functions (`start_draft`, `propose`, `approve`, `send_back`, `discard`) and the
due-date functions (`reapproval_due`, `officer_since`, `lobby_card_due`) take plain values and model
objects and touch no session, so they are unit-tested without a request or a database. The `*_table`
functions around them load what they need and add to the session; the views commit. Area edits are
in edits.py, the obligations shown on the home pages in obligations.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from sync.store import utcnow

from ..auth.public import User
from ..extensions import db
from ..kernel.forms import load_form
from ..kernel.memo import per_session
from .models import AssignmentRow, AssignmentTable, TableStatus
from .queries import (
    active_areas,
    estate_officers,
    floor_areas,
    household_counts,
    key_location_snapshot,
    open_table,
    tables_of,
)
from .schemas import ROW

ROW_FIELDS = ("officer_id", "scope", "household_count", "floor_area_m2", "difficulty")


# --------------------------------------------------------------------------- the table in force


def table_in_force(estate_id: int) -> AssignmentTable | None:
    """The approved table, its rows loaded with it: of every version, read once a request (queries.tables_of),
    which the desk's overview and the areas' obligations read anyway — one read, not two, for both."""
    return next((table for table in tables_of(estate_id) if table.status == TableStatus.APPROVED), None)


def officer_area_ids_query(user_id: int):
    """The ids of the areas the user is the officer of, in each estate's approved table (a subquery)."""
    return (select(AssignmentRow.area_id).join(AssignmentTable)
            .where(AssignmentTable.status == TableStatus.APPROVED, AssignmentRow.officer_id == user_id))


def officer_area_ids(user_id: int) -> set[int]:
    """Areas the user is the officer of, in each estate's approved table."""
    return set(db.session.scalars(officer_area_ids_query(user_id)))


def officer_of_areas(estate_id: int) -> dict[int, int | None]:
    table = table_in_force(estate_id)
    return {row.area_id: row.officer_id for row in table.rows} if table else {}


@per_session
def officers_by_area(estate_id: int) -> dict[int, User]:
    """The officer of each area in the table in force (None where the row has none)."""
    ids = officer_of_areas(estate_id)
    # Their estates only when asked (User.estates is loaded eagerly otherwise: a query more for nothing)
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([i for i in ids.values() if i]))
                                                  .options(lazyload(User.estates)))}
    return {area_id: people.get(uid) for area_id, uid in ids.items()}


def next_version(estate_id: int) -> int:
    return (db.session.scalar(select(func.max(AssignmentTable.version)).where(AssignmentTable.estate_id == estate_id)) or 0) + 1


# --------------------------------------------------------------------------- the state machine


class TableError(Exception):
    """A transition that may not happen: `status` 409 for the wrong state, 422 for invalid content."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None, status: int = 422):
        super().__init__(message)
        self.message, self.errors, self.status = message, errors or {}, status


def row_field(area_id: int, name: str) -> str:
    return f"rows-{area_id}-{name}"


def _expect(table: AssignmentTable, *statuses: TableStatus) -> None:
    if table.status not in statuses:
        raise TableError(_("This table is %(status)s: that step is not possible now.", status=table.status_label),
                         status=409)


def start_draft(estate_id: int, version: int, user_id: int, now: datetime, areas: Sequence,
                in_force: AssignmentTable | None = None, open_version: AssignmentTable | None = None,
                households: Mapping[int, int] | None = None,
                floor_area: Mapping[int, float] | None = None) -> AssignmentTable:
    """A new draft (R-AREA-1), copied from the table in force, one row per active area; household
    counts are taken afresh from the area's buildings. Only one draft or proposed version at a time."""
    if open_version is not None:
        raise TableError(_("Version %(n)d is still open: finish it first.", n=open_version.version), status=409)
    households, floor_area = households or {}, floor_area or {}
    table = AssignmentTable(estate_id=estate_id, version=version, status=TableStatus.DRAFT,
                            created_by=user_id, created_at=now)
    for area in areas:
        before = in_force.row_for(area.id) if in_force else None
        table.rows.append(AssignmentRow(
            area_id=area.id,
            officer_id=before.officer_id if before else None,
            scope=(before.scope if before and before.scope else area.description),
            household_count=households.get(area.id),
            floor_area_m2=before.floor_area_m2 if before and before.floor_area_m2 is not None else floor_area.get(area.id),
            difficulty=before.difficulty if before else None,
            key_locations=list(before.key_locations) if before else [],
        ))
    return table


def apply_rows(table: AssignmentTable, values: Mapping[int, Mapping]) -> None:
    """Put validated row values (area_id → {field: value}) into a draft, adding rows for new areas."""
    _expect(table, TableStatus.DRAFT)
    for area_id, row_values in values.items():
        row = table.row_for(area_id)
        if row is None:
            row = AssignmentRow(area_id=area_id, key_locations=[])
            table.rows.append(row)
        for name in ROW_FIELDS:
            setattr(row, name, row_values.get(name))


def parse_rows(form: Mapping, area_ids: Iterable[int], officer_ids: set[int]) -> tuple[dict[int, dict], dict]:
    """Read the table's rows from a submitted form: (area_id → values, errors by field name)."""
    values, errors = {}, {}
    for area_id in area_ids:
        data, row_errors = load_form(ROW, form, row_field(area_id, ""))
        if data.get("officer_id") is not None and data["officer_id"] not in officer_ids:
            row_errors[row_field(area_id, "officer_id")] = [_("Choose an active officer of this estate.")]
        values[area_id] = data
        errors.update(row_errors)
    return values, errors


def check_complete(table: AssignmentTable, area_ids: Iterable[int], officer_ids: set[int]) -> dict[str, list[str]]:
    """Every active area has a row with an active officer of the estate (R-AREA-2)."""
    errors = {}
    for area_id in area_ids:
        row = table.row_for(area_id)
        if row is None or row.officer_id is None:
            errors[row_field(area_id, "officer_id")] = [_("Choose the officer of this area.")]
        elif row.officer_id not in officer_ids:
            errors[row_field(area_id, "officer_id")] = [_("This officer is no longer active in this estate.")]
    return errors


def propose(table: AssignmentTable, user_id: int, now: datetime, area_ids: Sequence[int], officer_ids: set[int],
            key_locations: Mapping[int, list]) -> None:
    """The supervisor proposes the draft (R-AREA-1); the areas' key locations are snapshotted now."""
    _expect(table, TableStatus.DRAFT)
    errors = check_complete(table, area_ids, officer_ids)
    if errors:
        raise TableError(_("Every area needs an active officer before the table is proposed."), errors)
    for row in list(table.rows):
        if row.area_id not in area_ids:
            table.rows.remove(row)
        else:
            row.key_locations = list(key_locations.get(row.area_id, []))
    table.status, table.proposed_by, table.proposed_at = TableStatus.PROPOSED, user_id, now
    table.decided_by = table.decided_at = None


def approve(table: AssignmentTable, approved: Iterable[AssignmentTable], user_id: int, now: datetime,
            area_ids: Sequence[int], officer_ids: set[int], note: str | None = None) -> None:
    """The manager approves (R-AREA-2): the table takes effect and every other approved version of
    the estate is superseded, so exactly one is in force."""
    _expect(table, TableStatus.PROPOSED)
    errors = check_complete(table, area_ids, officer_ids)
    if errors:
        raise TableError(_("Areas or staff changed since this table was proposed: send it back."), errors)
    for other in approved:
        if other is not table and other.estate_id == table.estate_id and other.status == TableStatus.APPROVED:
            other.status = TableStatus.SUPERSEDED
    table.status, table.decided_by, table.decided_at = TableStatus.APPROVED, user_id, now
    table.decision_note = (note or "").strip() or None


def send_back(table: AssignmentTable, user_id: int, now: datetime, note: str | None) -> None:
    """The manager returns a proposed table to draft with a note saying what to change."""
    _expect(table, TableStatus.PROPOSED)
    note = (note or "").strip()
    if not note:
        raise TableError(_("Some of the data is not valid."), {"note": [_("Say what should change.")]})
    table.status, table.decided_by, table.decided_at, table.decision_note = TableStatus.DRAFT, user_id, now, note


def discard(table: AssignmentTable) -> None:
    """Only a draft may be thrown away; proposed and approved versions are history."""
    _expect(table, TableStatus.DRAFT)


def only_one_approved(tables: Iterable[AssignmentTable]) -> bool:
    return sum(1 for t in tables if t.status == TableStatus.APPROVED) <= 1


# --------------------------------------------------------------------------- the same, with the database


def create_draft(estate_id: int, user_id: int, now: datetime | None = None) -> AssignmentTable:
    table = start_draft(
        estate_id, next_version(estate_id), user_id, now or utcnow(), active_areas(estate_id),
        in_force=table_in_force(estate_id), open_version=open_table(estate_id),
        households=household_counts(estate_id), floor_area=floor_areas(estate_id),
    )
    db.session.add(table)
    return table


def propose_table(table: AssignmentTable, user_id: int, now: datetime | None = None) -> None:
    areas = active_areas(table.estate_id)
    officer_ids = {u.id for u in estate_officers(table.estate_id)}
    propose(table, user_id, now or utcnow(), [a.id for a in areas], officer_ids,
            {a.id: key_location_snapshot(a) for a in areas})


def approve_table(table: AssignmentTable, user_id: int, now: datetime | None = None, note: str | None = None) -> None:
    approved = db.session.scalars(
        select(AssignmentTable).where(AssignmentTable.estate_id == table.estate_id,
                                      AssignmentTable.status == TableStatus.APPROVED).with_for_update()
    ).all()
    areas = active_areas(table.estate_id)
    officer_ids = {u.id for u in estate_officers(table.estate_id)}
    approve(table, approved, user_id, now or utcnow(), [a.id for a in areas], officer_ids, note)
    db.session.flush()  # supersede before anything reads "the table in force" again


def discard_table(table: AssignmentTable) -> None:
    discard(table)
    db.session.delete(table)


# --------------------------------------------------------------------------- due dates


def deadline(since: datetime, days: int) -> datetime:
    return since + timedelta(days=days)




def reapproval_due(changes: Iterable[datetime], days: int) -> datetime | None:
    """R-AREA-3: a new table is approved within `days` of the first change since the one in force."""
    first = min(changes, default=None)
    return None if first is None else deadline(first, days)


def officer_since(history: Sequence[tuple[datetime, int | None]], officer_id: int) -> datetime | None:
    """When the officer took the area: the approval of the earliest table in the unbroken run of
    approved tables (newest first) that gave them this area."""
    since = None
    for decided_at, holder in history:
        if holder != officer_id:
            break
        since = decided_at
    return since


def lobby_card_due(officer_id: int, since: datetime, postings: Iterable, contacts_now: Mapping,
                   contacts_changed_at: datetime | None, days: int) -> datetime | None:
    """R-AREA-4: the card is reposted within `days` of the officer taking the area, and again after
    their published contacts change. `postings` have officer_id, posted_at and contacts (None: not kept)."""
    mine = [p for p in postings if p.officer_id == officer_id and p.posted_at >= since]
    if not mine:
        return deadline(since, days)
    last = max(mine, key=lambda p: p.posted_at)
    if last.contacts is not None and dict(last.contacts) != dict(contacts_now):
        return deadline(max(contacts_changed_at or last.posted_at, last.posted_at), days)
    return None

"""The area obligations on the home pages, computed and never stored: R-AREA-3 (approve a new
assignment table within n days of a change of staff or areas) and R-AREA-4 (repost the lobby card
within n days of a change of officer or of their published contacts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.public import User
from ..extensions import db
from ..kernel.hooks import Obligation
from ..kernel.memo import by_id
from ..kernel.roles import Role
from ..policies.public import policy
from .models import Area, AreaChange, AreaChangeKind, LobbyCardPosting, TableStatus
from .queries import (
    active_areas,
    contacts_of,
    estate_officers,
    open_table,
    standing_key_locations,
    tables_of,
)
from .rules import deadline, lobby_card_due, officer_since, officers_by_area, reapproval_due, table_in_force


@dataclass(frozen=True)
class Change:
    """Why the table in force no longer matches staff or areas (R-AREA-3)."""

    when: datetime
    what: str
    detail: str = ""


@dataclass
class CardDue:
    """An area whose lobby card must be (re)posted (R-AREA-4)."""

    area: Area
    officer: User
    since: datetime
    due: datetime


def table_changes(estate_id: int) -> list[Change]:
    """Changes of staff and areas since the table in force was approved, oldest first (R-AREA-3).

    Officers who joined (and are not in the table) or left; areas added; key locations added or
    retired against the table's snapshot; buildings moved, areas renamed and key locations changed,
    from the area change log."""
    areas = active_areas(estate_id)
    in_force = table_in_force(estate_id)
    if in_force is None:
        first = min((a.created_at for a in areas), default=None)
        return [Change(first, _("No assignment table is in force"))] if first else []
    approved_at = in_force.decided_at or in_force.created_at
    rows = {row.area_id: row for row in in_force.rows}
    in_table = {row.officer_id for row in in_force.rows}
    changes = []
    for officer in estate_officers(estate_id, False):
        if officer.active and officer.created_at > approved_at and officer.id not in in_table:
            changes.append(Change(officer.created_at, _("New officer"), officer.display_name))
        if not officer.active and (officer.deactivated_at or approved_at) > approved_at:
            changes.append(Change(officer.deactivated_at, _("Officer left"), officer.display_name))
        elif not officer.active and officer.id in in_table:
            changes.append(Change(approved_at, _("Officer left"), officer.display_name))
    for area in areas:
        row = rows.get(area.id)
        if row is None:
            changes.append(Change(max(area.created_at, approved_at), AreaChangeKind.AREA_ADDED.label, area.name))
            continue
        listed = {k["id"] for k in row.key_locations or ()}
        for loc in standing_key_locations(area):
            if loc.active and loc.id not in listed:
                changes.append(Change(max(loc.created_at, approved_at), AreaChangeKind.KEY_LOCATION_ADDED.label,
                                      f"{area.name} · {loc.name}"))
            elif not loc.active and loc.id in listed:
                changes.append(Change(max(loc.retired_at or approved_at, approved_at),
                                      AreaChangeKind.KEY_LOCATION_RETIRED.label, f"{area.name} · {loc.name}"))
    logged = db.session.scalars(select(AreaChange).where(
        AreaChange.estate_id == estate_id, AreaChange.changed_at > approved_at,
        AreaChange.kind.in_((AreaChangeKind.BUILDINGS_MOVED, AreaChangeKind.AREA_RENAMED,
                             AreaChangeKind.KEY_LOCATION_CHANGED, AreaChangeKind.OFFICER_JOINED,
                             AreaChangeKind.OFFICER_LEFT)),
    ))
    changes += [Change(c.changed_at, c.kind_label, c.detail or "") for c in logged]
    return sorted(changes, key=lambda c: c.when)


def reapproval_deadline(estate_id: int) -> tuple[datetime | None, list[Change]]:
    changes = table_changes(estate_id)
    return reapproval_due((c.when for c in changes), policy(estate_id, "table_reapproval_days")), changes


def lobby_cards_due(estate_id: int) -> list[CardDue]:
    """Areas of the table in force whose lobby card waits to be (re)posted (R-AREA-4)."""
    in_force = table_in_force(estate_id)
    if in_force is None:
        return []
    days = policy(estate_id, "lobby_card_repost_days")
    history: dict[int, list[tuple[datetime, int | None]]] = {}
    for table in tables_of(estate_id):
        if table.status in (TableStatus.APPROVED, TableStatus.SUPERSEDED) and table.decided_at is not None:
            for area_id in {row.area_id for row in in_force.rows}:
                row = table.row_for(area_id)
                history.setdefault(area_id, []).append((table.decided_at, row.officer_id if row else None))
    postings: dict[int, list[LobbyCardPosting]] = {}
    for posting in db.session.scalars(select(LobbyCardPosting).where(
            LobbyCardPosting.area_id.in_([row.area_id for row in in_force.rows]))):
        postings.setdefault(posting.area_id, []).append(posting)
    people = {officer.id: officer for officer in officers_by_area(estate_id).values() if officer}
    areas = by_id(Area, {row.area_id for row in in_force.rows})
    found = []
    for row in in_force.rows:
        officer, area = people.get(row.officer_id), areas[row.area_id]
        if officer is None or not area.active:
            continue
        since = officer_since(history.get(row.area_id, []), row.officer_id) or in_force.decided_at
        due = lobby_card_due(row.officer_id, since, postings.get(row.area_id, []), contacts_of(officer),
                             officer.contacts_changed_at or officer.updated_at, days)
        if due is not None:
            found.append(CardDue(area, officer, since, due))
    return found


def table_obligations(user, estate, now) -> list[Obligation]:
    """R-AREA-3 for the supervisor and the manager; the manager also sees a table awaiting approval."""
    if estate is None or not user.has_role(Role.SUPERVISOR, Role.MANAGER):
        return []
    found = []
    due, changes = reapproval_deadline(estate.id)
    if due is not None:
        found.append(Obligation("area_table_reapproval", "R-AREA-3",
                                _("Approve a new assignment table: staff or areas changed (%(n)d)", n=len(changes)),
                                due, url_for("areas.tables")))
    waiting = open_table(estate.id)
    if user.has_role(Role.MANAGER) and waiting is not None and waiting.status == TableStatus.PROPOSED:
        own = deadline(waiting.proposed_at, policy(estate.id, "table_reapproval_days"))
        found.append(Obligation("area_table_approval", "R-AREA-3",
                                _("Assignment table version %(n)d awaits your approval", n=waiting.version),
                                min(own, due) if due else own, url_for("areas.table", table_id=waiting.id)))
    return found


def lobby_card_obligations(user, estate, now) -> list[Obligation]:
    """R-AREA-4 for the supervisor, the manager and the officer of the area."""
    if estate is None or not user.has_role(Role.SUPERVISOR, Role.MANAGER, Role.OFFICER):
        return []
    return [
        Obligation("lobby_card_repost", "R-AREA-4", _("Repost the lobby card for %(area)s", area=card.area.name),
                   card.due, url_for("areas.lobby_card", area_id=card.area.id))
        for card in lobby_cards_due(estate.id)
        if not user.has_role(Role.OFFICER) or card.officer.id == user.id
    ]

"""People as plain functions: who may see and manage whom, and what a change of staff means for the
assignment table (R-AREA-3).

Decisions (PROCEDURES.md, People and places): accounts are the service-centre manager's business and
the administrator's. The supervisor proposes areas and tables (R-AREA-1) and so reads the people of
the estate, but changes nobody. A manager manages officers, supervisors, front desk and work teams of
their own estates — not other managers, not administrators; the administrator manages everyone.
Nobody changes their own role or deactivates themselves here (their phones and photo are on 我的).

`can_see`, `can_manage`, `manageable_roles`, `refusal` and `staff_changes` take plain values and
objects with `id`, `role` and `estate_ids`, and touch no session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..kernel.roles import LEADS, Role

VIEWERS = LEADS
MANAGEABLE = {
    Role.ADMIN: frozenset(Role),
    Role.MANAGER: frozenset({Role.OFFICER, Role.SUPERVISOR, Role.FRONTDESK, Role.FINANCE, Role.TEAM}),
}


def manageable_roles(actor_role: str) -> frozenset[Role]:
    return MANAGEABLE.get(actor_role, frozenset())


def can_see(actor, person) -> bool:
    """The administrator sees everyone; supervisors and managers the people of their estates."""
    if actor.role == Role.ADMIN:
        return True
    return actor.role in VIEWERS and bool(set(actor.estate_ids) & set(person.estate_ids))


def can_manage(actor, person) -> bool:
    """Edit, reset the password, change the photo, deactivate: see the module's decisions."""
    return can_see(actor, person) and person.role in manageable_roles(actor.role)


def refusal(actor, person, role: str | None, estate_ids: Iterable[int], allowed_estates: Iterable[int]) -> bool:
    """True when a form asks for more than the actor may grant: a role above theirs, an estate that
    is not theirs, or a change of their own role (answered 403; the form never offers these)."""
    if role in set(Role) and role not in manageable_roles(actor.role):
        return True
    if not set(estate_ids) <= set(allowed_estates):
        return True
    return person is not None and person.id == actor.id and role != person.role


def may_deactivate(actor, person) -> bool:
    return can_manage(actor, person) and person.id != actor.id


@dataclass(frozen=True)
class Standing:
    """What makes a person one of an estate's officers."""

    role: str
    active: bool
    estate_ids: frozenset[int]

    @classmethod
    def of(cls, user) -> Standing:
        return cls(user.role, user.active, frozenset(user.estate_ids))

    @property
    def officer_estates(self) -> frozenset[int]:
        return self.estate_ids if self.active and self.role == Role.OFFICER else frozenset()


def staff_changes(before: Standing, after: Standing, assigned: Iterable[int] = ()) -> tuple[set[int], set[int]]:
    """R-AREA-3: (estates the person joined, estates they left) as an officer, beyond what the table
    check reads from the account itself (a new account's created_at, a deactivation's deactivated_at).
    `assigned`: estates whose table in force already gives them an area (coming back is no change)."""
    joined = set(after.officer_estates - before.officer_estates) - set(assigned)
    left = set(before.officer_estates - after.officer_estates)
    if before.active and not after.active:
        left &= before.estate_ids - after.estate_ids
    return joined, left

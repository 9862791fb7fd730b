"""How a day's duty log is laid out (R-DUTY-1): each entry with the corrections that point at it, in the order
the server chained them; a correction of an entry of another day stands on its own, naming what it corrects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta


@dataclass
class Line:
    entry: object
    corrections: list = field(default_factory=list)


def lines_of(entries: Sequence) -> list[Line]:
    shown = {e.id for e in entries}
    lines = {e.id: Line(e) for e in entries if e.corrects_id not in shown}
    for entry in sorted((e for e in entries if e.corrects_id in shown), key=lambda e: e.seq or 0):
        root = entry.corrects_id
        while root not in lines:  # a correction of a correction joins the first entry's line
            root = next(e.corrects_id for e in entries if e.id == root)
        lines[root].corrections.append(entry)
    return list(lines.values())


# --------------------------------------------------------------------------- handover (R-DUTY-2)


def blocking(items: Sequence) -> list:
    """Important unfinished work blocks the handover, unless the supervisor let it carry over."""
    return [i for i in items if i.important and i.done_at is None and i.carry_by is None]


def signature_problems(outgoing, incoming, estate_id: int, desk_roles) -> list[str]:
    """Why these two people may not sign this handover (English msgids): two different people of the estate's
    desk, each signing for themselves."""
    if incoming is None:
        return []
    problems = []
    if incoming.id == outgoing.id:
        problems.append("The incoming person must be someone else: each signs with their own account.")
    elif incoming.role not in desk_roles:
        problems.append("Only the duty desk signs a handover: this person is not on the desk.")
    elif estate_id not in {e.id for e in incoming.estates}:
        problems.append("This person does not work in this estate.")
    return problems


# --------------------------------------------------------------------------- daily check (R-DUTY-3)

CHECK_BACK = 7  # days the check list and its obligations look back


def days_to_check(today, first_day, signed: set) -> list:
    """The days before today, back CHECK_BACK days but not before the log began, nobody has signed yet."""
    if first_day is None:
        return []
    start = max(first_day, today - timedelta(days=CHECK_BACK))
    return [start + timedelta(days=n) for n in range((today - start).days) if start + timedelta(days=n) not in signed]

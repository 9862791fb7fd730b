"""Renovation rules as plain functions (R-REN-1, R-REN-2). Days are the estate's local days (webapp.kernel.dates).

A unit is *under renovation* on a day when it is approved or in progress and the day falls in its
period (from the start date; past the planned end only while still in progress). Then, and only then,
it is due for its daily inspection (R-REN-1) and its floor is a patrol key location (R-PAT-1): one rule,
`in_period`, serves both. It is *due* while nobody — the area's officer or an extra inspector of a
mass-renovation period — has inspected it that day yet. Completed and closed renovations are never due
(the final inspection is a separate, one-off check); follow-ups of open violations go on until closed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..kernel.dates import local_date

VIOLATION_NAMESPACE = uuid.UUID("9c3a1d52-7e0b-5f41-8a27-72656e6f7661")
DUE_STATUSES = ("approved", "in_progress")
# A violation may be followed up until the final inspection closes the file (R-REN-2).
FOLLOW_UP_STATUSES = ("approved", "in_progress", "completed")
# An extra inspector's work synced this many days after the day it was done still counts (offline phones).
LATE_DAYS = 7
# The register lists a closed file this long after it closed; older ones under the status "closed" only, so
# the register does not grow with the years (R-REN-2: every file stays on its unit's page).
REGISTER_CLOSED_DAYS = 90
MAX_ID = 2**31 - 1  # ids and counts fit a 32-bit column; anything longer is refused, never an overflow
NOT_UNDER_RENOVATION = "This unit is not under renovation: there is nothing to inspect."
OUTSIDE_PERIOD = "This inspection's day is outside the renovation's period."
FINAL_ONLY_COMPLETED = "Only a completed renovation gets its final inspection."
FINAL_WITH_OPEN = "A final inspection cannot pass while violations are open: record their follow-ups first."
DEADLINE_PAST = "The deadline cannot be before the day of the inspection."
# The life of a renovation (R-REN-2); "closed" only through a passed final inspection.
TRANSITIONS = {
    "applied": {"approved"},
    "approved": {"in_progress", "applied"},
    "in_progress": {"completed"},
    "completed": {"in_progress"},
    "closed": set(),
}
HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

# Each item names the thing checked, answered 合格 / 不合格 on the phone; an inspection stores the codes
# answered 不合格 (`failed`). The first wording named the compliant state ("承重墙等主体结构未改动") under
# "tick what is not in order"; migration 20261206_9a4c2e7b5d10 rewords stored lists that still hold it.
DEFAULT_ITEMS = (
    ("permit", "装修许可证张贴", "Renovation permit on display"),
    ("hours", "施工时间（在允许时段内）", "Working hours (within the permitted hours)"),
    ("structure", "承重墙等主体结构", "Load-bearing walls and main structure"),
    ("waterproofing", "防水施工及闭水试验", "Waterproofing and flood test"),
    ("electrical_gas", "电气及燃气施工", "Electrical and gas works"),
    ("fire", "消防安全（灭火器、无明火、禁烟）", "Fire safety (extinguisher, no open flame, no smoking)"),
    ("debris", "装修垃圾袋装及清运路线", "Debris bagged and removed by the permitted route"),
    ("protection", "走廊及电梯保护", "Corridor and lift protection"),
    ("facade", "门窗及外立面", "Windows and façade"),
    ("noise", "噪声控制", "Noise"),
    ("crew", "施工人员登记", "Crew registration"),
)


@dataclass(frozen=True)
class Period:
    status: str
    start: date
    planned_end: date


def in_period(period: Period, day: date) -> bool:
    if period.status not in DUE_STATUSES or day < period.start:
        return False
    return day <= period.planned_end or period.status == "in_progress"


def due_ids(periods: Mapping[int, Period], day: date, inspected: Iterable[int]) -> list[int]:
    """Renovations still to inspect on `day` (R-REN-1): in their period and not inspected that day by anyone."""
    done = set(inspected)
    return sorted(rid for rid, p in periods.items() if in_period(p, day) and rid not in done)


def covered(day: date, officer_id: int | None, extras: Iterable[tuple[int, date, date]]) -> list[int]:
    """Who is on a unit on `day`: the area's officer, and extra inspectors whose range holds the day."""
    people = [officer_id] if officer_id else []
    for uid, first, last in extras:
        if first <= day <= last and uid not in people:
            people.append(uid)
    return people


def inspection_day(observed_at: datetime, received_at: datetime, zone: ZoneInfo) -> date:
    """The day an inspection was done: its observed time's local day, never later than it reached us
    (a phone clock running ahead cannot move work into tomorrow)."""
    return local_date(min(observed_at, received_at), zone)


def extra_counts(day: date, received_day: date, first: date, last: date) -> bool:
    """An extra inspector's inspection counts when it was done inside their range — also when the phone
    synced it after midnight, up to LATE_DAYS later (R-REN-1)."""
    return first <= day <= last and 0 <= (received_day - day).days <= LATE_DAYS


def inspection_problem(kind: str, period: Period, day: date, open_violations: int, passed: bool | None) -> dict | None:
    """Field → [English msgid] when this kind of inspection cannot be recorded on `day`, else None.
    Daily: the unit is under renovation that day. Follow-up: the file is not closed yet. Final: the
    renovation is completed, and it cannot pass while violations are open (R-REN-2)."""
    if kind == "final":
        if period.status != "completed":
            return {"kind": [FINAL_ONLY_COMPLETED]}
        return {"passed": [FINAL_WITH_OPEN]} if passed and open_violations else None
    if kind == "follow_up":
        return None if period.status in FOLLOW_UP_STATUSES else {"renovation_id": [NOT_UNDER_RENOVATION]}
    if period.status not in DUE_STATUSES:
        return {"renovation_id": [NOT_UNDER_RENOVATION]}
    return None if in_period(period, day) else {"renovation_id": [OUTSIDE_PERIOD]}


def deadline_problem(deadline: date | None, day: date) -> dict | None:
    return {"violation_deadline": [DEADLINE_PAST]} if deadline is not None and deadline < day else None


def parse_int(raw: str | None, maximum: int = MAX_ID) -> int | None:
    """A whole number typed in a form: ASCII digits only ("²".isdigit() is true) and at most `maximum`."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 12 or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if value <= maximum else None


def parse_date(raw: str | None) -> date | None:
    """A date typed in a form (yyyy-mm-dd), or None."""
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def ranges_overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def extra_errors(first: date | None, last: date | None, user_ok: bool, chosen: int) -> dict[str, str]:
    """The extra-inspector form as a whole (R-REN-1): who, which days, at least one unit."""
    errors = {}
    if not user_ok:
        errors["user_id"] = "Choose an active officer or supervisor of this estate."
    if first is None or last is None:
        errors["last_day"] = "Enter a valid date."
    elif last < first:
        errors["last_day"] = "The last day cannot be before the first."
    elif (last - first).days > 366:
        errors["last_day"] = "A mass-renovation assignment lasts at most a year."
    if not chosen:
        errors["renovation_ids"] = "Choose at least one unit."
    return errors


def extra_unit_error(period: Period, first: date, last: date, existing: Iterable[tuple[date, date]]) -> str | None:
    """One unit of an extra-inspector assignment: under renovation on some of these days, and not already
    given to this person for any of them (R-REN-1)."""
    if period.status not in DUE_STATUSES:
        return "%(unit)s is not under renovation."
    end = period.planned_end if period.status == "approved" else date.max  # in progress: until completed
    if not ranges_overlap((first, last), (period.start, end)):
        return "%(unit)s: these days are outside its renovation period."
    if any(ranges_overlap((first, last), r) for r in existing):
        return "%(unit)s: this person is already assigned there for some of these days."
    return None


def last_day_ago(day: date, days: int = LATE_DAYS) -> date:
    return day - timedelta(days=days)


def register_errors(values: Mapping) -> dict[str, str]:
    """Field → message for the register form (R-REN-2); empty when fine. Messages are English msgids."""
    errors = {}
    for name in ("owner_name", "contractor", "foreman", "foreman_phone", "scope"):
        if not (values.get(name) or "").strip():
            errors[name] = "This field is required."
    start, end = values.get("start_date"), values.get("planned_end")
    if start is None:
        errors["start_date"] = "Enter a valid date."
    if end is None:
        errors["planned_end"] = "Enter a valid date."
    elif start is not None and end < start:
        errors["planned_end"] = "The planned end cannot be before the start."
    crew = values.get("crew_size")
    if crew is None or not 1 <= crew <= 200:
        errors["crew_size"] = "Crew size must be between 1 and 200."
    for name in ("hours_from", "hours_to"):
        if not HOURS.match(values.get(name) or ""):
            errors[name] = "Enter a time such as 08:00."
    if not errors.get("hours_to") and not errors.get("hours_from") and values["hours_to"] <= values["hours_from"]:
        errors["hours_to"] = "Working hours must end after they start."
    if values.get("status") in ("approved", "in_progress", "completed") and not (values.get("approval_no") or "").strip():
        errors["approval_no"] = "An approved renovation needs its approval number."
    return errors


def can_move(old: str, new: str) -> bool:
    return old == new or new in TRANSITIONS.get(old, set())


def violation_id(inspection_id: str) -> str:
    return str(uuid.uuid5(VIOLATION_NAMESPACE, inspection_id))


def overdue(deadline: date, fixed: bool, today: date) -> bool:
    return not fixed and deadline < today


def escalates(deadline: date, fixed: bool, repeat: bool, today: date) -> bool:
    """A repeat or overdue open violation goes to the supervisor's home page."""
    return not fixed and (repeat or overdue(deadline, fixed, today))


def template_items_from_text(text: str) -> tuple[list[dict], str | None]:
    """Lines "code | 中文 | English" → items, or an error message (English msgid)."""
    items, seen = [], set()
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not all(parts) or not re.fullmatch(r"[a-z0-9_]{1,32}", parts[0]):
            return [], "Write one item per line: code | Chinese label | English label."
        if parts[0] in seen:
            return [], "Each item code may appear only once."
        seen.add(parts[0])
        items.append({"code": parts[0], "label_zh": parts[1][:128], "label_en": parts[2][:128]})
    if not items:
        return [], "The list needs at least one item."
    return items, None

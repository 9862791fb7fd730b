"""Which checklist each key location is patrolled with (R-PAT-1, R-PAT-2), as the supervisor chooses:
per type of key location, and per location (a roof gets 天面). Empty means "as its type" / "the default"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import gettext as _
from sqlalchemy import delete

from sync.store import utcnow

from ..extensions import db
from .models import LocationChecklist


def parse_choices(form: Mapping, location_ids: Iterable[int], location_kinds: Iterable[str],
                  template_kinds: Iterable[str]) -> tuple[dict[object, str], dict[str, list[str]]]:
    """{location_id or ("kind", kind): template kind} for the choices made, and errors by input name."""
    known = set(template_kinds)
    choices, errors = {}, {}
    names = [(f"kind-{k}", ("kind", k)) for k in location_kinds] + [(f"loc-{i}", i) for i in location_ids]
    for name, key in names:
        value = (form.get(name) or "").strip()
        if not value:
            continue
        if value not in known:
            errors[name] = [_("Choose one of the checklists.")]
        else:
            choices[key] = value
    return choices, errors


def save_choices(estate_id: int, choices: Mapping[object, str], user_id: int) -> None:
    """Replace the estate's choices with these."""
    db.session.execute(delete(LocationChecklist).where(LocationChecklist.estate_id == estate_id))
    now = utcnow()
    for key, template_kind in choices.items():
        by_kind = isinstance(key, tuple)
        db.session.add(LocationChecklist(estate_id=estate_id, key_location_id=None if by_kind else key,
                                         location_kind=key[1] if by_kind else None, template_kind=template_kind,
                                         updated_by=user_id, updated_at=now))
    db.session.flush()

"""Reading and changing per-estate policy values."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..kernel.memo import per_session
from .catalogue import BY_KEY, SETTINGS, Setting
from .models import PolicyChange, PolicyValue


def policy(estate_id: int, key: str) -> int:
    """The estate's value for a setting, or its default."""
    return policies(estate_id)[key]


@per_session
def policies(estate_id: int) -> dict[str, int]:
    """Every setting's value for the estate (one query, once a request: kernel.memo)."""
    stored = dict(db.session.execute(select(PolicyValue.key, PolicyValue.value).where(PolicyValue.estate_id == estate_id)).all())
    return {key: stored.get(key, setting.default) for key, setting in BY_KEY.items()}


def validate(setting: Setting, raw: str) -> tuple[int | None, str | None]:
    """Parse a submitted value; returns (value, None) or (None, error message)."""
    try:
        value = int(str(raw).strip())
    except ValueError:
        return None, _("Enter a whole number.")
    if not setting.minimum <= value <= setting.maximum:
        return None, _("Enter a number from %(lo)d to %(hi)d.", lo=setting.minimum, hi=setting.maximum)
    return value, None


def change(estate_id: int, key: str, value: int, user_id: int) -> bool:
    """Set a value and record who changed it from what; returns False when nothing changed."""
    old = policy(estate_id, key)
    if old == value:
        return False
    row = db.session.scalar(select(PolicyValue).where(PolicyValue.estate_id == estate_id, PolicyValue.key == key))
    if row is None:
        db.session.add(PolicyValue(estate_id=estate_id, key=key, value=value))
    else:
        row.value = value
    db.session.add(PolicyChange(estate_id=estate_id, key=key, old_value=old, new_value=value, changed_by=user_id))
    return True


def validate_all(form) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Every setting of the catalogue from a submitted form: (values, errors by key). All or nothing."""
    values, errors = {}, {}
    for setting in SETTINGS:
        value, error = validate(setting, form.get(setting.key, ""))
        if error:
            errors[setting.key] = [error]
        else:
            values[setting.key] = value
    low, high = values.get("repair_callback_min_days"), values.get("repair_callback_max_days")
    if low is not None and high is not None and low > high:
        errors["repair_callback_max_days"] = [_("Must not be earlier than the earliest repair callback.")]
    return values, errors


def grouped(settings) -> list[tuple[object, list[Setting]]]:
    """The catalogue in its order, grouped by its (contiguous) groups."""
    groups: list[tuple[object, list[Setting]]] = []
    for setting in settings:
        if not groups or groups[-1][0] is not setting.group:
            groups.append((setting.group, []))
        groups[-1][1].append(setting)
    return groups

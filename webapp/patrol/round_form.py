"""The round form posted without JavaScript, read into the very mutation the phone would have sent.

With JavaScript the round form becomes an outbox mutation on the phone (static/js/patrol-round.js
assembles `checks`); without it the form posts to views_field.submit_round, which reads it here and
pushes it through the one no-JS write path (kernel.syncing.push_form).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sync import wirejson

from ..kernel.forms import parse_whole

ROUND_FIELDS = ("area_id", "key_location_id", "kind", "purpose", "start_method", "started_at", "latitude",
                "longitude", "accuracy_m", "note", "corrects_id")
NUMBERS = {"area_id": int, "key_location_id": int, "latitude": float, "longitude": float, "accuracy_m": float}


def _number(kind, raw: str):
    try:
        return kind(raw)
    except ValueError:
        return raw  # the schema says what is wrong with it


def check_from_form(form: Mapping, item_id: int) -> dict | None:
    result = form.get(f"result-{item_id}")
    if not result:
        return None
    check = {"item_id": item_id, "result": result}
    if result == "defect":
        check["note"] = form.get(f"note-{item_id}", "")
        check["resident_impact"] = form.get(f"impact-{item_id}") == "on"
        if form.get(f"team-{item_id}"):
            check["team"] = form[f"team-{item_id}"]
        check["photo_ids"] = _photo_ids(form.get(f"photos-{item_id}", ""))
    return check


def _photo_ids(raw: str):
    """The hidden photo field holds a JSON list of ids; anything else is handed to the schema as it
    is, which refuses it next to the item ("Not a valid list.") instead of failing here."""
    raw = raw.strip()
    if not raw:
        return []
    try:
        return wirejson.loads(raw)
    except ValueError:  # not JSON, or nested too deeply: the schema refuses the text
        return raw


def posted_item_ids(form) -> list[int]:
    """Every item the form answers (`result-<item id>`), in form order: the engine then judges them all,
    as it would the phone's — an item of an older version still saves, an unknown one is refused."""
    found = []
    for name in form:
        number = name.removeprefix("result-")
        if name.startswith("result-") and number.isascii() and number.isdigit() and int(number) not in found:
            found.append(int(number))
    return found


def round_fields_from_form(form, item_ids=None) -> dict:
    """The fields of a patrol_round mutation from the posted round form (radios per item)."""
    item_ids = posted_item_ids(form) if item_ids is None else item_ids
    fields = {}
    for name in ROUND_FIELDS:
        raw = (form.get(name) or "").strip()
        if raw:
            fields[name] = _number(NUMBERS[name], raw) if name in NUMBERS else raw
    fields["checks"] = [c for c in (check_from_form(form, i) for i in item_ids) if c]
    verified = [v for v in form.getlist("verified_finding_ids") if v]
    if verified:
        fields["verified_finding_ids"] = verified
    return fields


def valid_record_id(raw: str | None) -> str | None:
    """A new round's id from the form (a UUID made with the page), a fresh one if absent, None if forged."""
    if not raw:
        return str(uuid.uuid4())
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


def check_errors_by_item(errors: Mapping | None, checks: list[dict]) -> tuple[dict[int, list[str]], list[str]]:
    """Engine field errors → messages next to each item, and the round-level ones."""
    by_item: dict[int, list[str]] = {}
    general: list[str] = []
    for field, messages in (errors or {}).items():
        if field == "checks" and isinstance(messages, Mapping):
            for index, problems in messages.items():
                position = index if isinstance(index, int) else parse_whole(str(index))
                position = -1 if position is None else position
                item_id = checks[position]["item_id"] if 0 <= position < len(checks) else None
                flat = _flatten(problems)
                if item_id is None:
                    general += flat
                else:
                    by_item.setdefault(item_id, []).extend(flat)
        else:
            general += _flatten(messages)
    return by_item, general


def _flatten(messages) -> list[str]:
    if isinstance(messages, str):
        return [messages]
    if isinstance(messages, Mapping):
        return [m for v in messages.values() for m in _flatten(v)]
    return [m for v in messages or () for m in _flatten(v)]

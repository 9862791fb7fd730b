"""Template versioning (R-PAT-2): an edit retires the current version and adds version + 1 with new item
rows. Items keep their `code` across versions (new items get a fresh one), so spot-checks compare by it."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from sync.store import utcnow

from ..extensions import db
from ..kernel.forms import parse_whole
from ..kernel.roles import Team
from .models import Category, ChecklistItem, ChecklistTemplate

BLANK_ROWS = 3
MAX_ROWS = 200
ITEM_FIELDS = ("code", "label_zh", "label_en", "team", "category")


NAME_MAX, LABEL_MAX, CODE_MAX = 64, 128, 32  # the columns' lengths (models.ChecklistTemplate, ChecklistItem)


def parse_items(form: Mapping, template: ChecklistTemplate) -> tuple[list[dict], dict[str, list[str]]]:
    """The posted item rows (kept ones and filled blank ones) and errors by input name."""
    rows, errors = [], {}
    count = min(parse_whole(form.get("count")) or 0, MAX_ROWS)
    codes: set[str] = set()
    for i in range(count):
        row = {f: (form.get(f"item-{i}-{f}") or "").strip() for f in ITEM_FIELDS}
        row["remove"] = form.get(f"item-{i}-remove") == "on"
        if not row["label_zh"] and not row["label_en"] and not row["code"]:
            continue  # an unused blank row
        pos = len(rows)  # errors follow the row to its place when the form is shown again
        rows.append(row)
        if row["remove"]:
            continue
        errors.update(_row_errors(row, pos, codes))
    if not any(not r["remove"] for r in rows):
        errors["items"] = [_("A checklist needs at least one item.")]
    for name in ("name_zh", "name_en"):
        value = (form.get(name) or "").strip()
        if not value:
            errors[name] = [_("Give the checklist a name.")]
        elif len(value) > NAME_MAX:
            errors[name] = [_("A name is at most %(n)d characters.", n=NAME_MAX)]
    return rows, errors


def _row_errors(row: dict, pos: int, codes: set[str]) -> dict[str, list[str]]:
    errors = {}
    if not row["label_zh"]:
        errors[f"item-{pos}-label_zh"] = [_("Give the item a Chinese label.")]
    for name in ("label_zh", "label_en"):
        if len(row[name]) > LABEL_MAX:
            errors[f"item-{pos}-{name}"] = [_("Labels are at most 128 characters.")]
    if row["team"] not in {t.value for t in Team}:
        errors[f"item-{pos}-team"] = [_("Choose a team.")]
    if row["category"] not in {c.value for c in Category}:
        errors[f"item-{pos}-category"] = [_("Choose a category.")]
    # Spot-checks compare items by code across versions: two items with one code would be confused.
    if row["code"] and (row["code"] in codes or len(row["code"]) > CODE_MAX):
        errors[f"item-{pos}-label_zh"] = [_("This item appears twice in the list; remove one of them.")]
    codes.add(row["code"])
    return errors


def _fresh_code(taken: set[str]) -> str:
    n = 1
    while f"item_{n}" in taken:
        n += 1
    taken.add(f"item_{n}")
    return f"item_{n}"


def new_version(template: ChecklistTemplate, form: Mapping, rows: list[dict], user_id: int) -> ChecklistTemplate:
    """Retire `template`, add its next version with these rows; nothing changes if nothing changed."""
    taken = {item.code for item in template.items}
    kept = [r for r in rows if not r["remove"]]
    for row in kept:
        if not row["code"]:
            row["code"] = _fresh_code(taken)
    wanted = [tuple(r[f] for f in ITEM_FIELDS) for r in kept]
    current = [tuple(getattr(i, f) for f in ITEM_FIELDS) for i in template.items]
    name = ((form.get("name_zh") or "").strip(), (form.get("name_en") or "").strip())
    if wanted == current and name == (template.name_zh, template.name_en):
        return template
    now = utcnow()
    template.retired_at = now
    created = ChecklistTemplate(estate_id=template.estate_id, kind=template.kind, version=template.version + 1,
                                position=template.position, name_zh=name[0], name_en=name[1], created_by=user_id,
                                created_at=now)
    created.items = [ChecklistItem(position=i, **dict(zip(ITEM_FIELDS, values, strict=True)))
                     for i, values in enumerate(wanted)]
    db.session.add(created)
    db.session.flush()
    return created

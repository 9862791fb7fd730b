"""Quick notes plug into the sync engine: scope is the note's area (DESIGN.md: entity registry)."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from sync.registry import EntitySpec

from ..areas.public import KeyLocation, area_name, key_location_name
from ..kernel.labels import EntityWords
from ..kernel.syncing import register_entity
from .models import QuickNote
from .schemas import QuickNoteSchema

ENTITY = "quick_note"
LABELS = {ENTITY: EntityWords(
    _l("Quick note"),
    fields={"area_id": _l("Area"), "key_location_id": _l("Key location"), "text": _l("Note text"),
            "photo_ids": _l("Photos")},
    values={"area_id": area_name, "key_location_id": key_location_name},
    summary=("area_id", "key_location_id", "text"),
    url=lambda record_id, values: url_for("notes.detail", note_id=record_id),
)}


def scope_of(values) -> str:
    return f"area:{values['area_id']}"


def check_location_in_area(session, actor, proposals) -> dict:
    """A note's key location must belong to the note's area (one query for the whole batch)."""
    wanted = {p.new.get("key_location_id") for p in proposals} - {None}
    if not wanted:
        return {}
    areas = dict(session.execute(select(KeyLocation.id, KeyLocation.area_id).where(KeyLocation.id.in_(wanted))).all())
    return {
        i: ("rejected", {"key_location_id": ["This key location is not in the note's area."]})
        for i, p in enumerate(proposals)
        if p.new.get("key_location_id") is not None and areas.get(p.new["key_location_id"]) != p.new.get("area_id")
    }


def register(app) -> None:
    register_entity(app, EntitySpec(name=ENTITY, model=QuickNote, schema=QuickNoteSchema, scope_of=scope_of,
                                    check=check_location_in_area))

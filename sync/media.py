"""Photos and signatures: `PUT /sync/media/<uuid>`, idempotent by id, checked by hash and by the
file's own magic bytes (the Content-Type header is a claim, not a fact)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import messages
from .actor import Actor
from .blobs import MediaStores
from .errors import MediaError
from .exif import captured_at
from .models import Media
from .registry import Registry
from .store import utcnow

MAX_BYTES = 8 * 1024 * 1024
ALLOWED = ("image/jpeg", "image/png", "image/webp", "application/pdf")


def sniff(data: bytes) -> str | None:
    """The content type by magic bytes, for the types we accept."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def save_media(session: Session, actor: Actor, media_id: str, data: bytes, content_type: str | None,
               declared_sha256: str, store: MediaStores, max_bytes: int = MAX_BYTES,
               allowed: Iterable[str] = ALLOWED) -> str:
    """Store one upload: "created", or "duplicate" when this id already holds these bytes.
    Raises MediaError (nothing stored); commits."""
    media_id = _media_id(media_id)
    sha256 = _verified_hash(data, declared_sha256, max_bytes)
    stored = _stored(session, media_id)
    if stored is not None:
        return _duplicate(session, stored, sha256, store, data)
    kind = _verified_type(data, content_type, allowed)
    path = store.put(session, media_id, sha256, kind, data)
    row = {"id": media_id, "sha256": sha256, "content_type": kind, "size": len(data), "path": path,
           "uploaded_by": actor.user_id, "received_at": utcnow(), "captured_at": captured_at(data)}
    try:
        session.execute(insert(Media.__table__), [row])
        session.commit()
    except IntegrityError:  # the same id, uploaded a moment ago by a concurrent request
        session.rollback()
        return _duplicate(session, _stored(session, media_id), sha256, store, data)
    return "created"


def media_exists(session: Session, ids: Iterable[str]) -> dict[str, datetime | None]:
    """The ids among `ids` that have arrived, each with the time its photo was taken (None: unknown)."""
    ids = list({str(i) for i in ids})
    if not ids:
        return {}
    return dict(session.execute(select(Media.id, Media.captured_at).where(Media.id.in_(ids))).all())


def referencing_scopes(session: Session, entities: Registry, media_id: str) -> set[str]:
    """The scopes of the live records (any registered entity) that name this media id in one of
    their JSON fields (`photo_ids`, a round's checks…): who may read those records may see it."""
    media_id = str(media_id)
    scopes: set[str] = set()
    for spec in entities:
        holders = [spec.column_of[attr] for attr in spec.json_fields]
        if not holders:
            continue
        table = spec.table
        deleted = spec.column_of["deleted_at"]
        query = select(table).where(deleted.is_(None), or_(*(cast(c, Text).contains(media_id) for c in holders)))
        for row in session.execute(query).mappings():
            values = {attr: row[column.key] for attr, column in spec.column_of.items()}
            if _names(values, media_id):
                scopes.add(spec.scope_of(values))
    return scopes


def _names(value: Any, media_id: str) -> bool:
    if isinstance(value, str):
        return value == media_id
    if isinstance(value, dict):
        return any(_names(v, media_id) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_names(v, media_id) for v in value)
    return False


def _media_id(media_id: str) -> str:
    try:
        return str(uuid.UUID(str(media_id)))
    except ValueError:
        raise MediaError("bad_id", messages.MEDIA_BAD_ID) from None


def _verified_hash(data: bytes, declared: str, max_bytes: int) -> str:
    if not data:
        raise MediaError("empty", messages.MEDIA_EMPTY)
    if len(data) > max_bytes:
        raise MediaError("too_large", messages.MEDIA_TOO_LARGE)
    sha256 = hashlib.sha256(data).hexdigest()
    if (declared or "").strip().lower() != sha256:
        raise MediaError("hash_mismatch", messages.MEDIA_HASH_MISMATCH)
    return sha256


def _verified_type(data: bytes, content_type: str | None, allowed: Iterable[str]) -> str:
    kind = sniff(data)
    if kind is None or kind not in set(allowed):
        raise MediaError("unsupported_type", messages.MEDIA_UNSUPPORTED)
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared and declared != kind:
        raise MediaError("type_mismatch", messages.MEDIA_TYPE_MISMATCH)
    return kind


def _stored(session: Session, media_id: str) -> dict[str, Any] | None:
    row = session.execute(select(Media.__table__).where(Media.__table__.c.id == media_id)).mappings().first()
    return dict(row) if row else None


def _duplicate(session: Session, stored: dict[str, Any], sha256: str, store: MediaStores, data: bytes) -> str:
    if stored["sha256"] != sha256:
        raise MediaError("id_taken", messages.MEDIA_ID_TAKEN)
    if not store.exists(session, stored["path"]):  # the row survived lost bytes (restored database): put them back
        path = store.put(session, stored["id"], sha256, stored["content_type"], data)
        session.execute(update(Media.__table__).where(Media.__table__.c.id == stored["id"]).values(path=path))
        session.commit()
    return "duplicate"

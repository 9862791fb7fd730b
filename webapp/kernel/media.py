"""Where uploads are kept (PATROLBOOK_MEDIA_STORE: `local`, the folder PATROLBOOK_MEDIA_ROOT, or `database`,
the app's database, so app servers share nothing), and the one way domains store one (sync/blobs.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from flask import current_app

from sync import media
from sync.actor import Actor
from sync.blobs import MediaStores

from ..extensions import db


def init_app(app) -> None:
    """Refuse at start-up, not at the first photo, a store name that is neither."""
    try:
        app.extensions["media_stores"] = MediaStores(app.config["MEDIA_ROOT"], app.config["MEDIA_STORE"])
    except ValueError as exc:
        raise RuntimeError(f"Refusing to start: {exc}.") from None


def stores() -> MediaStores:
    return current_app.extensions["media_stores"]


def save_upload(actor: Actor, media_id: str, data: bytes, content_type: str | None, sha256: str,
                allowed: Iterable[str] = media.ALLOWED) -> str:
    """sync.media.save_media in the configured store, within MEDIA_MAX_BYTES: "created" or "duplicate";
    raises sync.errors.MediaError (nothing stored); commits."""
    return media.save_media(db.session, actor, media_id, data, content_type, sha256, stores(),
                            max_bytes=current_app.config["MEDIA_MAX_BYTES"], allowed=allowed)


def open_upload(key: str) -> IO[bytes] | None:
    return stores().open(db.session, key)

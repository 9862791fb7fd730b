"""Where the bytes of uploads live: a folder on the app server's disk, or the database.

A stored upload (`Media`) keeps the key its store gave it in `path`. Keys of the database store are
`db:<sha256>`; any other key is a path under the media root. Writes go to the configured store; reads
go to the store the key names, so uploads kept before a switch stay readable (and `flask media
to-database` moves them). The database store keeps one row per distinct content, as ODK Central keeps
its blobs: the same photo under two ids is stored once. Nothing is ever deleted: the product deletes no
upload (a deleted record hides its photo, scopes.may_read_media).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import exists, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import Media, MediaBlob
from .store import utcnow

DB_PREFIX = "db:"
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}


class MediaStore(Protocol):
    def put(self, session: Session, name: str, sha256: str, content_type: str, data: bytes) -> str:
        """Keep `data`; the key to find it again. Database writes join the session's transaction."""

    def open(self, session: Session, key: str) -> IO[bytes] | None:
        """The bytes under `key`, or None when they are missing."""

    def exists(self, session: Session, key: str) -> bool: ...


class LocalFolderStore:
    """Files under `root`: `<id[:2]>/<id>-<sha[:16]>.<ext>`, as they always were."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def put(self, session: Session, name: str, sha256: str, content_type: str, data: bytes) -> str:
        key = f"{name[:2]}/{name}-{sha256[:16]}.{EXTENSIONS[content_type]}"
        _write_atomically(self.root / key, data)
        return key

    def open(self, session: Session, key: str) -> IO[bytes] | None:
        try:
            return (self.root / key).open("rb")
        except FileNotFoundError:
            return None

    def exists(self, session: Session, key: str) -> bool:
        return (self.root / key).is_file()


class DatabaseBlobStore:
    """Rows of `media_blobs` (bytea on PostgreSQL, BLOB on SQLite), keyed by the content's SHA-256. A read
    takes the whole value at once: an upload is at most MEDIA_MAX_BYTES (8 MB)."""

    def put(self, session: Session, name: str, sha256: str, content_type: str, data: bytes) -> str:
        key = DB_PREFIX + sha256
        if not self.exists(session, key):  # a known photo is not shipped to the database again
            row = {"sha256": sha256, "content_type": content_type, "size": len(data), "data": data,
                   "created_at": utcnow()}
            # Two uploads of the same bytes at once: the second waits for the first and adds nothing.
            session.execute(_insert_or_ignore(session).values(row))
        return key

    def open(self, session: Session, key: str) -> IO[bytes] | None:
        data = session.scalar(select(MediaBlob.data).where(MediaBlob.sha256 == _sha_of(key)))
        return None if data is None else io.BytesIO(data)

    def exists(self, session: Session, key: str) -> bool:
        return bool(session.scalar(select(exists().where(MediaBlob.sha256 == _sha_of(key)))))


class MediaStores:
    """The configured store for new uploads, and the store each key names for reads."""

    def __init__(self, root: str | os.PathLike, kind: str = "local"):
        if kind not in ("local", "database"):
            raise ValueError(f"PATROLBOOK_MEDIA_STORE must be 'local' or 'database', not {kind!r}")
        self.local, self.database = LocalFolderStore(root), DatabaseBlobStore()
        self.kind = kind
        self.writer: MediaStore = self.database if kind == "database" else self.local

    def put(self, session: Session, name: str, sha256: str, content_type: str, data: bytes) -> str:
        return self.writer.put(session, name, sha256, content_type, data)

    def holder(self, key: str) -> MediaStore:
        return self.database if key.startswith(DB_PREFIX) else self.local

    def open(self, session: Session, key: str) -> IO[bytes] | None:
        return self.holder(key).open(session, key)

    def exists(self, session: Session, key: str) -> bool:
        return self.holder(key).exists(session, key)


def move_to_database(session: Session, stores: MediaStores) -> dict[str, list[str]]:
    """Copy every upload still in the folder into the database and point its row there, one commit per
    upload (a run cut short loses nothing; run again, it takes up where it stopped). The files stay:
    remove the folder once every app server reads from the database. → ids "moved", "missing" (no
    file), "damaged" (the file's bytes are not the ones uploaded)."""
    outcome: dict[str, list[str]] = {"moved": [], "missing": [], "damaged": []}
    rows = session.execute(select(Media.id, Media.path, Media.sha256, Media.content_type)
                           .where(Media.path.not_like(DB_PREFIX + "%")).order_by(Media.id)).all()
    for row in rows:
        found = stores.local.open(session, row.path)
        if found is None:
            outcome["missing"].append(row.id)
            continue
        with found:
            data = found.read()
        if hashlib.sha256(data).hexdigest() != row.sha256:
            outcome["damaged"].append(row.id)
            continue
        key = stores.database.put(session, row.id, row.sha256, row.content_type, data)
        session.execute(update(Media).where(Media.id == row.id).values(path=key))
        session.commit()
        outcome["moved"].append(row.id)
    return outcome


def _sha_of(key: str) -> str:
    return key.removeprefix(DB_PREFIX)


def _insert_or_ignore(session: Session):
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(MediaBlob).on_conflict_do_nothing(index_elements=["sha256"])
    if dialect == "sqlite":
        return sqlite.insert(MediaBlob).on_conflict_do_nothing(index_elements=["sha256"])
    return insert(MediaBlob)


def _write_atomically(target: Path, data: bytes) -> None:
    """Temp file in the same directory, fsync, rename: a reader sees the whole file or none."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

"""The engine's own tables (DESIGN.md, "The sync protocol"): devices, the mutation log that makes
push idempotent, the server-wide change sequence that pull reads, conflicts, and media.

No foreign keys to the web app's tables: sync/ does not know them. User ids are plain integers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .store import Base, new_uuid, utcnow

UUID_LEN = 36
DEVICE_ID_LEN = 64
ENTITY_LEN = 64
SCOPE_LEN = 64

# BIGINT on PostgreSQL; on SQLite only INTEGER PRIMARY KEY is the auto-numbered rowid.
SeqType = BigInteger().with_variant(Integer(), "sqlite")


class Device(Base):
    __tablename__ = "sync_devices"

    id: Mapped[str] = mapped_column(String(DEVICE_ID_LEN), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    # server time − device time, from the last push that let us measure it.
    last_clock_skew_seconds: Mapped[int | None] = mapped_column(Integer)


class AppliedMutation(Base):
    """One row per mutation the server has answered: a replay of the same mutation_id answers
    `result` again and changes nothing (exactly once). A refusal (rejected, forbidden) stores no
    record, only this row and the `fingerprint` of what was refused: the same content again gets
    the same answer; a corrected resend under the same id is judged afresh (PROTOCOL.md)."""

    __tablename__ = "sync_applied_mutations"

    mutation_id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(DEVICE_ID_LEN), index=True)
    user_id: Mapped[int] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(String(ENTITY_LEN))
    record_id: Mapped[str] = mapped_column(String(UUID_LEN))
    op: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    fingerprint: Mapped[str | None] = mapped_column(String(64))  # refusals only: sha256 of the content
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class Change(Base):
    """The server-wide monotonic change sequence. Pull pages through it by `seq` within the reader's
    scopes; a record that moves scope gets a row in the old scope too, so its readers drop it."""

    __tablename__ = "sync_changes"
    __table_args__ = (
        Index("ix_sync_changes_scope_seq", "scope", "seq"),
        Index("ix_sync_changes_entity_record_id_version", "entity", "record_id", "version"),
        # AUTOINCREMENT: a seq is never reused on SQLite, even if the newest rows were removed.
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(ENTITY_LEN))
    record_id: Mapped[str] = mapped_column(String(UUID_LEN))
    version: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(8))
    scope: Mapped[str] = mapped_column(String(SCOPE_LEN))
    changed_fields: Mapped[list[str]] = mapped_column(JSON)
    device_id: Mapped[str] = mapped_column(String(DEVICE_ID_LEN))
    user_id: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Conflict(Base):
    """A device's change the server did not apply, kept whole until someone resolves it
    (CouchDB's rule: a conflict never loses a revision)."""

    __tablename__ = "sync_conflicts"
    __table_args__ = (Index("ix_sync_conflicts_scope_status", "scope", "status"),)

    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    entity: Mapped[str] = mapped_column(String(ENTITY_LEN))
    record_id: Mapped[str] = mapped_column(String(UUID_LEN), index=True)
    op: Mapped[str] = mapped_column(String(8))
    mutation_id: Mapped[str] = mapped_column(String(UUID_LEN), index=True)
    user_id: Mapped[int] = mapped_column(Integer)
    device_id: Mapped[str] = mapped_column(String(DEVICE_ID_LEN))
    base_version: Mapped[int | None] = mapped_column(Integer)
    server_version: Mapped[int | None] = mapped_column(Integer)
    device_fields: Mapped[dict[str, Any]] = mapped_column(JSON)  # as the device sent them
    server_fields: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # snapshot when it arrived
    fields_in_conflict: Mapped[list[str]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(String(SCOPE_LEN))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | resolved
    resolution: Mapped[str | None] = mapped_column(String(16))  # device | server | edit
    resolved_fields: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    resolved_by: Mapped[int | None] = mapped_column(Integer)
    resolved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Media(Base):
    """A photo, signature or paper. `path` is where its bytes are (sync/blobs.py): a file under the media
    root (relative path), or `db:<sha256>`, a row of MediaBlob."""

    __tablename__ = "sync_media"

    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[int] = mapped_column(Integer, index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the photo was taken, as the phone wrote it into the file's EXIF block (sync/exif.py).
    captured_at: Mapped[datetime | None]


class MediaBlob(Base):
    """The bytes of uploads kept in the database (PATROLBOOK_MEDIA_STORE=database), one row per distinct
    content: the same photo under two ids is stored once. Exists on every dialect; used where configured."""

    __tablename__ = "media_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

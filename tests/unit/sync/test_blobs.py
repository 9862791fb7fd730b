"""The media stores (sync/blobs.py): the folder keeps today's files, the database keeps each content once
and serves it from any app server; reads follow the key, so a switch of store loses nothing; the move
into the database is idempotent. On SQLite, and on PostgreSQL when DATABASE_URL names it."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from sqlalchemy import delete, func, select

from sync.blobs import DatabaseBlobStore, LocalFolderStore, MediaStores, move_to_database
from sync.errors import MediaError
from sync.media import save_media
from sync.models import Media, MediaBlob
from tests.unit.sync.synckit import make_actor

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(store, session, key: str) -> bytes | None:
    found = store.open(session, key)
    if found is None:
        return None
    with found:
        return found.read()


def upload(session, stores: MediaStores, data: bytes = JPEG, media_id: str | None = None) -> str:
    media_id = media_id or str(uuid.uuid4())
    save_media(session, make_actor(), media_id, data, None, sha(data), stores)
    return media_id


def test_the_folder_keeps_the_files_where_they_always_were(session, tmp_path):
    store, media_id = LocalFolderStore(tmp_path), str(uuid.uuid4())
    key = store.put(session, media_id, sha(PNG), "image/png", PNG)
    assert key == f"{media_id[:2]}/{media_id}-{sha(PNG)[:16]}.png"
    assert (tmp_path / key).read_bytes() == PNG
    assert store.exists(session, key) and read(store, session, key) == PNG
    assert not store.exists(session, "ab/missing.png") and store.open(session, "ab/missing.png") is None


def test_the_database_keeps_each_content_once(session):
    store = DatabaseBlobStore()
    first = store.put(session, str(uuid.uuid4()), sha(JPEG), "image/jpeg", JPEG)
    again = store.put(session, str(uuid.uuid4()), sha(JPEG), "image/jpeg", JPEG)
    other = store.put(session, str(uuid.uuid4()), sha(PNG), "image/png", PNG)
    session.commit()
    assert first == again == f"db:{sha(JPEG)}" and other == f"db:{sha(PNG)}"
    assert session.scalar(select(func.count()).select_from(MediaBlob)) == 2
    assert read(store, session, first) == JPEG and read(store, session, other) == PNG
    assert not store.exists(session, f"db:{sha(b'nothing')}") and store.open(session, f"db:{sha(b'x')}") is None


def test_an_upload_goes_to_the_configured_store_and_its_row_names_it(session, tmp_path):
    stores = MediaStores(tmp_path, "database")
    media_id = upload(session, stores)
    row = session.get(Media, media_id)
    assert row.path == f"db:{sha(JPEG)}" and row.sha256 == sha(JPEG) and row.content_type == "image/jpeg"
    assert read(stores, session, row.path) == JPEG
    assert list(tmp_path.iterdir()) == []  # nothing on this server's disk


def test_uploads_kept_before_a_switch_stay_readable(session, tmp_path):
    old = upload(session, MediaStores(tmp_path, "local"))
    stores = MediaStores(tmp_path, "database")
    new = upload(session, stores, PNG)
    assert read(stores, session, session.get(Media, old).path) == JPEG
    assert read(stores, session, session.get(Media, new).path) == PNG


def test_a_retry_is_a_duplicate_and_puts_back_lost_bytes(session, tmp_path):
    stores = MediaStores(tmp_path, "database")
    media_id = upload(session, stores)
    session.execute(delete(MediaBlob))  # a restore that lost the blobs
    session.commit()
    assert save_media(session, make_actor(), media_id, JPEG, None, sha(JPEG), stores) == "duplicate"
    assert read(stores, session, session.get(Media, media_id).path) == JPEG
    with pytest.raises(MediaError):  # other bytes under the same id
        save_media(session, make_actor(), media_id, PNG, None, sha(PNG), stores)


def test_a_lost_file_comes_back_into_the_store_now_configured(session, tmp_path):
    media_id = upload(session, MediaStores(tmp_path, "local"))
    (tmp_path / session.get(Media, media_id).path).unlink()
    stores = MediaStores(tmp_path, "database")
    assert save_media(session, make_actor(), media_id, JPEG, None, sha(JPEG), stores) == "duplicate"
    session.expire_all()
    assert session.get(Media, media_id).path == f"db:{sha(JPEG)}"


def test_the_move_into_the_database_is_idempotent_and_reports_what_it_cannot_move(session, tmp_path):
    local = MediaStores(tmp_path, "local")
    moved = [upload(session, local), upload(session, local, PNG), upload(session, local)]  # two of one content
    missing, damaged = upload(session, local, JPEG + b"1"), upload(session, local, JPEG + b"2")
    (tmp_path / session.get(Media, missing).path).unlink()
    (tmp_path / session.get(Media, damaged).path).write_bytes(b"\xff\xd8\xff broken")
    stores = MediaStores(tmp_path, "database")
    first = move_to_database(session, stores)
    assert sorted(first["moved"]) == sorted(moved) and first["missing"] == [missing] and first["damaged"] == [damaged]
    assert session.scalar(select(func.count()).select_from(MediaBlob)) == 2
    for media_id, data in zip(moved, (JPEG, PNG, JPEG), strict=True):
        row = session.get(Media, media_id)
        assert row.path.startswith("db:") and read(stores, session, row.path) == data
    again = move_to_database(session, stores)
    assert again == {"moved": [], "missing": [missing], "damaged": [damaged]}


def test_only_the_two_stores_exist(tmp_path):
    with pytest.raises(ValueError, match="'local' or 'database'"):
        MediaStores(tmp_path, "s3")

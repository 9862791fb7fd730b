"""Who may read a photo (webapp/kernel/scopes.py): its uploader; whoever may read a live record that shows it
(an officer: their own areas; the desk roles: their estates); an admin, everything. 403 otherwise —
sharing an estate is not enough, and an upload no record shows is its uploader's alone.
The access matrix by role, teams included, is tests/web/sync/test_scopes.py.
Every test runs with the folder store and with the database store (PATROLBOOK_MEDIA_STORE)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sync.blobs import MediaStores
from tests.web.sync.test_api import JPEG, area_id, note_mutation, put_media


@pytest.fixture(autouse=True, params=["local", "database"])
def store(request, app, monkeypatch) -> str:
    monkeypatch.setitem(app.extensions, "media_stores", MediaStores(app.config["MEDIA_ROOT"], request.param))
    return request.param


def upload(api, client, who: str, data: bytes = JPEG) -> str:
    api.login(who)
    media_id, response = put_media(client, api.token, data)
    assert response.status_code == 201
    return media_id


def attach(app, api, who: str, area: str, media_id: str) -> dict:
    api.login(who)
    m = note_mutation(area_id(app, area), "有照片的随手记", photo_ids=[media_id])
    assert api.statuses(m) == ["applied"]
    return m


def reads(api, client, who: str, media_id: str) -> int:
    api.login(who)
    response = client.get(f"/sync/media/{media_id}")
    response.close()
    return response.status_code


@pytest.mark.parametrize("who,status", [("officer", 200), ("officer2", 403), ("supervisor", 200),
                                        ("manager", 200), ("admin", 200)])
def test_a_photo_of_an_east_note(app, api, client, who, status):
    media_id = upload(api, client, "officer")
    attach(app, api, "officer", "东区", media_id)
    assert reads(api, client, who, media_id) == status


def test_an_unattached_upload_is_only_its_uploaders(app, api, client):
    media_id = upload(api, client, "officer")
    assert reads(api, client, "officer2", media_id) == 403
    assert reads(api, client, "supervisor", media_id) == 403  # no record shows it yet
    assert reads(api, client, "officer", media_id) == 200
    assert reads(api, client, "admin", media_id) == 200


def test_a_photo_shown_by_a_record_the_reader_sees_opens_for_them(app, api, client):
    media_id = upload(api, client, "officer2")
    assert reads(api, client, "supervisor", media_id) == 403
    attach(app, api, "officer2", "南区", media_id)  # lina's own note in 南区 shows it
    assert reads(api, client, "supervisor", media_id) == 200
    assert reads(api, client, "officer", media_id) == 403  # 东区's officer does not see 南区


def test_a_deleted_record_no_longer_shows_its_photo(app, api, client):
    media_id = upload(api, client, "officer2")
    note = attach(app, api, "officer2", "南区", media_id)
    assert reads(api, client, "supervisor", media_id) == 200
    delete = note_mutation(area_id(app, "南区"), None, "delete", note["record_id"], 1)
    delete["fields"] = {}
    api.login("officer2")
    assert api.statuses(delete) == ["applied"]
    assert reads(api, client, "supervisor", media_id) == 403
    assert reads(api, client, "officer2", media_id) == 200  # still the uploader's


def test_unknown_media_is_a_404_and_needs_a_session(api, client):
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/sync/media/{missing}").status_code == 401
    assert reads(api, client, "officer", missing) == 404


def files_under(root: str) -> set[Path]:
    return {p for p in Path(root).rglob("*") if p.is_file()}


def test_a_photo_reads_back_whole_with_its_hash_as_etag_and_a_403_shows_nothing(app, api, client, store):
    photo = JPEG[:-2] + bytes(range(256)) * 64 + b"\xff\xd9"  # 16 KB
    before = files_under(app.config["MEDIA_ROOT"])
    media_id = upload(api, client, "officer", photo)
    attach(app, api, "officer", "东区", media_id)
    assert (files_under(app.config["MEDIA_ROOT"]) == before) == (store == "database")
    api.login("supervisor")
    etag = f'"{hashlib.sha256(photo).hexdigest()}"'
    with client.get(f"/sync/media/{media_id}") as response:
        assert response.status_code == 200 and response.data == photo and response.mimetype == "image/jpeg"
        assert response.headers["ETag"] == etag
        assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    with client.get(f"/sync/media/{media_id}", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304
    api.login("officer2")
    with client.get(f"/sync/media/{media_id}") as refused:
        assert refused.status_code == 403 and photo[-300:] not in refused.data and "ETag" not in refused.headers
        assert hashlib.sha256(photo).hexdigest() not in refused.get_data(as_text=True)

def test_the_time_a_photo_was_taken_is_kept_and_shown_under_it(app, api, client):
    """The phone writes the capture time into the shrunk photo's EXIF block (static/js/photo-input.js):
    the server keeps it with the photo and the record's page shows it, in the estate's time."""
    from datetime import UTC, datetime

    from sync.models import Media
    from tests.unit.sync.test_exif import exif_jpeg
    from webapp.extensions import db

    api.login("officer")
    media_id, response = put_media(client, api.token, exif_jpeg("2026:12:06 08:30:05", "+08:00"))
    assert response.status_code == 201
    note = attach(app, api, "officer", "东区", media_id)
    with app.app_context():
        assert db.session.get(Media, media_id).captured_at == datetime(2026, 12, 6, 0, 30, 5, tzinfo=UTC)
    page = client.get(f"/notes/{note['record_id']}").get_data(as_text=True)
    assert "12-06 08:30" in page and "data-captured-at" in page

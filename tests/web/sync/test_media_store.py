"""The media store setting (webapp/kernel/media.py) and `flask media to-database` (webapp/cli.py): photos
kept in the folder move into the database, once, and read back through the same URL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sync.blobs import MediaStores
from sync.models import Media
from tests.web.sync.test_api import JPEG, area_id, note_mutation, put_media
from webapp import create_app
from webapp.extensions import db


def test_a_store_that_is_neither_refuses_to_start(tmp_path):
    with pytest.raises(RuntimeError, match="PATROLBOOK_MEDIA_STORE must be 'local' or 'database', not 's3'"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "MEDIA_STORE": "s3",
                    "MEDIA_ROOT": str(tmp_path)})


def test_moving_into_the_database_keeps_every_photo_readable_and_runs_again_harmlessly(app, api, client, runner,
                                                                                         monkeypatch):
    api.login("officer")
    media_id, response = put_media(client, api.token, JPEG)
    assert response.status_code == 201
    assert api.statuses(note_mutation(area_id(app, "东区"), "有照片", photo_ids=[media_id])) == ["applied"]

    first = runner.invoke(args=["media", "to-database"])
    assert first.exit_code == 0 and "moved 3, missing 0, damaged 0" in first.output  # with the demo's two photos
    with app.app_context():
        assert db.session.scalar(select(Media.path).where(Media.id == media_id)).startswith("db:")
        db.session.remove()
    again = runner.invoke(args=["media", "to-database"])
    assert again.exit_code == 0 and "moved 0, missing 0, damaged 0" in again.output

    monkeypatch.setitem(app.extensions, "media_stores", MediaStores(app.config["MEDIA_ROOT"] + "-elsewhere",
                                                                    "database"))
    api.login("supervisor")  # another app server: no folder of its own, the same database
    with client.get(f"/sync/media/{media_id}") as read:
        assert read.status_code == 200 and read.data == JPEG

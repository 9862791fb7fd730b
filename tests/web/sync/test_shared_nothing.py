"""App servers that share nothing but the database (PATROLBOOK_MEDIA_STORE=database; README "Deploying for a
large group"): two real app processes (gunicorn) on one PostgreSQL, each with a media folder of its own. A
photo uploaded through one reads back through the other, to those who may see it only; a login made on one
server works on the other (signed-cookie sessions and CSRF tokens, one SECRET_KEY: no sticky sessions).
Skipped unless DATABASE_URL names PostgreSQL."""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.live_server import REPO, Phone, Server, seeded_database
from tests.web.sync.test_api import JPEG, area_id, note_mutation

pytestmark = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                reason="needs DATABASE_URL=postgresql://…: two app servers share one PostgreSQL")

PHOTO = JPEG[:-2] + os.urandom(64 * 1024) + b"\xff\xd9"


@pytest.fixture
def two_servers(tmp_path):
    with seeded_database(tmp_path, prefix="pbshare") as (app, env):
        servers = [Server({**env, "PATROLBOOK_MEDIA_STORE": "database",
                           "PATROLBOOK_MEDIA_ROOT": str(tmp_path / f"media-{name}")}, REPO, gunicorn=True)
                   for name in "ab"]
        for server in servers:
            server.launch()
        try:
            for server in servers:
                server.wait()
            yield app, servers, [tmp_path / "media-a", tmp_path / "media-b"]
        finally:
            for server in servers:
                server.kill()


def put_photo(phone: Phone, data: bytes) -> tuple[str, int]:
    media_id = str(uuid.uuid4())
    request = urllib.request.Request(phone.url(f"/sync/media/{media_id}"), data=data, method="PUT", headers={
        "Content-Type": "image/jpeg", "X-Content-SHA256": hashlib.sha256(data).hexdigest(), "X-CSRFToken": phone.token})
    with phone.opener.open(request, timeout=10) as response:
        return media_id, response.status


def get_photo(phone: Phone, media_id: str) -> tuple[int, bytes, dict]:
    try:
        with phone.opener.open(phone.url(f"/sync/media/{media_id}"), timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, refused.read(), dict(refused.headers)


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_photo_uploaded_through_one_server_reads_back_through_the_other(two_servers):
    app, (a, b), folders = two_servers
    officer = Phone(a)
    officer.login("wangxm")
    media_id, status = put_photo(officer, PHOTO)
    assert status == 201

    officer.server = b  # the load balancer sends the next request elsewhere: same cookies, same CSRF token
    assert officer.push([note_mutation(area_id(app, "东区"), "大堂照片", photo_ids=[media_id])]) == ["applied"]

    supervisor = Phone(b)
    supervisor.login("chenjing")
    status, body, headers = get_photo(supervisor, media_id)
    assert status == 200 and body == PHOTO and headers["Content-Type"] == "image/jpeg"
    assert headers["ETag"] == f'"{hashlib.sha256(PHOTO).hexdigest()}"'

    stranger = Phone(b)
    stranger.login("lina")  # 南区's officer
    status, body, _ = get_photo(stranger, media_id)
    assert status == 403 and PHOTO[-64:] not in body
    assert files_in(folders[0]) == files_in(folders[1]) == []

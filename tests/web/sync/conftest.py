"""Fixtures for the HTTP shell of the sync engine and the seam (webapp/syncapi.py)."""

from __future__ import annotations

import json
import uuid

import pytest


@pytest.fixture
def api(client, login_as):
    """A logged-in JSON client: api.login(who), api.push(*mutations), api.pull(cursor)."""

    class Api:
        token = None
        device = "dev-" + uuid.uuid4().hex[:8]

        def login(self, who):
            user = login_as(who)
            self.token = client.get("/sync/whoami").get_json()["csrf_token"]
            return user

        def push(self, *mutations, device=None, raw=None, headers=None):
            body = raw if raw is not None else json.dumps({"device_id": device or self.device, "mutations": list(mutations)})
            return client.post("/sync/push", data=body, content_type="application/json",
                               headers={"X-CSRFToken": self.token or "", **(headers or {})})

        def statuses(self, *mutations, device=None):
            response = self.push(*mutations, device=device)
            assert response.status_code == 200, response.get_data(as_text=True)
            return [r["status"] for r in response.get_json()["results"]]

        def pull(self, cursor=0, limit=500):
            return client.get(f"/sync/pull?cursor={cursor}&limit={limit}").get_json()

    return Api()

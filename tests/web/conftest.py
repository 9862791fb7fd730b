"""Fixtures for the web tests of more than one domain: a phone that pushes."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def phone(client, login_as):
    """A phone that pushes: phone.login(who), phone.push(*mutations) → the results (the push must answer 200)."""

    class Phone:
        token = None

        def login(self, who):
            user = login_as(who)
            self.token = client.get("/sync/whoami").get_json()["csrf_token"]
            return user

        client = None

        def push(self, *mutations):
            response = client.post("/sync/push", data=json.dumps({"device_id": "phone-1", "mutations": list(mutations)}),
                                   content_type="application/json", headers={"X-CSRFToken": self.token})
            assert response.status_code == 200, response.get_data(as_text=True)
            return response.get_json()["results"]

    found = Phone()
    found.client = client
    return found

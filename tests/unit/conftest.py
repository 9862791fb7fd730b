"""Fixtures for the unit tests that need the app: rq, a request context (messages are translated in one)."""

from __future__ import annotations

import pytest

from webapp.extensions import db


@pytest.fixture
def rq(app):
    """A request context: messages in the default language (zh-CN), as on a page; the database at hand."""
    with app.test_request_context():
        yield
        db.session.remove()

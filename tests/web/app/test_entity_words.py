"""Every synced record speaks the user's language on the generic screens (the outbox, the conflicts inbox):
its kind and each field of its schema have a Chinese label (issue 10, 7), so a new domain that forgets one
fails here instead of showing `team` or `patrol_round` to a supervisor."""

from __future__ import annotations

import pytest

from tests.conftest import app_entities
from webapp.kernel.hooks import client_entity_words, entity_words
from webapp.kernel.syncing import entities


@pytest.mark.parametrize("name", [spec.name for spec in app_entities()])
def test_every_entity_and_field_has_a_chinese_label(app, name):
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        spec, words = entities().get(name), entity_words(name)
        assert str(words.label) != name and not str(words.label).isascii(), name
        schema = spec.schema() if isinstance(spec.schema, type) else spec.schema
        unnamed = [f for f in schema.fields if words.field_label(f) == f or words.field_label(f).isascii()]
        assert unnamed == [], f"{name}: fields without a Chinese label"


def test_the_page_script_gets_labels_and_value_labels_but_no_server_only_namers(app):
    with app.test_request_context():
        words = client_entity_words()
    finding = words["patrol_finding"]
    assert finding["label"] == "问题" and finding["fields"]["team"] == "班组"
    assert finding["values"]["team"]["cleaning"] == "清洁外包" and "area_id" not in finding["values"]
    assert "area_id" in finding["named"] and "team" not in finding["named"]
    assert words["quick_note"]["summary"][-1] == "text"

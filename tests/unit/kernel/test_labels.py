"""EntityWords (webapp.kernel.labels): how a synced record's fields and coded values read, for any domain."""

from __future__ import annotations

import enum

import pytest
from flask import Flask
from flask_babel import Babel

from webapp.kernel.labels import EntityWords


class Colour(enum.StrEnum):
    RED = "red"

    @property
    def label(self) -> str:
        return "红"


WORDS = EntityWords("记录", fields={"colour": "颜色", "size": "大小"},
                    values={"colour": Colour, "size": {"s": "小"}, "owner": lambda v: f"人{v}"},
                    summary=("colour", "owner", "text"))


@pytest.fixture(autouse=True)
def _request():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield


@pytest.mark.parametrize(("name", "value", "shown"), [
    ("colour", "red", "红"), ("colour", "blue", "blue"), ("colour", 3, 3),  # an unknown code stays as it came
    ("size", "s", "小"), ("size", ["s"], ["s"]), ("owner", 7, "人7"), ("other", "x", "x"), ("colour", None, None),
])
def test_value_labels(name, value, shown):
    assert WORDS.value_label(name, value) == shown


def test_field_labels_fall_back_to_the_name():
    assert (WORDS.field_label("colour"), WORDS.field_label("weight")) == ("颜色", "weight")


def test_which_joins_the_summary_in_words_and_cuts_long_text():
    assert WORDS.which({"colour": "red", "owner": 2, "text": "  楼道  灯不亮 "}) == "红 · 人2 · 楼道 灯不亮"
    assert WORDS.which({"text": "长" * 50}) == "长" * 40 + "…"
    assert WORDS.which({}) == ""


def test_choices_and_what_the_page_script_gets():
    assert WORDS.choices("colour") == [("red", "红")] and WORDS.choices("owner") is None
    client = WORDS.for_client()
    assert client["values"] == {"colour": {"red": "红"}, "size": {"s": "小"}} and client["named"] == ["owner"]

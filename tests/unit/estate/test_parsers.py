"""The estate's field parsers (webapp/estate/parsers.py), shared by the household form and the importer."""

from __future__ import annotations

import pytest

from webapp.estate import parsers


@pytest.mark.parametrize("raw,clean", [("3", ("3", "3栋")), ("3栋", ("3", "3栋")), ("a座", ("A", "a座")), ("１２幢", ("12", "12幢"))])
def test_building_forms(rq, raw, clean):
    assert parsers.parse_building(raw) == clean

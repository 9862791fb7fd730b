"""Fees fixtures: households of the demo estate to put on finance's lists, and importing a list."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from webapp.estate.models import Building, Household, Unit
from webapp.extensions import db

HEADER = "楼栋,房号,业户姓名,费用类型,欠费月数,欠费金额,截至日期"


@pytest.fixture
def debtors(app):
    """Two households of building 1 (东区) and a unit of building 3 (南区): (room, name) pairs."""
    with app.app_context():
        rows = db.session.execute(select(Unit.room, Household.name, Building.code).join(Household.unit)
                                  .join(Unit.building).where(Building.code.in_(("1", "3")), Household.relation == "owner")
                                  .order_by(Building.code, Unit.id).limit(400)).all()
        east = [(room, name) for room, name, code in rows if code == "1"]
        south = [(room, name) for room, name, code in rows if code == "3"]
        return east[0], east[1], south[0]


def csv_file(*lines: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO("\r\n".join((HEADER, *lines)).encode("utf-8-sig")), "欠费清单.csv"


def post(client, csrf, month, file):
    """Import a list as whoever the client is logged in as."""
    return client.post("/fees/lists", data={"csrf_token": csrf(), "month": month, "file": file},
                       content_type="multipart/form-data")



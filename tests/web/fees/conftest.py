"""Fees fixtures: households of the demo estate to put on finance's lists, and importing a list."""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.factories import mutation
from webapp.estate.models import Building, Household, Unit
from webapp.extensions import db
from webapp.fees.rules import month_key
from webapp.kernel.dates import local_date

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




@pytest.fixture
def listed(app, client, login_as, csrf, debtors):
    """Finance's list of this month: a long-term household in 东区 (8 months) and a unit in 南区, counted 20 days ago."""
    (r1, n1), _second, (r3, _n3) = debtors
    today = local_date(datetime.now(UTC), ZoneInfo("Asia/Shanghai"))
    as_of = today - timedelta(days=20)  # counted before the month's list came: the weekly phone chase is late
    login_as("finance")
    assert post(client, csrf, month_key(today), csv_file(
        f"1,{r1},{n1},物业服务费,8,3456.50,{as_of}", f"3,{r3},,物业服务费,2,200,{as_of}")).status_code == 302
    with app.app_context():
        unit = db.session.scalar(select(Unit).join(Unit.building).where(Building.code == "1", Unit.room == r1))
        household = next(h for h in unit.households if h.name == n1)
        return {"unit": unit.id, "household": household.id, "area": unit.building.area_id, "phone": household.phone,
                "as_of": as_of, "today": today}


def push(app, who, fields, days_ago=0):
    phone = app.test_client()
    with phone.session_transaction() as session:
        session["_user_id"] = str(who.id)
        session["_fresh"] = True
    token = phone.get("/sync/whoami").get_json()["csrf_token"]
    made = mutation("fee_chase", fields, datetime.now(UTC) - timedelta(days=days_ago))
    response = phone.post("/sync/push", data=json.dumps({"device_id": f"t-{uuid.uuid4()}", "mutations": [made]}),
                          content_type="application/json", headers={"X-CSRFToken": token})
    return response.get_json()["results"][0]


def chase(listed, **fields):
    return {"area_id": listed["area"], "unit_id": listed["unit"], "household_id": listed["household"],
            "method": "phone", "outcome": "not_reached", **fields}

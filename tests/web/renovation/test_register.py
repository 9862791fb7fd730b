"""The renovation register does not grow with the years (R-REN-2): a file closed long ago is listed under
the status "closed" and on its unit, not in the default register."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from webapp.extensions import db
from webapp.renovation.models import Renovation
from webapp.renovation.rules import REGISTER_CLOSED_DAYS


def closed_days_ago(app, ren_id: int, days: int) -> None:
    with app.app_context():
        ren = db.session.get(Renovation, ren_id)
        ren.status, ren.closed_at = "closed", datetime.now(UTC) - timedelta(days=days)
        db.session.commit()
        db.session.remove()


def listed(client, query: str = "") -> str:
    return client.get(f"/renovation/{query}").get_data(as_text=True)


def test_a_file_closed_long_ago_leaves_the_default_register(app, client, login_as, rens):
    login_as("supervisor")
    old, recent = rens[("东区", "in_progress")], rens[("北区", "closed")]
    closed_days_ago(app, old, REGISTER_CLOSED_DAYS + 1)
    closed_days_ago(app, recent, REGISTER_CLOSED_DAYS - 1)
    default, closed = listed(client), listed(client, "?status=closed")
    assert f"/renovation/{old}\"" not in default and f"/renovation/{recent}\"" in default
    assert f"/renovation/{old}\"" in closed and f"/renovation/{recent}\"" in closed
    assert "结案超过90天的档案" in default and "结案超过90天的档案" not in closed
    assert client.get(f"/renovation/{old}").status_code == 200

"""What the assignment table owes, read from the database (R-AREA-3, R-AREA-4): table changes awaiting
re-approval and lobby cards to post."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from webapp.areas import obligations


def test_the_demo_estate_starts_with_nothing_due(rq):
    from webapp.estate.models import Estate
    from webapp.extensions import db

    estate = db.session.scalar(select(Estate))
    assert obligations.table_changes(estate.id) == []
    assert obligations.lobby_cards_due(estate.id) == []


def test_a_policy_change_moves_the_reapproval_deadline(rq, make_estate, make_user, make_area, make_key_location):
    from webapp.extensions import db
    from webapp.policies.rules import change

    estate = make_estate()
    manager = make_user("manager", estates=(estate.code,))
    area = make_area(estate, officer=make_user("officer", estates=(estate.code,)))  # in the approved table
    make_key_location(area, "other", "东门岗亭")  # a change the table does not know yet (R-AREA-3)
    due, changes = obligations.reapproval_deadline(estate.id)
    assert [c.detail for c in changes] == [f"{area.name} · 东门岗亭"]
    change(estate.id, "table_reapproval_days", 7, manager.id)
    db.session.commit()
    assert obligations.reapproval_deadline(estate.id)[0] - due == timedelta(days=4)

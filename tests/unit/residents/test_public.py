"""The day's visits and matters the daily work record reads (R-VIS-5, R-REC-1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from webapp.kernel.demo import ZONE
from webapp.residents.public import day_records


def test_the_days_visits_and_their_matters_of_one_officer(app, users, make_area, make_household, make_visit):
    area = make_area(officer=users["officer"], buildings=1)
    household = make_household(area)
    noon = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai
    made = make_visit(household, [{"type": "inquiry", "text": "停车月卡怎么续"}], at=noon)
    make_visit(household, at=noon - timedelta(days=1))
    late_evening = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)  # 23:30 local: still that day
    evening = make_visit(household, at=late_evening)
    with app.app_context():
        found = day_records(users["officer"].id, noon.astimezone(ZONE).date(), ZONE)
        assert [v.id for v in found["visits"]] == [made.id, evening.id]
        assert [c.id for c in found["cases"]] == made.case_ids
        assert day_records(users["officer2"].id, noon.astimezone(ZONE).date(), ZONE)["visits"] == []

"""Visits read for the quota in the estate's clock (R-VIS-1): a visit late on a month's last evening is that
month's, though it is the next month in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

from webapp.extensions import db
from webapp.kernel.demo import ZONE
from webapp.residents import queries


def test_a_visit_on_the_last_evening_of_a_month_counts_in_that_month(app, users, make_area, make_household,
                                                                     make_visit):
    area = make_area(officer=users["officer"], buildings=1)
    first, second = make_household(area), make_household(area, name="第二户")
    make_visit(first, at=datetime(2026, 3, 31, 15, 30, tzinfo=UTC))  # 23:30 on 31 March in Shanghai
    make_visit(second, at=datetime(2026, 3, 31, 16, 30, tzinfo=UTC))  # 00:30 on 1 April
    make_visit(second, at=datetime(2026, 4, 2, 2, 0, tzinfo=UTC), nobody_home=True)  # nobody home: no visit
    with app.app_context():
        march = queries.area_progress(area.id, area.estate_id, date(2026, 3, 31), ZONE)
        april = queries.area_progress(area.id, area.estate_id, date(2026, 4, 30), ZONE)
        assert (march["month"].done, april["month"].done) == (1, 1)
        assert april["year"].done == 2
        assert sorted(v.on for v in queries.area_visits(area.id, 2026, ZONE)) == [date(2026, 3, 31), date(2026, 4, 1)]
        db.session.remove()


def test_the_new_years_eve_visit_is_last_years(app, users, make_area, make_household, make_visit):
    area = make_area(officer=users["officer"], buildings=1)
    make_visit(make_household(area), at=datetime(2026, 12, 31, 15, 59, tzinfo=UTC))  # 23:59 local
    with app.app_context():
        assert queries.area_progress(area.id, area.estate_id, date(2026, 12, 31), ZONE)["year"].done == 1
        assert queries.area_progress(area.id, area.estate_id, date(2027, 1, 1), ZONE)["year"].done == 0
        db.session.remove()

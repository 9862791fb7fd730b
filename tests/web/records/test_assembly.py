"""An officer's day assembled from what each domain did (R-REC-1): rounds and their findings, renovation
inspections and their violations, visits and their matters, quick notes — each domain's part through the
hook it registered, in the order done, days cut at midnight in the estate's clock (Asia/Shanghai)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import update

from tests import factories
from webapp.extensions import db
from webapp.kernel.demo import ZONE
from webapp.kernel.hooks import DayItem, day_items, hooks_of
from webapp.patrol.models import PatrolRound

DAY = date(2026, 3, 10)
JUST_AFTER_MIDNIGHT = datetime(2026, 3, 9, 16, 5, tzinfo=UTC)  # 00:05 on the 10th in Shanghai, the 9th in UTC
NEAR_MIDNIGHT = datetime(2026, 3, 10, 15, 50, tzinfo=UTC)  # 23:50 on the 10th
NEXT_DAY = datetime(2026, 3, 10, 16, 10, tzinfo=UTC)  # 00:10 on the 11th, still the 10th in UTC


def test_the_day_is_assembled_from_every_domain_in_order_cut_at_local_midnight(app, users, make_area, make_round,
                                                                              make_household, make_visit,
                                                                              make_renovation, ctx):
    officer = users["officer"].id
    area = make_area(officer=users["officer"], buildings=1)
    make_visit(make_household(area, name="叶杰"), [{"type": "repair", "text": "卫生间渗水"}], at=JUST_AFTER_MIDNIGHT)
    walked = make_round(area, {next(iter(_codes(app, area))): "灯不亮"})
    db.session.execute(update(PatrolRound).where(PatrolRound.id == walked.id).values(observed_at=NEAR_MIDNIGHT))
    db.session.commit()
    ren = make_renovation(area, start=date(2026, 3, 1))
    factories.push(app, officer, factories.mutation("renovation_inspection", {
        "estate_id": area.estate_id, "area_id": area.id, "renovation_id": ren.id, "kind": "daily", "failed": []},
        observed_at=datetime(2026, 3, 10, 6, 0, tzinfo=UTC)))
    factories.push(app, officer, factories.mutation("quick_note", {"area_id": area.id, "text": "次日凌晨的记录",
                                                                   "photo_ids": []}, observed_at=NEXT_DAY))
    with app.test_request_context():
        items = day_items(officer, DAY, ZONE)
        kinds = [i.key.split(":")[0] for i in items]
        assert kinds == ["resident_visit", "resident_case", "renovation_inspection", "patrol_round"]
        assert "叶杰" in items[0].text and "卫生间渗水" in items[1].text
        assert "1" in items[3].text and items[3].url.endswith(walked.id)
        assert [i.key.split(":")[0] for i in day_items(officer, date(2026, 3, 11), ZONE)] == ["quick_note"]
        assert day_items(users["officer2"].id, DAY, ZONE) == []


def test_a_domain_added_later_joins_the_record_by_registering_one_function(app, users):
    extra = DayItem("fee_chase:1", "催缴", datetime(2026, 3, 10, 1, tzinfo=UTC), "3栋 502 电话催缴")
    hooks = hooks_of(app)
    hooks.add_day_items(lambda user_id, day, zone: [extra] if day == DAY else [])
    try:
        with app.test_request_context():
            assert extra in day_items(users["officer"].id, DAY, ZONE)
    finally:
        hooks.day_items.pop()


def _codes(app, area):
    from webapp.areas.public import KeyLocation
    from webapp.patrol import queries as patrol_queries

    with app.app_context():
        where = db.session.get(KeyLocation, area.lobby)
        return [i.code for t in patrol_queries.current_templates(where.area.estate_id, patrol_queries.round_kinds(where))
                for i in t.items]

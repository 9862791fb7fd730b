"""Where the daily work record plugs into the app: the blueprint, 工作记录 in the navigation, the officer's
Today card (today's record, replies with a badge), the supervisor's overview opening with the day before's
records, the obligations, the pages the phone keeps offline, the synced entity, the demo and scale history."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, render_template, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from sync.store import utcnow

from ..kernel.dates import local_date, tz
from ..kernel.hooks import hooks_of
from ..kernel.roles import Role
from ..policies.public import policy
from . import demo, entities, queries, rules, scale
from .obligations import missing_record_obligations, unread_record_obligations
from .views import READERS, bp, review_rows


def offline_pages(user) -> list[str]:
    if user.role != Role.OFFICER:
        return []
    today = local_date(utcnow(), tz())
    return [url_for("records.index"), *(url_for("records.day", day=(today - timedelta(days=n)).isoformat())
                                         for n in range(2))]


def today_record(user, estate, now):
    """Today's record to keep, and the replies the officer has not seen yet (R-REC-1, R-REC-3)."""
    if estate is None or user.role != Role.OFFICER:
        return None
    today = local_date(now, tz())
    kept = queries.recent_records(user.id, today - timedelta(days=rules.LOOKBACK_DAYS), today)
    unseen = [(k.record, k.unseen) for _day, k in sorted(kept.items(), reverse=True) if k.unseen]
    return Markup(render_template("records/_today.html", today=today, submitted=today in kept, unseen=unseen))


def overview_records(user, estate, now):
    """The morning review opens the overview: the day before's records, officer by officer (R-REC-3)."""
    if estate is None or user.role not in READERS:
        return None
    day = rules.previous_working_day(local_date(now, tz()), policy(estate.id, "record_working_days"))
    return Markup(render_template("records/_overview.html", day=day, **review_rows(estate, day)))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_nav_item("records.index", _l("Work records"), (Role.OFFICER,), order=15, slot="me")
    hooks.add_nav_item("records.review", _l("Work records"), READERS, order=12)
    hooks.add_today_section(today_record, order=5)
    hooks.add_overview_section(overview_records, order=8)
    hooks.add_obligations(missing_record_obligations)
    hooks.add_obligations(unread_record_obligations)
    hooks.add_offline_pages(offline_pages)
    hooks.add_entity_labels(entities.LABELS)
    entities.register(app)
    hooks.add_demo(demo.extend)
    hooks.add_scale(scale.extend)

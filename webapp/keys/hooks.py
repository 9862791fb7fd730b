"""Where the key cabinet plugs into the app: its pages for the desk, the loan entity, the chase obligations."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..kernel.dates import day_start_utc, local_date, tz
from ..kernel.hooks import Obligation, hooks_of
from ..kernel.roles import Role
from ..policies.public import policy
from . import (
    demo,
    entities,
    queries,
    rules,
    scale,
    views_memo,  # noqa: F401  (its routes join views.bp)
)
from .views import bp


def chase_obligations(user, estate, now) -> list[Obligation]:
    """A key out longer than the policy is the front desk's to chase (R-KEY-3); the leads see it on the register."""
    if estate is None or user.role != Role.FRONTDESK:
        return []
    days, today = policy(estate.id, rules.CHASE_POLICY), local_date(now, tz())
    found = []
    for loan in queries.open_loans(estate.id).values():
        lent_on = local_date(loan.lent_at, tz())
        if rules.overdue(lent_on, False, today, days):
            found.append(Obligation("key_chase", "R-KEY-3", _("Key %(key)s: chase %(who)s (%(phone)s)",
                                    key=loan.key.label, who=loan.borrower, phone=loan.phone),
                                    day_start_utc(lent_on + timedelta(days=days + 1), tz()), url_for("keys.index")))
    return found


def overview_keys(user, estate, now):
    """The front desk's cabinet at a glance: keys out and overdue (R-KEY-3)."""
    if estate is None or user.role != Role.FRONTDESK:
        return None
    days, today = policy(estate.id, rules.CHASE_POLICY), local_date(now, tz())
    loans = list(queries.open_loans(estate.id).values())
    late = [loan for loan in loans if rules.overdue(local_date(loan.lent_at, tz()), False, today, days)]
    return Markup(render_template("keys/_overview.html", loans=loans, late=late))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_nav_item("keys.index", _l("Key cabinet"), entities.KEEPERS, order=36)
    hooks.add_nav_item("keys.memos", _l("Key memos"), entities.KEEPERS, order=37)
    hooks.add_obligations(chase_obligations)
    hooks.add_overview_section(overview_keys, order=6)
    hooks.add_entity_labels(entities.LABELS)
    entities.register(app)
    hooks.add_demo(demo.extend)
    hooks.add_scale(scale.extend)

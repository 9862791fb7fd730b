"""Start pages: the officer's 今日 (Today) and the desk roles' 总览 (Overview)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from sync.store import utcnow

from ..auth.access import areas_visible_to, current_estate
from ..hooks import OVERVIEW_SECTIONS, TODAY_SECTIONS, nav_item, obligations_for, sections
from ..kernel.roles import DESK, Role

bp = Blueprint("home", __name__)
nav_item("home.today", _l("Today"), (Role.OFFICER, Role.TEAM), order=10, slot="bottom")
nav_item("home.overview", _l("Overview"), DESK, order=10)


@bp.get("/")
@login_required
def index():
    if current_user.is_desk:
        return redirect(url_for("home.overview"))
    return redirect(url_for("home.today"))


@bp.get("/today")
@login_required
def today():
    now = utcnow()
    return render_template(
        "home/today.html",
        areas=areas_visible_to(current_user),
        sections=sections(TODAY_SECTIONS, current_user, current_estate(), now),
        obligations=obligations_for(current_user, current_estate(), now),
        now=now,
    )


@bp.get("/overview")
@login_required
def overview():
    if not current_user.is_desk:
        return redirect(url_for("home.today"))
    now = utcnow()
    return render_template(
        "home/overview.html",
        areas=areas_visible_to(current_user),
        sections=sections(OVERVIEW_SECTIONS, current_user, current_estate(), now),
        obligations=obligations_for(current_user, current_estate(), now),
        now=now,
    )

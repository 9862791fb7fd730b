"""Start pages: the officer's 今日 (Today) and the desk roles' 总览 (Overview)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from sync.store import utcnow

from ..areas.public import with_key_locations
from ..auth.public import areas_visible_to, current_estate
from ..kernel.hooks import obligations_for, overview_sections, today_sections
from ..kernel.roles import Role

bp = Blueprint("home", __name__)


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
        areas=with_key_locations(areas_visible_to(current_user)),
        sections=today_sections(current_user, current_estate(), now),
        obligations=obligations_for(current_user, current_estate(), now),
        now=now,
    )


@bp.get("/overview")
@login_required
def overview():
    if not current_user.is_desk:
        return redirect(url_for("home.today"))
    now, estate = utcnow(), current_estate()
    return render_template(
        "home/overview.html",
        estate=estate,
        may_found=current_user.role == Role.ADMIN,
        areas=with_key_locations(areas_visible_to(current_user)),
        sections=overview_sections(current_user, estate, now) if estate else [],
        obligations=obligations_for(current_user, estate, now) if estate else [],
        now=now,
    )

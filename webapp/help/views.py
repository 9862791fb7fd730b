"""规程 The procedures: every rule with its id, in Chinese and English. Desk pages link rule ids here
(`macros/rules.html`); officers see no rule ids (R-…), so the page is the desk's."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..auth.public import roles_required
from ..kernel.roles import DESK
from . import procedures

bp = Blueprint("help", __name__, url_prefix="/help")

READERS = DESK


@bp.get("/rules")
@roles_required(*READERS)
def rules():
    return render_template("help/rules.html", chapters=procedures.chapters())

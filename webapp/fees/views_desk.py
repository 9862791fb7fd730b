"""Finance's and the leads' pages: the month's lists and their import (R-FEE-1)."""

from __future__ import annotations

from flask import render_template

from ..auth.public import current_estate_or_403, roles_required
from ..kernel.roles import FEES_DESK
from . import queries
from .views import bp


@bp.get("/lists")
@roles_required(*FEES_DESK)
def lists():
    estate = current_estate_or_403()
    return render_template("fees/lists.html", lists=queries.lists_of(estate.id))

"""The desk's pages: the register of every matter residents raised, by area, type, status and age,
overdue first (R-REQ-1)."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from ..auth.public import areas_visible_to, roles_required
from ..kernel.forms import int_arg
from ..kernel.htmx import render
from ..kernel.labels import choices
from ..kernel.roles import DESK
from . import queries, rules
from .models import CaseStatus, CaseType
from .views import bp
from .views_field import today

AGES = (0, 3, 7, 30)  # received at least this many days ago


@bp.get("/register")
@roles_required(*DESK)
def register():
    areas = areas_visible_to(current_user)
    area_id = request.args.get("area_id", type=int_arg)
    chosen = [a.id for a in areas if area_id in (None, a.id)]
    case_type = request.args.get("type") if request.args.get("type") in set(CaseType) else None
    status = request.args.get("status", "open")
    status = status if status in {"open", "", *CaseStatus} else "open"
    age = request.args.get("age", 0, type=int_arg)
    age = age if age in AGES else 0
    day = today()
    found = rules.by_urgency(queries.register(chosen, case_type, status, age, day), day)
    return render("residents/register.html", "residents/_register.html", cases=found, areas=areas, area_id=area_id,
                  types=choices(CaseType), statuses=choices(CaseStatus), case_type=case_type, chosen_status=status,
                  ages=AGES, age=age, today=day,
                  late=sum(1 for c in found if rules.overdue(c.status, c.due_on, day)))

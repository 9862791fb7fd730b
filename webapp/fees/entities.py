"""The chase plugs into the sync engine (DESIGN.md: entity registry), filed under its area (`area:<id>`).

- fee_chase: append-only, recorded by the officer (or a lead on a spot-check) on the phone, offline; its
  unit is one of the area's, its household one of the unit's.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from sync.registry import EntitySpec

from ..areas.public import area_name
from ..estate.public import Building, Household, Unit
from ..kernel.labels import EntityWords
from ..kernel.roles import FIELD
from ..kernel.syncing import register_entity
from . import queries
from .models import ChaseAttempt, ChaseMethod, ChaseOutcome
from .schemas import ChaseSchema

CHASE = "fee_chase"
CHASERS = FIELD  # R-FEE-2: the officer chases; the leads may on a spot-check
LABELS = {
    CHASE: EntityWords(
        _l("Arrears chase"),
        fields={"area_id": _l("Area"), "unit_id": _l("Unit"), "household_id": _l("Household"),
                "method": _l("How"), "outcome": _l("Outcome"), "promised_on": _l("Promised to pay by"),
                "promised_yuan": _l("Promised amount (yuan)"), "receipt_no": _l("Receipt no."), "note": _l("Note")},
        values={"area_id": area_name, "unit_id": queries.unit_label, "household_id": queries.household_label,
                "method": ChaseMethod, "outcome": ChaseOutcome},
        summary=("unit_id", "method", "outcome"),
        url=None),
}


def area_scope(values) -> str:
    return f"area:{values['area_id']}"


def can_write_chase(actor, op, old_values, new_values) -> bool:
    return op == "create" and actor.role in {str(r) for r in CHASERS}


def check_chases(session, actor, proposals) -> dict:
    """The unit is in the chase's area and the household lives in the unit."""
    news = [p.new or {} for p in proposals]
    units = {n.get("unit_id") for n in news} - {None}
    areas = dict(session.execute(select(Unit.id, Building.area_id).join(Building, Unit.building_id == Building.id)
                                 .where(Unit.id.in_(units))).all()) if units else {}
    people = {n.get("household_id") for n in news} - {None}
    homes = dict(session.execute(select(Household.id, Household.unit_id).where(Household.id.in_(people))).all()) if people else {}
    found = {}
    for index, new in enumerate(news):
        if new.get("unit_id") not in areas or areas[new["unit_id"]] != new.get("area_id"):
            found[index] = ("rejected", {"unit_id": ["This unit is not in the area."]})
        elif new.get("household_id") is not None and homes.get(new["household_id"]) != new["unit_id"]:
            found[index] = ("rejected", {"household_id": ["This household does not live in the unit."]})
    return found


ENTITIES = (
    EntitySpec(name=CHASE, model=ChaseAttempt, schema=ChaseSchema, scope_of=area_scope, append_only=True,
               can_write=can_write_chase, check=check_chases),
)


def register(app) -> None:
    for spec in ENTITIES:
        register_entity(app, spec)

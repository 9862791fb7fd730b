"""What other domains may use of areas (R-AREA-1…4): the models they read and join on, and the few
questions and changes about areas, key locations and officers they need answered."""

from .edits import add_renovation_floor, record_change
from .models import Area, AreaChangeKind, KeyLocation, KeyLocationKind
from .queries import (
    area_name,
    assigned_areas,
    contacts_of,
    estate_officers,
    holder_history,
    key_location_name,
    renovation_floor,
    with_key_locations,
)
from .rules import officer_area_ids, officer_of_areas, officers_by_area

__all__ = [
    "Area", "AreaChangeKind", "KeyLocation", "KeyLocationKind",
    "add_renovation_floor", "area_name", "assigned_areas", "contacts_of", "estate_officers", "holder_history",
    "key_location_name", "officer_area_ids", "officer_of_areas", "officers_by_area", "record_change",
    "renovation_floor", "with_key_locations",
]

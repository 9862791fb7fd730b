"""What other domains may use of auth: the person logged in (User), and what they may see and open
(the estate they work in, the areas visible to them, the role check every view states)."""

from .access import (
    area_ids_visible_to,
    areas_visible_to,
    current_estate,
    current_estate_or_403,
    require_area,
    require_estate,
    roles_required,
)
from .models import User, user_estates
from .queries import person_name
from .rules import confirm_credentials

__all__ = [
    "User", "confirm_credentials", "person_name", "user_estates",
    "area_ids_visible_to", "areas_visible_to", "current_estate", "current_estate_or_403",
    "require_area", "require_estate", "roles_required",
]

"""The patrol blueprint and who may use its pages (every view states its roles)."""

from flask import Blueprint

from ..auth.models import Role

bp = Blueprint("patrol", __name__, url_prefix="/patrol")

# People who walk the estate and record rounds: officers, and supervisors/managers on spot-checks.
FIELD_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN)
LEADS = (Role.SUPERVISOR, Role.MANAGER, Role.ADMIN)

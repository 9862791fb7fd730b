"""The renovation blueprint and who may use its pages (every view states its roles)."""

from flask import Blueprint

from ..auth.models import Role

bp = Blueprint("renovation", __name__, url_prefix="/renovation")

# Who keeps the register (R-REN-2): the front desk takes applications, the supervisor approves and follows up.
EDITORS = (Role.FRONTDESK, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN)
# Who inspects on the phone (R-REN-1): officers, and leads on site.
INSPECTORS = (Role.OFFICER, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN)
LEADS = (Role.SUPERVISOR, Role.MANAGER, Role.ADMIN)
READERS = (Role.OFFICER, Role.SUPERVISOR, Role.MANAGER, Role.FRONTDESK, Role.ADMIN)

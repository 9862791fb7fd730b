"""The renovation blueprint and who may use its pages. Its routes are grouped by use: views_desk (the
register, the template), views_extra (extra inspectors) and views_field (the file, the inspection form,
the notice); every view states its roles."""

from flask import Blueprint

from ..kernel.roles import CUSTOMER_SERVICE, DESK, FIELD

bp = Blueprint("renovation", __name__, url_prefix="/renovation")

# Who keeps the register (R-REN-2): the front desk takes applications, the supervisor approves and follows up.
EDITORS = DESK
# Who inspects on the phone (R-REN-1): officers, and leads on site.
INSPECTORS = FIELD
READERS = CUSTOMER_SERVICE

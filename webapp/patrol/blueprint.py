"""The patrol blueprint (every view states its roles: webapp.kernel.roles FIELD, LEADS, DESK)."""

from flask import Blueprint

bp = Blueprint("patrol", __name__, url_prefix="/patrol")

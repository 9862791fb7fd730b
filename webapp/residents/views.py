"""The residents blueprint: visits and cases on the phone, the register and the front desk's check."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("residents", __name__, url_prefix="/residents")

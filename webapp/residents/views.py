"""The residents blueprint: visits and cases on the phone (views_field.py), the register and the front
desk's check (views_desk.py); hooks.py imports them."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("residents", __name__, url_prefix="/residents")

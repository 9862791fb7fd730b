"""The fees blueprint: the officer's chase list (views_field.py), finance's import and the long-term table
(views_desk.py); hooks.py imports them."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("fees", __name__, url_prefix="/fees")

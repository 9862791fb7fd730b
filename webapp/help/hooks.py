"""Where the procedures page plugs into the app: its blueprint (desk pages link rule ids to it)."""

from __future__ import annotations

from flask import Flask

from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

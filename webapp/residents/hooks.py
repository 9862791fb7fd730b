"""Where visits and cases plug into the app: the blueprint and the synced entities."""

from __future__ import annotations

from flask import Flask

from ..kernel.hooks import hooks_of
from . import entities
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_entity_labels(entities.LABELS)
    entities.register(app)

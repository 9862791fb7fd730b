"""Where quick notes plug into the app: the blueprint, 随手记 in the navigation, the note form and list
offline, and the quick_note entity of the sync engine."""

from __future__ import annotations

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l

from ..kernel.hooks import hooks_of
from ..kernel.roles import LEADS, Role
from . import day, entities, scale
from .views import bp


def offline_pages(user) -> list[str]:
    if user.role == Role.TEAM:
        return []
    return [url_for("notes.new"), url_for("notes.index")]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks = hooks_of(app)
    hooks.add_nav_item("notes.index", _l("Quick notes"), LEADS, order=60)
    hooks.add_nav_item("notes.index", _l("Quick notes"), (Role.OFFICER,), order=30, slot="me")
    hooks.add_offline_pages(offline_pages)
    hooks.add_entity_labels(entities.LABELS)
    entities.register(app)
    hooks.add_scale(scale.extend)
    hooks.add_day_items(day.day_items)

"""Patrol pages. The blueprint lives in .blueprint; the routes are grouped by who uses them:
field_views (officers on the phone: due list, round forms, findings, emergencies), desk_views
(supervisors and managers: coverage, QR sheets, emergencies inbox) and template_views (checklists)."""

from . import demo, desk_views, entities, field_views, hooks, template_views  # noqa: F401  (register routes, entities, hooks)
from .blueprint import bp

__all__ = ["bp"]

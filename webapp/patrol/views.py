"""Patrol pages. The blueprint lives in .blueprint; the routes are grouped by who uses them:
field_views (officers on the phone: due list, round forms, findings, emergencies), desk_views
(supervisors and managers: coverage, QR sheets, emergencies inbox) and template_views (checklists)."""

from . import desk_views, field_views, template_views  # noqa: F401  (their routes join bp)
from .blueprint import bp

__all__ = ["bp"]

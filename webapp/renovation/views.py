"""Renovation pages. The blueprint lives in .blueprint; routes are grouped by use: desk_views (the
register, the template), extra_views (extra inspectors) and field_views (the file, the inspection form, the notice)."""

from . import demo, desk_views, entities, extra_views, field_views, hooks  # noqa: F401  (register routes, entities, hooks)
from .blueprint import bp

__all__ = ["bp"]

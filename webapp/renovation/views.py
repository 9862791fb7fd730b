"""Renovation pages. The blueprint lives in .blueprint; routes are grouped by use: desk_views (the
register, the template), extra_views (extra inspectors) and field_views (the file, the inspection form, the notice)."""

from . import desk_views, extra_views, field_views  # noqa: F401  (their routes join bp)
from .blueprint import bp

__all__ = ["bp"]

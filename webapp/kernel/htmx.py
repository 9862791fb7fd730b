"""One helper decides page vs fragment (STYLE.md: the htmx page/fragment contract)."""

from __future__ import annotations

from flask import make_response, render_template, request


def wants_fragment() -> bool:
    """An htmx request for a part of a page; boosted navigations and history restores want the page."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render(page: str, fragment: str, status: int = 200, **context):
    """Render the full page, or only its fragment for htmx; never let a cache mix the two up."""
    response = make_response(render_template(fragment if wants_fragment() else page, **context), status)
    response.vary.add("HX-Request")
    return response

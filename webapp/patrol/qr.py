"""Printed QR codes for key locations: server-rendered SVG (segno), no JavaScript library.

The code holds exactly the round form's URL plus '#qr': the fragment is not sent to the server and is
not part of the cache key, so the phone's camera opens the cached form offline, and
static/js/patrol-round.js marks the round as started by QR.
"""

from __future__ import annotations

import segno
from flask import url_for
from markupsafe import Markup

from ..areas.public import KeyLocation


def round_url(location: KeyLocation, external: bool = False) -> str:
    return url_for("patrol.round_form", location_id=location.id, _external=external)


def qr_url(location: KeyLocation) -> str:
    return round_url(location, external=True) + "#qr"


def location_qr(location: KeyLocation) -> dict:
    url = qr_url(location)
    svg = segno.make(url, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")
    return {"location": location, "url": url, "svg": Markup(svg)}

"""The app shell: which static files the service worker precaches, and their version.

The version is a hash of every file under static/ and templates/, computed once per app (per request in debug mode,
so an edited file rolls the caches at once). It names the worker's caches and is written into /sw.js,
so any changed asset makes the browser install a new worker.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, current_app

HTMX = "vendor/htmx-2.0.11.min.js"
IDB = "vendor/idb-8.0.4/umd.js"
# Precached besides every module under js/ (filenames relative to static/).
SHELL = ("css/app.css", HTMX, IDB, "icons/icon-192.png", "icons/icon.svg", "favicon.ico")
# The modules every page loads at once (module-preloaded from the head); the sync client and the
# worker registration follow after the load event; form behaviours only on pages with forms.
EAGER_MODULES = (
    "js/app.js",
    "js/config.js",
    "js/status-line.js",
    "js/overlays.js",
    "js/outbox-store.js",
    "js/db.js",
    IDB,
)


def _static_root(app: Flask) -> Path:
    return Path(app.static_folder or "static")


def compute_version(*roots: Path) -> str:
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _roots(app: Flask) -> tuple[Path, ...]:
    # Templates too: the offline page and the layout the worker precaches are rendered from them.
    return _static_root(app), Path(app.template_folder or "templates")


def asset_version(app: Flask | None = None) -> str:
    app = app or current_app
    if app.debug:
        return compute_version(*_roots(app))
    state = app.extensions.setdefault("pwa", {})
    if "version" not in state:
        state["version"] = compute_version(*_roots(app))
    return state["version"]


def shell_files(app: Flask | None = None) -> list[str]:
    root = _static_root(app or current_app)
    modules = sorted(p.relative_to(root).as_posix() for p in (root / "js").glob("*.js"))
    return [*SHELL, *modules]

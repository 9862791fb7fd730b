"""The PWA shell: /sw.js, the manifest, the offline page, the outbox page, the offline page list."""

from __future__ import annotations

import json
import time

from flask import (
    Blueprint,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from werkzeug.routing import BuildError

from ..kernel.hooks import client_entity_words
from .assets import EAGER_MODULES, asset_version, shell_files
from .offline_pages import offline_urls

bp = Blueprint("pwa", __name__)

THEME = "#0b4f8f"
BACKGROUND = "#f3f5f8"
# The sync API paths are fixed by the protocol (sync/PROTOCOL.md); they live under the app's root.
SYNC_PATHS = {"whoami": "/sync/whoami", "push": "/sync/push", "pull": "/sync/pull", "media": "/sync/media/"}


def url_or(endpoint: str, fallback: str, **values) -> str:
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return request.script_root + fallback


def client_config() -> dict:
    """Everything the page scripts need from the server, rendered into <script id="pb-config">."""
    root = request.script_root
    urls = {name: root + path for name, path in SYNC_PATHS.items()}
    urls.update(
        offlinePages=url_for("pwa.offline_pages"),
        outbox=url_for("pwa.outbox"),
        offline=url_for("pwa.offline"),
        sw=url_for("pwa.service_worker"),
        scope=root + "/",
        login=url_or("auth.login", "/login"),
        today=url_or("home.today", "/today"),
    )
    # The outbox is kept per user id: stable, unlike the login id (User.get_id), which a new password changes.
    user = str(current_user.id) if current_user and current_user.is_authenticated else ""
    # rendered_at: when the server rendered this page (ms). Work synced since then is not in it yet, so the
    # page goes on showing it (static/js/overlays.js); a page rendered after the sync shows it itself.
    return {"version": asset_version(), "user": user, "urls": urls, "rendered_at": int(time.time() * 1000)}


@bp.app_template_filter("json_utf8")
def json_utf8(value) -> Markup:
    """|tojson without \\uXXXX for every Chinese character: half the bytes on every page (page weight)."""
    return Markup(htmlsafe_json_dumps(value, dumps=json.dumps, ensure_ascii=False, sort_keys=True))


@bp.app_context_processor
def pwa_context() -> dict:
    return {"pwa_config": client_config, "pwa_theme": THEME, "pwa_eager_modules": EAGER_MODULES}


@bp.get("/sw.js")
def service_worker():
    module = request.args.get("module") == "1"
    body = render_template(
        "pwa/sw.js",
        version=asset_version(),
        module=module,
        shell=[url_for("static", filename=f) for f in shell_files()] + [url_for("pwa.offline")],
        config=client_config(),
    )
    response = make_response(body)
    response.mimetype = "text/javascript"
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = request.script_root + "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    icon = lambda name, size, purpose="any", kind="image/png": {  # noqa: E731
        "src": url_for("static", filename=f"icons/{name}"),
        "sizes": size,
        "type": kind,
        "purpose": purpose,
    }
    body = {
        "id": request.script_root + "/?app=patrolbook",
        "name": "物业巡查 · Patrolbook",
        "short_name": "物业巡查",
        "description": "物业区域巡查：离线记录巡查、装修检查与随手记，联网后自动同步。",
        "lang": "zh-CN",
        "dir": "ltr",
        "start_url": url_or("home.today", "/today", source="pwa"),
        "scope": request.script_root + "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "categories": ["business", "productivity"],
        "icons": [
            icon("icon-192.png", "192x192"),
            icon("icon-512.png", "512x512"),
            icon("maskable-512.png", "512x512", "maskable"),
            icon("icon.svg", "any", kind="image/svg+xml"),
        ],
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/offline")
def offline():
    return render_template("pwa/offline.html")


@bp.get("/outbox")
@login_required
def outbox():
    return render_template("pwa/outbox.html", entities=client_entity_words())


@bp.get("/pwa/offline-pages")
def offline_pages():
    if not current_user.is_authenticated:
        return jsonify({"error": {"status": 401, "message": str(_l("Please log in again."))}}), 401
    response = jsonify({"urls": offline_urls(current_user._get_current_object())})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/favicon.ico")
def favicon():
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon")

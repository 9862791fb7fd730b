"""Patrolbook web app: create_app() builds it (Flask application factory)."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import orjson
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import cli, dbsetup, i18n, minify, security, syncapi
from . import config as config_module
from .areas import hooks as areas
from .auth import hooks as auth
from .conflicts import hooks as conflicts
from .duty import hooks as duty
from .estate import hooks as estate
from .extensions import csrf, db, login_manager, migrate
from .fees import hooks as fees
from .help import hooks as help_pages
from .home import hooks as home
from .kernel import errors, media, scopes, syncing
from .kernel import hooks as kernel
from .keys import hooks as keys
from .notes import hooks as notes
from .patrol import hooks as patrol
from .people import hooks as people
from .policies import hooks as policies
from .pwa import hooks as pwa
from .records import hooks as records
from .renovation import hooks as renovation
from .residents import hooks as residents

ROOT = Path(__file__).resolve().parent.parent

# Every domain plugs in through its init_app, called in this order (webapp/README.md): navigation items
# of equal order, offline pages and demo history follow it.
DOMAINS = (auth, people, home, estate, areas, policies, pwa, notes, conflicts, patrol, renovation, residents, records, duty, keys,
           fees, help_pages)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
        instance_relative_config=True,
    )
    _configure(app, config or {})
    _harden_routing(app)
    _init_extensions(app)
    media.init_app(app)
    kernel.init_app(app)
    scopes.init_app(app)
    syncing.init_app(app)
    app.register_blueprint(syncapi.bp)
    for domain in DOMAINS:
        domain.init_app(app)
    errors.init_app(app)
    minify.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    cli.init_app(app)
    if not app.testing:
        # What is built by now lives as long as the process: take it out of the collector's full
        # passes, which otherwise walk all of it again and again (measured: 15% of a sync push).
        gc.freeze()
    return app


def json_text(value) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _configure(app: Flask, overrides: dict) -> None:
    app.config.from_object(config_module.Config)
    app.config.from_prefixed_env("PATROLBOOK")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    uri = app.config["SQLALCHEMY_DATABASE_URI"] or f"sqlite:///{Path(app.instance_path) / 'patrolbook.sqlite3'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = config_module.database_url_from_env(uri)
    # JSON columns (the sync log's results, changed fields, photo lists) are written by orjson:
    # several times faster than json.dumps on every pushed mutation.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"json_serializer": json_text, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    if not app.config["MEDIA_ROOT"]:
        app.config["MEDIA_ROOT"] = str(Path(app.instance_path) / "media")
    if app.config["ENV"] == "production":
        if app.config["SECRET_KEY"] == config_module.DEFAULT_SECRET:
            raise RuntimeError("Refusing to start in production with the default SECRET_KEY: set PATROLBOOK_SECRET_KEY.")
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True


class DatabaseInt(IntegerConverter):
    """`<int:id>` within a database integer: a larger number is a 404, not an overflow (a 500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _harden_routing(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseInt
    if hops := int(app.config["PROXY_HOPS"]):
        # Behind an HTTPS proxy: real client addresses (login throttling) and https URLs.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    dbsetup.init_app(app)

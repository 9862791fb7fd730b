"""Per-connection database settings and model registration."""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app: Flask) -> None:
    import_models()
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _sqlite_pragmas):
            event.listen(engine, "connect", _sqlite_pragmas)


def import_models() -> None:
    """Import every model module so the shared metadata knows all tables (migrations, create_all)."""
    import importlib

    for name in MODEL_MODULES:
        importlib.import_module(name)


MODEL_MODULES = (
    "webapp.auth.models",
    "webapp.estate.models",
    "webapp.areas.models",
    "webapp.policies.models",
    "sync.models",
    "webapp.notes.models",
    "webapp.patrol.models",
    "webapp.renovation.models",
    "webapp.fees.models",
    "webapp.residents.models",
    "webapp.records.models",
    "webapp.duty.models",
    "webapp.keys.models",
)

"""The schema comes from migrations: `upgrade` on an empty database gives exactly the models' schema."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from webapp import create_app
from webapp.config import database_url_from_env
from webapp.extensions import db


@pytest.fixture
def empty_database(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}", {}
        return
    url = database_url_from_env(url)
    schema = f"pbmig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield url, {"connect_args": {"options": f"-csearch_path={schema}"}}
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_upgrade_on_an_empty_database_matches_the_models(empty_database, tmp_path):
    url, options = empty_database
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": options})
    app.instance_path = str(tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(revision="base")
        with db.engine.connect() as conn:
            remaining = set(db.inspect(conn).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


def test_renovation_items_are_reworded_as_the_thing_checked_and_keep_their_codes(empty_database, tmp_path):
    """UX.md "ticks mean the same thing": the default list's compliant-state wording becomes the thing
    checked; codes (what inspections store in `failed`) stay; a list a desk user wrote is left alone."""
    import json

    url, options = empty_database
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": options})
    app.instance_path = str(tmp_path)
    old = [{"code": "structure", "label_zh": "承重墙等主体结构未改动", "label_en": "Structure and load-bearing walls untouched"},
           {"code": "hours", "label_zh": "在允许施工时间内", "label_en": "Within permitted working hours"}]
    own = [{"code": "structure", "label_zh": "拆改墙体", "label_en": "Walls altered"}]
    with app.app_context():
        upgrade(revision="7d2e9f4a1b3c")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO estates (id, code, name, kind, created_at, time_zone) "
                              "VALUES (1, 'E', 'E', 'residential', '2026-01-01 00:00:00', 'Asia/Shanghai')"))
            for tid, stored in ((1, old), (2, own)):
                conn.execute(text("INSERT INTO renovation_templates (id, estate_id, version, items, created_at) "
                                  "VALUES (:id, 1, :id, :items, '2026-01-01 00:00:00')"),
                             {"id": tid, "items": json.dumps(stored)})
        upgrade()
        def items(tid):
            stored = db.session.execute(text("SELECT items FROM renovation_templates WHERE id = :id"),
                                        {"id": tid}).scalar_one()
            return json.loads(stored) if isinstance(stored, str) else stored  # PostgreSQL's json comes decoded
        reworded = items(1)
        assert [i["code"] for i in reworded] == ["structure", "hours"]
        assert [i["label_zh"] for i in reworded] == ["承重墙等主体结构", "施工时间（在允许时段内）"]
        assert items(2) == own
        db.session.remove()
        downgrade(revision="7d2e9f4a1b3c")
        assert items(1) == old
        db.session.remove()
        db.engine.dispose()

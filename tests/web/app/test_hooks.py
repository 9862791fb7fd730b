"""What the domains contribute to shared screens lives on the app (webapp.kernel.hooks), filled by
their init_app in create_app: two apps in one process share nothing and register nothing twice."""

from __future__ import annotations

from webapp import DOMAINS, create_app
from webapp.kernel.hooks import hooks_of, nav_for
from webapp.kernel.roles import ALL_ROLES

PARTS = ("nav", "obligations", "today", "overview", "offline_pages", "demo")


def another_app(tmp_path):
    return create_app({"TESTING": True, "SECRET_KEY": "other", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/o.db",
                       "MEDIA_ROOT": str(tmp_path / "media")})


def test_every_domain_fills_its_part_once(app):
    hooks = hooks_of(app)
    for part in PARTS:
        found = getattr(hooks, part)
        assert found and len({repr(entry) for entry in found}) == len(found), part
    assert {"quick_note", "patrol_round", "renovation_inspection"} <= set(hooks.entity_labels)
    assert len(DOMAINS) == len({domain.__name__ for domain in DOMAINS})


def test_two_apps_share_no_registry(app, tmp_path):
    other = another_app(tmp_path)
    mine, theirs = hooks_of(app), hooks_of(other)
    assert mine is not theirs
    for part in (*PARTS, "entity_labels"):
        assert getattr(mine, part) is not getattr(theirs, part)
        assert len(getattr(mine, part)) == len(getattr(theirs, part)), f"{part} doubled by the second app"

    theirs.add_nav_item("pwa.offline", "only in the other app", ALL_ROLES, slot="bottom")
    with app.test_request_context():
        user = type("Someone", (), {"role": "officer"})()
        assert "pwa.offline" not in [item.endpoint for item in nav_for(user, "bottom")]
    with other.test_request_context():
        assert "pwa.offline" in [item.endpoint for item in nav_for(user, "bottom")]

"""Fuzz the seam (issue 9): whatever a phone or a browser posts, the answer is never a 5xx, and a
mutation that is refused stores nothing.

Bounded for the suite (about a hundred examples each, a few seconds); the long run that counts 5xx
instead of stopping at the first is tests/perf/test_fuzz_count.py. The values come from
tests/web/sync/fuzzkit.py: every registered entity's own schema, and the pages' own forms.
"""

from __future__ import annotations

import os
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from sync.models import AppliedMutation
from tests.web.sync.fuzzkit import (
    SURROGATE,
    dumps,
    entities,
    envelope,
    form_post,
    plain_ids,
    post_forms,
    production_stack,
    record_fields,
    registry,
)
from webapp.extensions import db

EXAMPLES = int(os.environ.get("PATROLBOOK_FUZZ_EXAMPLES", "100"))
# The suite replays the same examples every run (CI must not turn red by chance); finding new inputs is
# the job of the on-demand run (tests/perf/test_fuzz_count.py) and of PATROLBOOK_FUZZ_RANDOM=1.
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                derandomize=not os.environ.get("PATROLBOOK_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
REFUSED = {"rejected", "forbidden"}
RECORDS = [str(uuid.UUID(int=n, version=4)) for n in range(1, 4)]  # a few ids that batches share


@pytest.fixture
def officer_push(client, login_as):
    login_as("officer")
    token = client.get("/sync/whoami").get_json()["csrf_token"]

    def push(body: dict):
        with production_stack():
            return client.post("/sync/push", data=dumps(body), content_type="application/json",
                               headers={"X-CSRFToken": token})

    return push


def stored(app, entity: str, record_id: str) -> bool:
    spec = registry.get(entity)
    with app.app_context():
        found = db.session.get(spec.model, record_id) is not None
        db.session.remove()
    return found


def logged(app, mutation_ids: list[str]) -> int:
    with app.app_context():
        n = len(db.session.scalars(select(AppliedMutation.mutation_id)
                                   .where(AppliedMutation.mutation_id.in_(mutation_ids))).all())
        db.session.remove()
    return n


def fresh_creates(body: dict) -> dict[str, tuple[str, str]]:
    """mutation_id → (entity, record_id) for the creates of records no other mutation names."""
    mutations = [m for m in body["mutations"] if isinstance(m, dict)]
    named = [m.get("record_id") for m in mutations]
    return {m["mutation_id"]: (m["entity"], m["record_id"]) for m in mutations
            if m.get("op") == "create" and isinstance(m.get("entity"), str) and m["entity"] in registry.names()
            and isinstance(m.get("record_id"), str)
            and m["record_id"] not in RECORDS and named.count(m["record_id"]) == 1}


def check_push(app, body: dict, response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    creates = fresh_creates(body)
    if response.status_code != 200:  # the envelope refused: nothing of it stored
        assert logged(app, [m["mutation_id"] for m in body["mutations"] if isinstance(m, dict)]) == 0
        assert not any(stored(app, e, r) for e, r in creates.values())
        return
    results = response.get_json()["results"]
    assert len(results) == len(body["mutations"])
    for result in results:
        if result["status"] in REFUSED and result["mutation_id"] in creates:
            assert not stored(app, *creates[result["mutation_id"]]), result


@FUZZ
@given(data=st.data())
def test_any_push_is_answered_without_a_5xx_and_refusals_store_nothing(app, officer_push, data):
    ids = plain_ids(app)
    body = data.draw(envelope(ids, RECORDS))
    check_push(app, body, officer_push(body))


def test_the_push_fuzz_covers_every_registered_entity(app):
    assert set(entities()) >= {"quick_note", "patrol_round", "patrol_finding", "patrol_emergency",
                               "renovation_inspection"}


# --- forms ------------------------------------------------------------------------------------

def form_data(entity: str, ids: list[int]) -> st.SearchStrategy:
    """What a no-JS offline form posts: the entity's fields as text, plus op, base_version, record_id."""
    from tests.web.sync.fuzzkit import FORM_VALUES

    spec = registry.get(entity)

    @st.composite
    def build(draw):
        values = draw(record_fields(spec.loader, ids))
        data = {k: v if isinstance(v, str) else dumps(v) for k, v in values.items()
                if isinstance(k, str) and SURROGATE not in k and "\x00" not in k}
        data = {k: v for k, v in data.items() if SURROGATE not in v}  # a browser cannot send one
        for extra in ("op", "base_version", "record_id"):
            if draw(st.booleans()):
                data[extra] = draw(st.sampled_from(["create", "update", "delete", "1", str(uuid.uuid4())])
                                   | FORM_VALUES)
        return data

    return build()


@FUZZ
@given(data=st.data())
def test_any_offline_form_post_without_javascript_is_answered_without_a_5xx(app, client, login_as, csrf, data):
    login_as("officer")
    entity = data.draw(st.sampled_from(entities()))
    fields = data.draw(form_data(entity, plain_ids(app)))
    token = csrf()
    with production_stack():
        response = client.post(f"/sync/form/{entity}", data={**fields, "csrf_token": token})
    assert response.status_code < 500, (entity, fields, response.get_data(as_text=True)[:300])


FORM_PAGES = {
    "supervisor": ["/areas/new", "/areas/{area}/edit", "/areas/{area}/key-locations/new",
                   "/patrol/templates/{template}/edit", "/renovation/new", "/renovation/template", "/conflicts/"],
    "manager": ["/policies/", "/people/new"],
    "officer": ["/notes/new", "/patrol/round/full?area_id={area}", "/patrol/emergency/new", "/patrol/findings"],
}
SKIP = ("logout", "password", "deactivate", "language", "/login")


def forms_of(client, pages: list[str], area: int) -> list[tuple[str, list[str]]]:
    from webapp.patrol.models import ChecklistTemplate

    with client.application.app_context():
        template = db.session.scalar(select(ChecklistTemplate.id).order_by(ChecklistTemplate.id).limit(1))
        db.session.remove()
    found = []
    for page in pages:
        response = client.get(page.format(area=area, template=template))
        if response.status_code == 200:
            found += [f for f in post_forms(response.get_data(as_text=True)) if not any(s in f[0] for s in SKIP)]
        for link in _links(response.get_data(as_text=True), page):  # one level further: the edit pages
            sub = client.get(link)
            if sub.status_code == 200:
                found += [f for f in post_forms(sub.get_data(as_text=True)) if not any(s in f[0] for s in SKIP)]
    return sorted(set((a, tuple(n)) for a, n in found))


def _links(page: str, base: str) -> list[str]:
    import re

    root = base.split("?")[0].rstrip("/").rsplit("/", 1)[0] if base.count("/") > 1 else base
    return sorted({h for h in re.findall(r'href="(/[^"#?]+/\d+/edit)"', page) if h.startswith(root)})[:3]


@pytest.mark.parametrize("role", sorted(FORM_PAGES))
def test_any_form_post_is_answered_without_a_5xx(app, client, login_as, csrf, role):
    login_as(role)
    ids = plain_ids(app)
    forms = forms_of(client, FORM_PAGES[role], ids[0])
    assert forms, "no form found to fuzz"
    token = csrf()

    @FUZZ
    @given(post=form_post([(a, list(n)) for a, n in forms]))
    def fuzz(post):
        action, data = post
        with production_stack():
            response = client.post(action, data={**data, "csrf_token": token})
        assert response.status_code < 500, (action, data, response.get_data(as_text=True)[:300])

    fuzz()

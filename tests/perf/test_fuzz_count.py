"""The long seam fuzz, on demand: counts 5xx answers instead of stopping at the first, and prints
them by cause (PATROLBOOK_PERF=1 python -m pytest tests/perf/test_fuzz_count.py -s -p no:randomly;
PATROLBOOK_FUZZ_COUNT sets the examples per kind, 3000 by default).

Three kinds, as in tests/web/sync/test_fuzz.py: push envelopes (mutations of every registered
entity), no-JS offline form posts (/sync/form/<entity>), and the pages' own forms. The test client
propagates exceptions (TESTING): an exception out of a view is what would have been a 500.
"""

from __future__ import annotations

import os
import time
import traceback
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.web.sync.fuzzkit import dumps, entities, envelope, form_post, plain_ids, production_stack
from tests.web.sync.test_fuzz import FORM_PAGES, RECORDS, form_data, forms_of

COUNT = int(os.environ.get("PATROLBOOK_FUZZ_COUNT", "3000"))
pytestmark = pytest.mark.perf


def counting(n: int):
    return settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck))


class Tally:
    def __init__(self, kind: str) -> None:
        self.kind, self.sent, self.statuses, self.causes, self.started = kind, 0, Counter(), Counter(), time.time()
        self.results = Counter()  # per-mutation statuses of the pushes answered 200

    def answer(self, call) -> None:
        self.sent += 1
        try:
            with production_stack():
                response = call()
            status = response.status_code
            if status == 200 and response.is_json:
                self.results.update(r["status"] for r in response.get_json().get("results", ()))
        except Exception as error:  # noqa: BLE001 — what the server would answer 500
            frame = traceback.extract_tb(error.__traceback__)[-1]
            self.causes[f"{type(error).__name__} at {Path(frame.filename).name}:{frame.lineno}"] += 1
            status = 500
        self.statuses[status // 100 * 100 if status >= 500 else status] += 1

    def report(self) -> int:
        fives = sum(n for s, n in self.statuses.items() if s >= 500)
        print(f"\n{self.kind}: {self.sent} sent in {time.time() - self.started:.0f} s, "
              f"{fives} answered 5xx; statuses {dict(sorted(self.statuses.items()))}"
              + (f"; mutations {dict(self.results.most_common())}" if self.results else ""))
        for cause, n in self.causes.most_common():
            print(f"    {n:5d}  {cause}")
        return fives


def test_count_push(app, client, login_as):
    login_as("officer")
    token = client.get("/sync/whoami").get_json()["csrf_token"]
    ids, tally = plain_ids(app), Tally("push")

    @counting(COUNT)
    @given(body=envelope(plain_ids(app), RECORDS))
    def send(body):
        tally.answer(lambda: client.post("/sync/push", data=dumps(body), content_type="application/json",
                                         headers={"X-CSRFToken": token}))

    send()
    assert ids
    tally.report()


def test_count_offline_forms(app, client, login_as, csrf):
    login_as("officer")
    token, ids, tally = csrf(), plain_ids(app), Tally("offline form posts")

    @counting(COUNT)
    @given(data=st.data())
    def send(data):
        entity = data.draw(st.sampled_from(entities()))
        fields = data.draw(form_data(entity, ids))
        tally.answer(lambda: client.post(f"/sync/form/{entity}", data={**fields, "csrf_token": token}))

    send()
    tally.report()


@pytest.mark.parametrize("role", sorted(FORM_PAGES))
def test_count_page_forms(app, client, login_as, csrf, role):
    login_as(role)
    forms = forms_of(client, FORM_PAGES[role], plain_ids(app)[0])
    token, tally = csrf(), Tally(f"page forms ({role}: {len(forms)} forms)")

    @counting(COUNT // 2)
    @given(post=form_post([(a, list(n)) for a, n in forms]))
    def send(post):
        action, data = post
        tally.answer(lambda: client.post(action, data={**data, "csrf_token": token}))

    send()
    tally.report()

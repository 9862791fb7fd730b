"""What the seam fuzzers send: push envelopes with mutations for every registered entity, built from
each entity's own schema, and form posts for the pages' own forms — mostly plausible values, with
the ones that once made a 500 mixed in (half an emoji, digits that are not ASCII, numbers wider than
any column, JSON nested a thousand deep, NUL, unknown keys).

Used by tests/web/sync/test_fuzz.py (a bounded run in the suite) and tests/perf/test_fuzz_count.py
(a long run, on demand, that counts instead of stopping at the first 5xx).
"""

from __future__ import annotations

import json
import re
import sys
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st
from marshmallow import fields as mf
from marshmallow import validate as mv
from sqlalchemy import select

from sync.registry import Registry
from tests.conftest import app_entities
from webapp.extensions import db

SURROGATE = "\ud83d"  # what JavaScript leaves when it cuts a string inside an emoji
DEEP = 1000
DEPTHS = [30, 40, 900, DEEP, 100_000]
# The entities an app registers (each app has its own registry; these are the same specs).
registry = Registry(app_entities())
WEIRD_DIGITS = ["²", "１２", "٣", "𝟗", "①", "⁴²"]


def _deep_token(depth: int, kind: str) -> str:
    return f"__deep_{kind}_{depth}__"


def deep(depth: int = DEEP, kind: str = "list") -> str:
    """A placeholder that `dumps` turns into JSON nested `depth` deep (no encoder can build that)."""
    return _deep_token(depth, kind)


_DEEP_TOKEN = re.compile(r'"__deep_(list|dict)_(\d+)__"')


def deep_text(kind: str, depth: int) -> str:
    return "[" * depth + "]" * depth if kind == "list" else '{"a":' * depth + "1" + "}" * depth


def dumps(value) -> str:
    """JSON text; a lone surrogate goes out as the escape a phone sends ("\\ud83d")."""
    text = json.dumps(value, ensure_ascii=True)
    return _DEEP_TOKEN.sub(lambda m: deep_text(m.group(1), int(m.group(2))), text)


@contextmanager
def production_stack():
    """Hypothesis raises the recursion limit while it runs a test (by 2000 frames); a server runs with
    Python's 1000. Send the request with that, so a value nested 900 deep fails here as it would there."""
    raised = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(raised)


def rarely(draw, n: int) -> bool:
    """True about once in n + 1 draws (Hypothesis favours the ends of a range: take the middle)."""
    return draw(st.integers(0, n)) == n // 2


def now_iso(days: int = 0) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


# --- values ------------------------------------------------------------------------------------

NASTY_SCALARS = [
    None, True, 0, -1, 1.5, 2**31, 2**63, -(2**63) - 1, 10**30, float("1e308"),
    "", " ", "\x00", SURROGATE, f"a{SURROGATE}b", "x" * 3000, *WEIRD_DIGITS, "9" * 30, "1e309", "NaN",
    "null", "[", "{}", "2024-13-45", "not-a-uuid",
]
NASTY = st.one_of(
    st.sampled_from(NASTY_SCALARS),
    st.builds(deep, st.sampled_from(DEPTHS), st.sampled_from(["list", "dict"])),
    st.just([SURROGATE]), st.just({SURROGATE: 1}), st.just({"a": {"b": SURROGATE}}),
    st.text(max_size=20),
)
NASTY_KEYS = st.sampled_from([SURROGATE, f"k{SURROGATE}", "\x00", "", "unknown", "x" * 300])


def plain_ids(app) -> list[int]:
    """Ids that exist in the demo estate (areas, key locations, users, renovations...), so some
    mutations get past the schema to the scopes, the planner and the database."""
    from webapp.areas.models import Area, KeyLocation

    with app.app_context():
        ids = set(db.session.scalars(select(Area.id))) | set(db.session.scalars(select(KeyLocation.id).limit(8)))
        db.session.remove()
    return sorted(ids | {1, 2})


def _plausible(field: mf.Field, ids: list[int]) -> st.SearchStrategy:
    choices = [v for v in (getattr(field, "validators", None) or []) if isinstance(v, mv.OneOf)]
    if choices:
        return st.sampled_from(list(choices[0].choices))
    if isinstance(field, mf.Nested):
        item = record_fields(field.schema, ids)
        return st.lists(item, min_size=1, max_size=3) if field.many else item
    if isinstance(field, mf.List):
        return st.lists(_plausible(field.inner, ids), max_size=3)
    if isinstance(field, mf.UUID):
        return st.builds(lambda: str(uuid.uuid4()))
    if isinstance(field, mf.Boolean):
        return st.booleans()
    if isinstance(field, mf.Integer):
        return st.sampled_from(ids) | st.integers(-5, 300)
    if isinstance(field, mf.Number):
        return st.floats(-1000, 1000, allow_nan=False)
    if isinstance(field, mf.AwareDateTime | mf.DateTime):
        return st.builds(now_iso, st.integers(-3, 0))
    if isinstance(field, mf.Date):
        return st.builds(lambda d: (date.today() + timedelta(days=d)).isoformat(), st.integers(-5, 30))
    if isinstance(field, mf.Dict):
        return st.dictionaries(st.sampled_from(["code", "label", "n"]), st.text(max_size=8) | st.integers(), max_size=3)
    return st.text(max_size=40) | st.sampled_from(["1栋大堂灯不亮", "ok", "A1"])


def _value(field: mf.Field, ids: list[int]) -> st.SearchStrategy:
    return st.one_of(_plausible(field, ids), NASTY)


def record_fields(schema, ids: list[int]) -> st.SearchStrategy:
    """A dict of some of the schema's fields (its required ones more often than not), plausible or
    nasty values, and now and then a key no schema knows."""
    names = [f.data_key or n for n, f in schema.load_fields.items()]
    by_key = {f.data_key or n: f for n, f in schema.load_fields.items()}
    required = [k for k, f in by_key.items() if f.required]

    @st.composite
    def build(draw):
        keys = set(draw(st.sets(st.sampled_from(names), max_size=len(names)))) if names else set()
        if not rarely(draw, 3):
            keys |= set(required)
        out = {k: draw(_plausible(by_key[k], ids)) for k in sorted(keys)}
        if keys and rarely(draw, 2):  # one odd value among plausible ones
            key = draw(st.sampled_from(sorted(keys)))
            out[key] = draw(_value(by_key[key], ids))
        if rarely(draw, 6):
            out[draw(NASTY_KEYS)] = draw(NASTY)
        return out

    return build()


def entities() -> list[str]:
    return sorted(registry.names())


@st.composite
def mutation(draw, entity: str, ids: list[int], records: list[str]) -> dict:
    spec = registry.get(entity)
    op = draw(st.sampled_from(["create", "create", "update", "delete"]))
    record_id = draw(st.sampled_from(records)) if records and draw(st.booleans()) else str(uuid.uuid4())
    base = draw(st.none() | st.integers(1, 3)) if not rarely(draw, 6) else draw(st.sampled_from(
        [2**31, 2**63, 2**64, 0, -1, "1", 1.5, True]))  # the first two reach the planner, the rest the envelope
    observed = now_iso(-draw(st.integers(0, 2))) if not rarely(draw, 15) else draw(st.sampled_from(
        ["2024-01-01T00:00:00", f"2024{SURROGATE}", "9999-12-31T23:59:59+14:00", "1970-01-01T00:00:00+00:00"]))
    body = {"mutation_id": str(uuid.uuid4()), "entity": entity, "record_id": record_id, "op": op,
            "base_version": base, "fields": draw(record_fields(spec.loader, ids)), "observed_at": observed}
    if op == "delete" and not rarely(draw, 4):
        body["fields"] = {}
    if rarely(draw, 30):
        body[draw(st.sampled_from(["fields", "op", "entity", "record_id"]))] = draw(NASTY)
    return body


@st.composite
def envelope(draw, ids: list[int], records: list[str]) -> dict:
    names = entities()
    batch = draw(st.lists(st.sampled_from(names).flatmap(lambda e: mutation(e, ids, records)), min_size=1, max_size=4))
    if len(batch) > 1 and rarely(draw, 4):  # the same record twice in a batch
        batch[-1]["record_id"] = batch[0]["record_id"]
    device = "fuzz-phone" if not rarely(draw, 12) else draw(st.sampled_from(
        [SURROGATE, f"phone{SURROGATE}", "", "\x00", "x" * 200, 7, None]))
    body = {"device_id": device, "mutations": batch}
    if rarely(draw, 30):
        body[draw(NASTY_KEYS)] = 1
    return body


# --- forms -------------------------------------------------------------------------------------

_FORM = re.compile(r'<form\b([^>]*)>(.*?)</form>', re.S | re.I)
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
_NAME = re.compile(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"', re.I)


def post_forms(page: str) -> list[tuple[str, list[str]]]:
    """(action, field names) of the page's POST forms."""
    found = []
    for attrs, inner in _FORM.findall(page):
        a = dict(_ATTR.findall(attrs))
        if a.get("method", "get").lower() == "post" and a.get("action", "").startswith("/"):
            names = sorted({n for n in _NAME.findall(inner) if n != "csrf_token"})
            found.append((a["action"].replace("&amp;", "&"), names))
    return found


FORM_VALUES = st.one_of(
    st.sampled_from(["", "1", "2", "0", "-1", "on", "create", "update", "ok", "defect", "1栋", "A9",
                     str(2**31), str(2**63), "9" * 40, *WEIRD_DIGITS, "\x00", "1.5", "2026-02-30", now_iso(),
                     '["\\ud83d"]', '{"a": "\\ud83d"}', "[1, 2]", "[", "x" * 3000, str(uuid.uuid4()), "null"]),
    st.builds(lambda kind, depth: deep_text(kind, depth), st.sampled_from(["list", "dict"]),
              st.sampled_from(DEPTHS[1:])),
    st.text(max_size=12).filter(lambda s: not re.search("[\ud800-\udfff]", s)),
)


@st.composite
def form_post(draw, forms: list[tuple[str, list[str]]]) -> tuple[str, dict]:
    action, names = draw(st.sampled_from(forms))
    chosen = draw(st.sets(st.sampled_from(names), max_size=len(names))) if names else set()
    data = {name: draw(FORM_VALUES) for name in sorted(chosen)}
    for name in names:  # a list field posted twice now and then
        if name.endswith("_ids") and draw(st.booleans()):
            data[name] = [draw(FORM_VALUES), draw(FORM_VALUES)]
    return action, data

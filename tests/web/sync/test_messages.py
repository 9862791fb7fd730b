"""Every message a sync schema can answer reaches a Chinese user in Chinese (audit, issue 3): marshmallow's
own defaults ("Unknown field.", "Not a valid integer.", "Length must be between 1 and 64.", "Must be one of:
ok, defect."…), the engine's and guard's sentences. The schemas are scanned, so a field added tomorrow is
checked too. (That sync/ imports no Flask is tests/unit/app/test_layout.py's.)"""

from __future__ import annotations

import re

import pytest
from marshmallow import Schema, ValidationError, validate
from marshmallow import fields as mf

from sync import messages, protocol
from tests.conftest import app_entities
from webapp.kernel.syncing import translate_message

CJK = re.compile(r"[\u4e00-\u9fff]")


def validator_messages(validator) -> list[str]:
    """The messages a validator gives, provoked with values it refuses."""
    probes = []
    if isinstance(validator, validate.Range):
        probes = [validator.min - 1 if validator.min is not None else None,
                  validator.max + 1 if validator.max is not None else None]
    elif isinstance(validator, validate.Length):
        low = validator.equal if validator.equal is not None else validator.min
        high = validator.equal if validator.equal is not None else validator.max
        probes = ["x" * (low - 1) if low else None, "x" * (high + 1) if high is not None else None]
    elif isinstance(validator, validate.OneOf):
        probes = ["\u2603 not a choice"]
    out = []
    for probe in probes:
        if probe is None:
            continue
        try:
            validator(probe)
        except ValidationError as error:
            out += error.messages if isinstance(error.messages, list) else [str(error.messages)]
    return out


def field_messages(field: mf.Field, seen: set[int]) -> list[str]:
    out = []
    for key, template in field.error_messages.items():
        if key == "format" or (key == "invalid_awareness" and not hasattr(field, "AWARENESS")):
            continue  # dumping only; awareness is for aware/naive datetimes
        out.append(template.format(obj_type=getattr(field, "OBJ_TYPE", ""), awareness=getattr(field, "AWARENESS", "")))
    for validator in field.validators:
        out += validator_messages(validator)
    if isinstance(field, mf.Nested):
        out += schema_messages(field.schema, seen)
    if isinstance(field, mf.List):
        out += field_messages(field.inner, seen)
    return out


def schema_messages(schema: Schema, seen: set[int] | None = None) -> list[str]:
    seen = set() if seen is None else seen
    if id(schema) in seen:
        return []
    seen.add(id(schema))
    out = list(schema.error_messages.values())
    for field in schema.load_fields.values():
        out += field_messages(field, seen)
    return out


def every_schema():
    from webapp.dbsetup import import_models

    import_models()
    yield from ((f"entity:{spec.name}", spec.loader) for spec in app_entities())
    for cls in (protocol.PushRequestSchema, protocol.MutationSchema, protocol.PullQuerySchema,
                protocol.ResolveConflictSchema):
        yield cls.__name__, cls()


def every_message():
    found = {}
    for where, schema in every_schema():
        for message in schema_messages(schema):
            found.setdefault(message, where)
    for message in messages.ALL:
        found.setdefault(message.format(min=-1, max=1), "sync.messages")
    return sorted(found.items())


@pytest.mark.parametrize("message,where", every_message())
def test_every_schema_message_is_translated_for_a_chinese_user(app, message, where):
    with app.test_request_context():  # the default locale: zh_Hans_CN
        shown = translate_message(message)
    assert CJK.search(shown), f"{where}: {message!r} reaches a Chinese user in English"


@pytest.mark.parametrize("message,expected", [
    ("Length must be between 1 and 64.", "长度必须在 1 到 64 之间。"),
    ("Must be one of: ok, defect.", "必须是以下之一：ok, defect。"),
    ("Must be greater than or equal to 0.", "必须大于或等于 0。"),
    ("Must be greater than or equal to 1 and less than or equal to 1000.", "必须大于或等于 1 且小于或等于 1000。"),
    ("Not a valid aware datetime.", "不是带时区的有效日期时间。"),
    ("Unknown field.", "未知字段。"),
    ("Not a valid integer.", "不是有效的整数。"),
])
def test_formatted_messages_keep_their_values(app, message, expected):
    with app.test_request_context():
        assert translate_message(message) == expected


def test_an_english_user_reads_english(app, client, login_as):
    from webapp.auth.models import User
    from webapp.extensions import db

    with app.test_request_context(headers={}):
        user = login_as("officer")
        db.session.get(User, user.id).locale = "en"
        db.session.commit()
    response = client.get("/sync/pull?limit=0")
    assert response.get_json()["error"]["errors"]["limit"] == [
        "Must be greater than or equal to 1 and less than or equal to 1000."]

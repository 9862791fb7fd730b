"""HTTP shell around the sync engine (sync/): parse → engine → respond. No business rules here.

Endpoints are described in sync/PROTOCOL.md and served as OpenAPI at /sync/openapi.json.
"""

from __future__ import annotations

import gzip
import json
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, make_response, redirect, request, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import InterfaceError, OperationalError

from sync import engine, messages, registry
from sync import media as media_store
from sync.actor import Actor
from sync.bulk import one_of
from sync.errors import BatchError, MediaError, ProtocolError
from sync.models import Media
from sync.protocol import PullQuerySchema

from .auth.models import Role
from .errors import error_response
from .extensions import db
from .forms import request_json

bp = Blueprint("sync_api", __name__, url_prefix="/sync")

AFTER_APPLY: dict[str, list[Callable]] = defaultdict(list)
KEEPS = frozenset({"applied", "merged", "duplicate"})
GZIP_MIN_BYTES = 1024


def after_apply(entity: str):
    """Register fn(session, actor, records) run after a push for that entity's applied/merged/duplicate
    records — for derived records; it must be idempotent (it also runs for replays)."""

    def register(fn: Callable) -> Callable:
        if fn not in AFTER_APPLY[entity]:
            AFTER_APPLY[entity].append(fn)
        return fn

    return register


SCOPE_PROVIDERS: dict[Callable, frozenset[str]] = {}


def scope_provider(*entities: str):
    """Register fn(user) -> set of extra scopes a user may read and write (e.g. the renovations an
    officer inspects outside their own areas), which records of these entities are filed under; the
    entity's can_write still has the last word."""

    def register(fn: Callable) -> Callable:
        SCOPE_PROVIDERS[fn] = frozenset(entities)
        return fn

    return register


def actor_for(user, device_id: str | None = None, entities: set[str] | None = None) -> Actor:
    """The engine's view of a user: which scopes they may read and write. A push names its
    `entities`: providers of other entities' scopes are not asked (a batch of notes needs no
    renovation lookup)."""
    from .areas.models import Area
    from .auth.access import area_ids_visible_to

    if user.role == Role.OFFICER:
        area_ids = area_ids_visible_to(user)
    else:
        area_ids = db.session.scalars(select(Area.id).where(Area.estate_id.in_(user.estate_ids))).all()
    scopes = {f"area:{a}" for a in area_ids} | {f"estate:{e}" for e in user.estate_ids}
    for provider, served in SCOPE_PROVIDERS.items():
        if entities is None or served & entities:
            scopes |= provider(user)
    return Actor(user.id, user.role, device_id, frozenset(scopes), frozenset(scopes))


def entities_of(payload: dict) -> set[str] | None:
    """The entities a push envelope names, or None when it is too malformed to tell."""
    mutations = payload.get("mutations")
    if not isinstance(mutations, list) or not all(isinstance(m, dict) for m in mutations):
        return None
    return {str(m.get("entity")) for m in mutations}


def translated(value):
    """Engine messages are fixed English sentences; show them in the user's language. marshmallow's
    formatted messages ("Length must be between 1 and 64.") are translated by their template."""
    if isinstance(value, str):
        return translate_message(value)
    if isinstance(value, dict):
        return {k: translated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [translated(v) for v in value]
    return value


def translate_message(text: str) -> str:
    out = _(text)
    if out != text:
        return out
    found = messages.template_of(text)
    if found is None:
        return out
    template, values = found
    pattern = _(template)
    return pattern.format(**values) if pattern != template else out


def json_response(body: dict, status: int = 200):
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    response = make_response(payload, status)
    response.mimetype = "application/json"
    if len(payload) >= GZIP_MIN_BYTES and "gzip" in request.headers.get("Accept-Encoding", ""):
        response.set_data(gzip.compress(payload, compresslevel=5))
        response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/whoami")
@login_required
def whoami():
    return json_response({
        "user_id": current_user.id, "username": current_user.username, "display_name": current_user.display_name,
        "role": current_user.role, "csrf_token": generate_csrf(), "server_time": datetime.now(UTC).isoformat(),
    })


@bp.post("/push")
@login_required
def push():
    payload = request_json()
    if not isinstance(payload, dict):
        return error_response(400, _("The request body is not valid JSON."))
    device_id = payload.get("device_id") if isinstance(payload.get("device_id"), str) else None
    actor = actor_for(current_user, device_id, entities_of(payload))
    try:
        result = engine.push(db.session, actor, payload, max_batch=current_app.config["SYNC_MAX_BATCH"],
                             before_commit=injected_fault())
    except BatchError as exc:
        return batch_error(exc)
    except (OperationalError, InterfaceError) as exc:  # a lock, a deadlock, a lost connection: not the batch's fault
        return busy(exc)
    run_after_apply(actor, payload.get("mutations", []), result["results"])
    return json_response(translated_results(result))


FAULT_HEADER = "X-Sync-Fault"


def injected_fault() -> Callable[[], None] | None:
    """Fault injection for the crash tests (tests/web/test_sync_faults.py), honoured only when the app
    is TESTING *and* SYNC_FAULT_INJECTION is set: `X-Sync-Fault: pause-before-commit` holds the written,
    uncommitted batch for a minute, so the test can SIGKILL the server inside the transaction."""
    config = current_app.config
    if not (config.get("TESTING") and config.get("SYNC_FAULT_INJECTION")):
        return None
    if request.headers.get(FAULT_HEADER) == "pause-before-commit":
        return lambda: time.sleep(60)
    return None


def busy(exc: Exception, message: str | None = None):
    """503 + Retry-After: the client keeps the batch and retries with backoff."""
    db.session.rollback()
    current_app.logger.warning("sync: %s answered 503 after a transient database error: %s", request.path, exc)
    response = make_response(error_response(
        503, message or _("The server is busy. Nothing was lost: the phone will send it again shortly.")))
    response.headers["Retry-After"] = "5"
    return response


def batch_error(exc: BatchError):
    """A refused envelope: 413 when only its length is at fault, else 422; nothing was stored."""
    too_long = all(messages.TOO_MANY in msgs for msgs in exc.errors.values()) if exc.errors else False
    return error_response(413 if too_long else 422, _(exc.message), translated(exc.errors))


MEDIA_STATUS = {"too_large": 413, "unsupported_type": 415, "type_mismatch": 415, "hash_mismatch": 422,
                "id_taken": 409, "bad_id": 400, "empty": 400}


def translated_results(result: dict) -> dict:
    for item in result["results"]:
        for key in ("message", "errors"):
            if key in item:
                item[key] = translated(item[key])
    return result


def run_after_apply(actor: Actor, mutations: list, results: list) -> None:
    kept = defaultdict(list)
    for mutation, outcome in zip(mutations, results, strict=False):
        if outcome.get("status") in KEEPS and mutation.get("entity") in AFTER_APPLY:
            kept[mutation["entity"]].append(mutation["record_id"])
    for entity, ids in kept.items():
        model = registry.get(entity).model
        records = db.session.scalars(select(model).where(one_of(db.session, model.id, ids))).all()
        for hook in AFTER_APPLY[entity]:
            hook(db.session, actor, records)
    if kept:
        db.session.commit()


@bp.get("/pull")
@login_required
def pull():
    try:
        query = PullQuerySchema().load(request.args.to_dict())
        page = engine.pull(db.session, actor_for(current_user), query["cursor"], query["limit"])
    except ValidationError as exc:
        return error_response(400, None, translated(exc.messages))
    except ProtocolError as exc:
        return error_response(400, None, translated(exc.errors))
    return json_response(page)


@bp.put("/media/<uuid:media_id>")
@login_required
def upload_media(media_id: uuid.UUID):
    limit = current_app.config["MEDIA_MAX_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        return error_response(413, _("The photo or file is too large (at most %(mb)d MB).", mb=limit // 2**20))
    try:
        status = media_store.save_media(
            db.session, actor_for(current_user), str(media_id), request.get_data(cache=False),
            request.mimetype, request.headers.get("X-Content-SHA256", ""), current_app.config["MEDIA_ROOT"],
            max_bytes=limit,
        )
    except MediaError as exc:
        return error_response(MEDIA_STATUS.get(exc.code, 400), _(exc.message))
    return json_response({"id": str(media_id), "status": status}, 201 if status == "created" else 200)


@bp.get("/media/<uuid:media_id>")
@login_required
def media(media_id: uuid.UUID):
    stored = db.session.get(Media, str(media_id))
    if stored is None:
        abort(404)
    if not may_read_media(current_user, stored):
        abort(403)
    response = send_file(Path(current_app.config["MEDIA_ROOT"]) / stored.path, mimetype=stored.content_type)
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


def may_read_media(user, stored: Media) -> bool:
    """Their own uploads; a photo of a record in their read scope (officers: their areas); for the
    other roles also what anyone of their estate uploaded; everything for admins."""
    from .auth.models import User

    if user.role == Role.ADMIN or stored.uploaded_by == user.id:
        return True
    if user.role != Role.OFFICER:
        uploader = db.session.get(User, stored.uploaded_by) if stored.uploaded_by else None
        if uploader and uploader.estate_ids & user.estate_ids:
            return True
    return bool(media_store.referencing_scopes(db.session, stored.id) & actor_for(user).read_scopes)


@bp.post("/form/<entity>")
@login_required
def form_fallback(entity: str):
    """Offline forms post here when JavaScript is off: the same mutation, applied at once."""
    from .forms import mutation_from_form, safe_return_url

    try:
        spec = registry.get(entity)
    except LookupError:
        abort(404)
    mutation = mutation_from_form(spec, entity, request.form)
    actor = actor_for(current_user, "web-form")
    try:
        outcome = engine.push(db.session, actor, {"device_id": "web-form", "mutations": [mutation]})["results"][0]
    except BatchError as exc:
        return batch_error(exc)
    except (OperationalError, InterfaceError) as exc:  # a form is not resent by itself: say so
        return busy(exc, _("The server is busy. Go back with your browser's back button and save again: "
                           "what you typed is still in the form."))
    if outcome["status"] == "forbidden":
        abort(403)
    if outcome["status"] == "rejected":
        return error_response(422, translated(outcome.get("message")) or None, translated(outcome.get("errors")))
    run_after_apply(actor, [mutation], [outcome])
    flash(_("Saved.") if outcome["status"] != "conflict" else
          _("Someone else changed this meanwhile; your version was kept for the supervisor to resolve."),
          "success" if outcome["status"] != "conflict" else "info")
    return redirect(safe_return_url(request.form.get("return_url")))


@bp.get("/openapi.json")
def openapi():
    from .openapi import sync_openapi

    return json_response(sync_openapi())

"""HTTP shell around the sync engine (sync/): parse → engine → respond. No business rules here.

Endpoints are described in sync/PROTOCOL.md and served as OpenAPI at /sync/openapi.json.
"""

from __future__ import annotations

import gzip
import json
import os
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, make_response, redirect, request, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from marshmallow import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError

from sync import engine, messages
from sync.errors import BatchError, DerivedWorkError, MediaError, ProtocolError
from sync.models import Media
from sync.protocol import PullQuerySchema

from .extensions import db
from .kernel.errors import error_response
from .kernel.forms import mutation_from_form, request_json, safe_return_url
from .kernel.hooks import entity_words
from .kernel.media import open_upload, save_upload
from .kernel.scopes import actor_for, may_read_media
from .kernel.syncing import MEDIA_STATUS, entities, push_form, translated, translated_outcome

bp = Blueprint("sync_api", __name__, url_prefix="/sync")

GZIP_MIN_BYTES = 1024


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


def entities_of(payload: dict) -> frozenset[str] | None:
    """The entities a push envelope names, or None when it is too malformed to tell."""
    mutations = payload.get("mutations")
    if not isinstance(mutations, list) or not all(isinstance(m, dict) for m in mutations):
        return None
    return frozenset(str(m.get("entity")) for m in mutations)


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
        result = engine.push(db.session, actor, entities(), payload,
                             max_batch=current_app.config["SYNC_MAX_BATCH"], before_commit=injected_fault())
    except BatchError as exc:
        return batch_error(exc)
    except (OperationalError, InterfaceError) as exc:  # a lock, a deadlock, a lost connection: not the batch's fault
        return busy(exc)
    except DerivedWorkError as exc:  # the server's own work failed: nothing stored, the phone resends
        current_app.logger.error("sync: derived work failed; the batch was rolled back", exc_info=exc)
        return busy(exc)
    if fault_after_commit():
        os._exit(1)  # the crash tests: committed, and the process dies before it can answer
    for outcome in result["results"]:
        translated_outcome(outcome)
    return json_response(result)


FAULT_HEADER = "X-Sync-Fault"


def injected_fault() -> Callable[[], None] | None:
    """Fault injection for the crash tests (tests/web/sync/test_faults.py), honoured only when the app
    is TESTING *and* SYNC_FAULT_INJECTION is set: `X-Sync-Fault: pause-before-commit` holds the written,
    uncommitted batch for a minute, so the test can SIGKILL the server inside the transaction."""
    if _fault() == "pause-before-commit":
        return lambda: time.sleep(60)
    return None


def fault_after_commit() -> bool:
    """`X-Sync-Fault: exit-after-commit`: the server process dies right after the commit."""
    return _fault() == "exit-after-commit"


def _fault() -> str | None:
    config = current_app.config
    if not (config.get("TESTING") and config.get("SYNC_FAULT_INJECTION")):
        return None
    return request.headers.get(FAULT_HEADER)


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


@bp.get("/pull")
@login_required
def pull():
    try:
        query = PullQuerySchema().load(request.args.to_dict())
        page = engine.pull(db.session, actor_for(current_user), entities(), query["cursor"], query["limit"])
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
        status = save_upload(actor_for(current_user), str(media_id), request.get_data(cache=False),
                             request.mimetype, request.headers.get("X-Content-SHA256", ""))
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
    body = open_upload(stored.path)
    if body is None:  # a row whose bytes were lost (a restore without the media): as if not uploaded yet
        current_app.logger.error("media %s: no bytes at %s", stored.id, stored.path)
        abort(404)
    # The ETag is the content's hash, the same from every app server and either store.
    response = send_file(body, mimetype=stored.content_type, etag=stored.sha256, conditional=True,
                         last_modified=stored.received_at)
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


@bp.post("/form/<entity>")
@login_required
def form_fallback(entity: str):
    """Offline forms post here when JavaScript is off: the same mutation, applied at once."""
    spec = entities().find(entity)
    if spec is None:
        abort(404)
    mutation = mutation_from_form(spec, request.form)
    try:
        outcome = push_form(entity, mutation["record_id"], mutation["fields"], mutation["op"], mutation["base_version"])
    except BatchError as exc:
        return batch_error(exc)
    except (OperationalError, InterfaceError, DerivedWorkError) as exc:  # a form is not resent by itself: say so
        return busy(exc, _("The server is busy. Go back with your browser's back button and save again: "
                           "what you typed is still in the form."))
    if outcome["status"] == "forbidden":
        abort(403)
    if outcome["status"] == "rejected":
        return error_response(422, outcome.get("message") or None, outcome.get("errors"),
                              entity_words(entity).fields)
    conflict = outcome["status"] == "conflict"
    flash(_("Someone else changed this meanwhile; your version was kept for the supervisor to resolve.")
          if conflict else _("Saved."), "info" if conflict else "success")
    return redirect(safe_return_url(request.form.get("return_url")))


@bp.get("/openapi.json")
def openapi():
    from .openapi import sync_openapi

    return json_response(sync_openapi())

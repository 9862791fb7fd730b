"""The key management memo 钥匙管理备忘录 (R-KEY-4): a key lost or damaged, written at the desk."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from sync.store import utcnow

from ..auth.public import current_estate_or_403, roles_required
from ..extensions import db
from ..kernel.forms import load_form
from ..kernel.labels import choices
from .entities import KEEPERS
from .forms import MemoForm
from .models import Key, KeyMemo, MemoKind
from .views import bp, key_or_404


def _form(key, status=200, errors=None):
    return render_template("keys/memo.html", key=key, kinds=choices(MemoKind), errors=errors or {},
                           values=request.form), status


@bp.get("/<int:key_id>/memo")
@roles_required(*KEEPERS)
def memo_form(key_id):
    return _form(key_or_404(key_id))


@bp.post("/<int:key_id>/memo")
@roles_required(*KEEPERS)
def add_memo(key_id):
    key = key_or_404(key_id)
    values, errors = load_form(MemoForm(), request.form)
    if errors:
        return _form(key, 422, errors)
    db.session.add(KeyMemo(key_id=key.id, kind=values["kind"], what=values["what"],
                           supervisor_told=values["supervisor_told"], owner_consent=values["owner_consent"],
                           action=values.get("action") or "", result=values.get("result") or "",
                           recorded_by=current_user.id, recorded_at=utcnow()))
    db.session.commit()
    return redirect(url_for("keys.memos"))


@bp.get("/memos")
@roles_required(*KEEPERS)
def memos():
    estate = current_estate_or_403()
    found = db.session.scalars(select(KeyMemo).join(Key).where(Key.estate_id == estate.id)
                               .order_by(KeyMemo.recorded_at.desc())).all()
    return render_template("keys/memos.html", memos=found)

"""Changing people: create, edit, (de)activate, reset the password, store the lobby-card photo.

Functions add to the session; the views commit (except store_photo: the media store commits its file
row first, then the view commits the photo on the person). Changes of staff the assignment table
cannot see for itself are logged for R-AREA-3; contact changes are stamped for R-AREA-4 by the
User verbs.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from sync.actor import Actor

from ..areas.public import AreaChangeKind, assigned_areas, contacts_of, record_change
from ..auth.public import User
from ..estate.public import Estate
from ..extensions import db
from ..kernel.forms import load_form
from ..kernel.media import save_upload
from ..kernel.roles import Role
from ..policies.public import policy
from .rules import Standing, staff_changes
from .schemas import CONTACTS

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


def create_person(data: Mapping, password: str) -> User:
    """A new account; a new officer is read by the R-AREA-3 check from its created_at."""
    person = User(username=data["username"], display_name=data["display_name"], role=data["role"],
                  team=data.get("team") if data["role"] == Role.TEAM else None,
                  mobile=data.get("mobile"), work_phone=data.get("work_phone"), estates=_estates(data["estate_ids"]))
    person.set_password(password)
    person.password_must_change = True  # they choose their own at their first login
    db.session.add(person)
    return person


def update_person(person: User, data: Mapping, allowed_estates: set[int], actor_id: int) -> None:
    """Name, role, team, phones and estates; estates outside `allowed_estates` (another manager's)
    are kept as they are."""
    before = Standing.of(person)
    person.display_name, person.role = data["display_name"], data["role"]
    person.team = data.get("team") if data["role"] == Role.TEAM else None
    person.set_contacts(data.get("mobile"), data.get("work_phone"))
    kept = [e for e in person.estates if e.id not in allowed_estates]
    person.estates = kept + _estates(set(data["estate_ids"]) & allowed_estates)
    log_staff_changes(person, before, actor_id)


def set_active(person: User, active: bool, actor_id: int) -> None:
    """A deactivated person cannot log in and their sessions stop (webapp.auth.views.load_user);
    R-AREA-3 reads the deactivation itself."""
    if person.active == active:
        return
    before = Standing.of(person)
    if active:
        person.reactivate()
    else:
        person.deactivate()
    log_staff_changes(person, before, actor_id)


def log_staff_changes(person: User, before: Standing, actor_id: int) -> None:
    assigned = {area.estate_id for area in assigned_areas(person.id)}
    joined, left = staff_changes(before, Standing.of(person), assigned)
    for kind, estate_ids in ((AreaChangeKind.OFFICER_JOINED, joined), (AreaChangeKind.OFFICER_LEFT, left)):
        for estate_id in sorted(estate_ids):
            record_change(estate_id, kind, actor_id, detail=person.display_name)


def store_photo(person: User, upload: FileStorage | None) -> None:
    """Keep the lobby-card photo through the sync media store (same limits; the type is read from
    the file's own bytes). Filed under the person it shows, so it is visible wherever they work.
    Raises sync.errors.MediaError: nothing stored."""
    limit = current_app.config["MEDIA_MAX_BYTES"]
    data = upload.stream.read(limit + 1) if upload and upload.filename else b""
    media_id = str(uuid.uuid4())
    save_upload(Actor(person.id, person.role, "web-form", frozenset(), frozenset()), media_id,
                data, None, hashlib.sha256(data).hexdigest(), allowed=PHOTO_TYPES)
    person.set_photo(media_id)


def change_contacts(person: User, form) -> tuple[dict[str, list[str]], list[str]]:
    """A person's own mobile and work phone from the 我的 form, which their lobby card shows (R-AREA-4):
    (errors by field: nothing changed, reminders of what the change sets due)."""
    data, errors = load_form(CONTACTS, form)
    if errors:
        return errors, []
    before = contacts_of(person)
    person.set_contacts(data.get("mobile"), data.get("work_phone"))
    return {}, reminders(person, before, Standing.of(person))


def reminders(person: User, contacts_before: dict, before: Standing) -> list[str]:
    """What a change to an assigned officer sets due, in words for the person who made it."""
    found = []
    for area in assigned_areas(person.id):
        if Standing.of(person).officer_estates != before.officer_estates:
            days = policy(area.estate_id, "table_reapproval_days")
            found.append(_("%(name)s is the officer of %(area)s: a new assignment table must be approved within "
                           "%(n)d days (R-AREA-3).", name=person.display_name, area=area.name, n=days))
        elif contacts_of(person) != contacts_before:
            days = policy(area.estate_id, "lobby_card_repost_days")
            found.append(_("The lobby card of %(area)s must be reposted within %(n)d days (R-AREA-4).",
                           area=area.name, n=days))
    return found


def _estates(ids) -> list[Estate]:
    return [db.session.get(Estate, i) for i in sorted(set(ids))] if ids else []


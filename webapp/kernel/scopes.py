"""Who sees what: one answer for pages, pull, push and media reads.

`scopes_of(user)` is the only place a user's reach is decided:
- `area_ids`: the areas whose records the user's pages list (R-AREA-2: an officer's areas in the table in
  force; estate-wide for the desk roles and the work teams, whose pages filter by team);
- `read` / `write`: the sync scope keys of the records their phone pulls and may push. Every role but the
  work teams reads and writes `area:<id>` and `estate:<id>` of what they see; a team gets only what its
  work needs. Domains add their own keys (a team's findings, emergencies, extra renovation inspectors)
  through providers registered on the app.

Where the areas come from is the areas domain's business: it registers the one area provider.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app, g

from sync import media
from sync.actor import Actor

from ..extensions import db
from .roles import Role


@dataclass(frozen=True)
class Reach:
    """What the areas domain says a user sees: areas, and the estates they lie in."""

    area_ids: frozenset[int]
    estate_ids: frozenset[int]


@dataclass(frozen=True)
class Grant:
    """Extra sync scope keys a domain gives a user."""

    read: frozenset[str] = frozenset()
    write: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Scopes:
    area_ids: frozenset[int]
    estate_ids: frozenset[int]
    read: frozenset[str]
    write: frozenset[str]


@dataclass
class ScopeProviders:
    """Registered on the app (`app.extensions["scopes"]`) by the domains' init_app."""

    reach: Callable[[object], Reach] | None = None
    # (fn, the entities whose records it files under its keys)
    grants: list[tuple[Callable[[object, Reach], Grant], frozenset[str]]] = field(default_factory=list)
    media_readers: list[Callable[[object, object], bool]] = field(default_factory=list)


def providers() -> ScopeProviders:
    return current_app.extensions["scopes"]


def scopes_of(user, entities: frozenset[str] | None = None) -> Scopes:
    """The user's reach, computed once per request. A push names the `entities` it carries: grants
    for other entities' keys are not asked (a batch of quick notes needs no renovation lookup)."""
    cache = g.setdefault("scopes", {})
    key = (user.id, entities)
    if key not in cache:
        cache[key] = _compute(user, entities)
    return cache[key]


def reach_of(user) -> Reach:
    """The areas (and their estates) the user sees, computed once per request: what pages list."""
    cache = g.setdefault("reach", {})
    if user.id not in cache:
        found = providers().reach
        cache[user.id] = found(user) if found else Reach(frozenset(), frozenset())
    return cache[user.id]


def _compute(user, entities: frozenset[str] | None) -> Scopes:
    found = providers()
    reach = reach_of(user)
    base: set[str] = set()
    # A work team's phone holds its own work, not its areas' records; finance keeps no records offline
    # (it sees the fee pages, never visits or archives).
    if user.role not in (Role.TEAM, Role.FINANCE):
        base = {f"area:{a}" for a in reach.area_ids} | {f"estate:{e}" for e in reach.estate_ids}
    read, write = set(base), set(base)
    for grant, served in found.grants:
        if entities is not None and not served & entities:
            continue
        extra = grant(user, reach)
        read |= extra.read
        write |= extra.write
    return Scopes(reach.area_ids, reach.estate_ids, frozenset(read), frozenset(write))


def actor_for(user, device_id: str | None = None, entities: frozenset[str] | None = None) -> Actor:
    """The engine's view of a user (for a push: of the entities it carries)."""
    scopes = scopes_of(user, entities)
    return Actor(user.id, str(user.role), device_id, scopes.read, scopes.write)


def may_read_media(user, stored) -> bool:
    """An upload (photo, signature, scan): the uploader's own; everything for an admin; what a domain
    lets them see (a lobby-card photo); else only a photo of a live record in their read scopes —
    a work team sees the photos of its own findings, an officer those of their areas."""
    if user.role == Role.ADMIN or stored.uploaded_by == user.id:
        return True
    if any(reader(user, stored) for reader in providers().media_readers):
        return True
    entities = current_app.extensions["sync_entities"]
    return bool(media.referencing_scopes(db.session, entities, stored.id) & scopes_of(user).read)


def init_app(app) -> None:
    app.extensions["scopes"] = ScopeProviders()


def register_reach(app, fn: Callable[[object], Reach]) -> None:
    found = app.extensions["scopes"]
    if found.reach is not None and found.reach is not fn:
        raise ValueError("the areas a user sees are decided in one place")
    found.reach = fn


def register_grant(app, fn: Callable[[object, Reach], Grant], *entities: str) -> None:
    """fn(user, reach) -> Grant: the keys under which `entities` file their records."""
    grants = app.extensions["scopes"].grants
    if all(known is not fn for known, _ in grants):
        grants.append((fn, frozenset(entities)))


def estate_grant(prefix: str, roles) -> Callable[[object, Reach], Grant]:
    """A grant of `<prefix>:<estate id>` for the estates the user sees, to these roles only (the duty log, the key
    cabinet: the desk's, not the officers')."""
    def grant(user, reach: Reach) -> Grant:
        if user.role not in roles:
            return Grant()
        keys = frozenset(f"{prefix}:{e}" for e in reach.estate_ids)
        return Grant(read=keys, write=keys)
    return grant


def register_media_reader(app, fn: Callable[[object, object], bool]) -> None:
    """fn(user, media) -> True when a domain lets this user see an upload outside the sync scopes
    (e.g. a person's lobby-card photo)."""
    if fn not in app.extensions["scopes"].media_readers:
        app.extensions["scopes"].media_readers.append(fn)

"""Small registries through which domains add navigation items and home-page obligations.

Domains register at import time; the base layout and home pages read them, so a new domain
never edits the core templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # lazy string
    roles: frozenset[str]
    order: int = 50
    slot: str = "desk"  # "bottom" (officer's phone bar, ≤ 5 items), "desk" (top section bar) or "me" (on 我的)
    badge: str | None = None  # e.g. "outbox": filled by the client


NAV_ITEMS: list[NavItem] = []
OBLIGATION_PROVIDERS: list[Callable] = []
# Sections of the start pages: fn(user, estate, now) -> Markup | None, rendered in `order`.
TODAY_SECTIONS: list[tuple[int, Callable]] = []
OVERVIEW_SECTIONS: list[tuple[int, Callable]] = []
ENTITY_LABELS: dict[str, object] = {}  # sync entity name → lazy label, for inboxes and the outbox


def entity_label(name: str) -> str:
    return str(ENTITY_LABELS.get(name, name))


def nav_item(endpoint: str, label, roles, order: int = 50, slot: str = "desk", badge: str | None = None) -> None:
    item = NavItem(endpoint, label, frozenset(str(r) for r in roles), order, slot, badge)
    if item not in NAV_ITEMS:
        NAV_ITEMS.append(item)
        NAV_ITEMS.sort(key=lambda i: i.order)


def obligation_provider(fn: Callable) -> Callable:
    """Register fn(user, estate, now) -> list[Obligation] shown on home pages until done."""
    if fn not in OBLIGATION_PROVIDERS:
        OBLIGATION_PROVIDERS.append(fn)
    return fn


def today_section(order: int = 50):
    """Register fn(user, estate, now) -> Markup|None as a section of the officer's 今日 page."""
    return _section(TODAY_SECTIONS, order)


def overview_section(order: int = 50):
    """Register fn(user, estate, now) -> Markup|None as a section of the desk 总览 page
    (order < 10 comes before the obligations list: emergencies first)."""
    return _section(OVERVIEW_SECTIONS, order)


def _section(registry: list, order: int):
    def register(fn: Callable) -> Callable:
        if all(f is not fn for _, f in registry):
            registry.append((order, fn))
            registry.sort(key=lambda pair: pair[0])
        return fn

    return register


def sections(registry: list, user, estate, now) -> list:
    return [html for _, fn in registry if (html := fn(user, estate, now))]


def nav_for(user, slot: str) -> list[NavItem]:
    return [i for i in NAV_ITEMS if i.slot == slot and user.role in i.roles]


def obligations_for(user, estate, now) -> list:
    found = [ob for provider in OBLIGATION_PROVIDERS for ob in provider(user, estate, now)]
    return sorted(found, key=lambda ob: ob.due)


def init_app(app) -> None:
    from .auth.access import areas_visible_to, current_estate

    app.jinja_env.globals.update(nav_for=nav_for, entity_label=entity_label, current_estate=current_estate, areas_visible_to=areas_visible_to)

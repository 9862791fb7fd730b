"""What the domains contribute to shared screens, kept on the app: `app.extensions["patrolbook"]`.

create_app() makes one `Hooks` per app (init_app), then calls every domain's `init_app(app)`, which
adds its parts through `hooks_of(app)`: navigation items, obligations, sections of 今日 (Today) and
总览 (Overview), labels of its synced entities, the pages its users need offline, its demo and scale history.
Readers find them through `current_app`, so two apps in one process never share or double anything,
and a new domain joins without editing another one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from .labels import EntityWords

KEY = "patrolbook"

# fn(user, estate, now) -> Markup | None: a section of a start page.
Section = Callable[[object, object, datetime], object]


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # lazy string
    roles: frozenset[str]
    order: int = 50
    # "bottom": the phone's bottom bar, ≤ 5 items per role (a desk role's shows under 600 px only);
    # "desk": the section bar (folded into a menu on a phone); "me": links on 我的
    slot: str = "desk"
    badge: str | None = None  # e.g. "outbox": filled by the client


@dataclass(frozen=True)
class Obligation:
    """Something due by a date, shown on home pages until done (computed, never stored)."""

    kind: str
    rule: str
    title: str
    due: datetime
    url: str | None = None

    def overdue(self, now: datetime) -> bool:
        return now > self.due


@dataclass(frozen=True)
class DayItem:
    """One line of an officer's daily work record (R-REC-1), told by the domain that holds the work."""

    key: str  # "<kind>:<record id>": what a supervisor's reply to this line points at
    kind: object  # lazy string: 巡查, 装修巡查, 家访…
    time: datetime | None  # UTC
    text: str
    url: str | None = None


# fn(user_id, day, zone) -> list[DayItem]: a domain's part of an officer's day.
DayItems = Callable[[int, date, ZoneInfo], list[DayItem]]


class Hooks:
    """One app's registries, filled by the domains' init_app in create_app's order."""

    def __init__(self) -> None:
        self.nav: list[NavItem] = []
        self.obligations: list[Callable] = []  # fn(user, estate, now) -> list[Obligation]
        self.today: list[tuple[int, Section]] = []
        self.overview: list[tuple[int, Section]] = []
        self.entity_labels: dict[str, EntityWords] = {}  # sync entity name → its words, for inboxes and the outbox
        self.offline_pages: list[Callable] = []  # fn(user) -> same-site URLs that user needs offline
        self.demo: list[Callable] = []  # fn(session, ctx) -> None, run after the demo estate is seeded
        self.scale: list[Callable] = []  # fn(session, ctx) -> None, run after a scale estate is built
        self.unit_states: list[Callable] = []  # fn(unit_ids) -> {unit_id: occupancy}, e.g. "renovating"
        self.day_items: list[DayItems] = []  # an officer's day's work, for the daily work record
        self.unit_sections: list[Callable] = []  # fn(user, unit) -> Markup | None, on a unit's page

    def add_nav_item(self, endpoint: str, label, roles: Iterable, order: int = 50, slot: str = "desk",
                     badge: str | None = None) -> None:
        self.nav.append(NavItem(endpoint, label, frozenset(str(r) for r in roles), order, slot, badge))
        self.nav.sort(key=lambda item: item.order)

    def add_obligations(self, provider: Callable) -> None:
        """provider(user, estate, now) -> list[Obligation], shown on the home pages until done."""
        self.obligations.append(provider)

    def add_today_section(self, section: Section, order: int = 50) -> None:
        """A section of the officer's 今日 page, rendered in `order`."""
        self.today.append((order, section))
        self.today.sort(key=lambda pair: pair[0])

    def add_overview_section(self, section: Section, order: int = 50) -> None:
        """A section of the desk 总览 page (order < 10 comes before the obligations list: emergencies first)."""
        self.overview.append((order, section))
        self.overview.sort(key=lambda pair: pair[0])

    def add_entity_labels(self, labels: Mapping[str, object]) -> None:
        """entity name → EntityWords (or a bare lazy label): how its records and fields are called."""
        self.entity_labels.update({name: words if isinstance(words, EntityWords) else EntityWords(words)
                                   for name, words in labels.items()})

    def add_offline_pages(self, provider: Callable) -> None:
        """provider(user) -> URLs (same-site paths) that user needs offline (webapp.pwa.offline_pages)."""
        self.offline_pages.append(provider)

    def add_unit_states(self, provider: Callable) -> None:
        """provider(unit_ids) -> {unit_id: occupancy}: what another domain knows of a unit right now (a
        renovation under way), over the occupancy the register records."""
        self.unit_states.append(provider)

    def add_day_items(self, provider: DayItems) -> None:
        """provider(user_id, day, zone) -> [DayItem]: what the officer did that local day in this domain, a
        part of their daily work record (R-REC-1). A domain joins the record by registering one."""
        self.day_items.append(provider)
    def add_unit_section(self, section: Callable) -> None:
        """section(user, unit) -> Markup | None: what another domain keeps of a unit and its households
        (their arrears history), shown on the unit's page."""
        self.unit_sections.append(section)

    def add_demo(self, extend: Callable) -> None:
        """extend(session, ctx): the domain's demo history, after the demo estate (webapp.demo.seed)."""
        self.demo.append(extend)

    def add_scale(self, extend: Callable) -> None:
        """extend(session, ctx): the domain's history of a scale estate, written in bulk (webapp.scale.build)."""
        self.scale.append(extend)


def init_app(app: Flask) -> Hooks:
    hooks = app.extensions[KEY] = Hooks()
    app.jinja_env.globals.update(nav_for=nav_for, entity_label=entity_label, entity_words=entity_words)
    return hooks


def hooks_of(app: Flask | None = None) -> Hooks:
    return (app or current_app).extensions[KEY]


def nav_for(user, slot: str) -> list[NavItem]:
    return [item for item in hooks_of().nav if item.slot == slot and user.role in item.roles]


def obligations_for(user, estate, now) -> list[Obligation]:
    found = [ob for provider in hooks_of().obligations for ob in provider(user, estate, now)]
    return sorted(found, key=lambda ob: ob.due)


def today_sections(user, estate, now) -> list:
    return _rendered(hooks_of().today, user, estate, now)


def overview_sections(user, estate, now) -> list:
    return _rendered(hooks_of().overview, user, estate, now)


def _rendered(sections: list[tuple[int, Section]], user, estate, now) -> list:
    return [html for _, section in sections if (html := section(user, estate, now))]


def unit_states(unit_ids) -> dict[int, str]:
    ids = list(unit_ids)
    return {unit: state for provider in hooks_of().unit_states for unit, state in provider(ids).items()}


def day_items(user_id: int, day: date, zone: ZoneInfo) -> list[DayItem]:
    """Every domain's part of the officer's day, in the order it was done (undated lines last; lines of one
    moment in their domain's order: a visit before the matters it raised)."""
    found = [item for provider in hooks_of().day_items for item in provider(user_id, day, zone)]
    return sorted(found, key=lambda item: (item.time is None, item.time or datetime.min))


def entity_words(name: str) -> EntityWords:
    """The words of a synced entity; an unknown one is called by its name."""
    return hooks_of().entity_labels.get(name) or EntityWords(name)


def entity_label(name: str) -> str:
    return str(entity_words(name).label)


def client_entity_words() -> dict[str, dict]:
    """Every entity's words a script may need (the outbox page), in the user's language."""
    return {name: words.for_client() for name, words in hooks_of().entity_labels.items()}


def unit_sections(user, unit) -> list:
    return [html for section in hooks_of().unit_sections if (html := section(user, unit))]

"""Labels in the user's language: bilingual master data (zh/en columns), enums with a `label`, and the
words for a synced entity and its fields (EntityWords).

An enum of a domain keeps its labels beside it, the house pattern::

    class Status(enum.StrEnum):
        OPEN = "open"

        @property
        def label(self) -> str:
            return str(STATUS_LABELS[self])

    STATUS_LABELS = {Status.OPEN: _l("Open")}
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import get_locale


def zh_or_en(zh: str, en: str) -> str:
    """The label in the user's language (zh-CN is the default UI)."""
    return zh if str(get_locale() or "zh").startswith("zh") else (en or zh)


def label_of(kind: type[enum.StrEnum], value: str) -> str:
    """The label of `value` as a member of `kind`; the value itself when it is none (older data)."""
    return kind(value).label if value in kind._value2member_map_ else value


def choices(members) -> list[tuple[str, str]]:
    """(value, label) pairs for a select, in the order given."""
    return [(member.value, member.label) for member in members]


# fn(value) -> label, for values only the server can name (an area id, a person's id)
Namer = Callable[[Any], str]
ValueWords = Mapping[str, object] | type[enum.StrEnum] | Namer


@dataclass(frozen=True)
class EntityWords:
    """How people call one kind of synced record, for screens that show records generically (the outbox,
    the conflicts inbox): a domain gives them once in its entities.py and hooks.add_entity_labels files
    them, so a new domain's records read in plain words everywhere without editing those screens.

    label    what one record is called (巡查, 随手记)
    fields   field name → label (lazy)
    values   field name → its coded values' labels: a mapping, a StrEnum with `label`, or fn(value)
    summary  the fields that tell one record from another, in order: a place, an item, a note's text
             (the phone shows those that are text; the server names the others through `values`)
    url      fn(record_id, values) -> the record's page, or None (values: its stored or proposed fields)
    """

    label: object
    fields: Mapping[str, object] = field(default_factory=dict)
    values: Mapping[str, ValueWords] = field(default_factory=dict)
    summary: tuple[str, ...] = ()
    url: Callable[[str, Mapping], str | None] | None = None

    def field_label(self, name: str) -> str:
        return str(self.fields.get(name, name))

    def value_label(self, name: str, value) -> object:
        """The label of a coded value; the value itself when nothing names it."""
        words = self.values.get(name)
        if words is None or value is None:
            return value
        if isinstance(words, type) and issubclass(words, enum.StrEnum):
            return label_of(words, value) if isinstance(value, str) else value
        if isinstance(words, Mapping):
            return str(words[value]) if isinstance(value, str) and value in words else value
        return words(value)

    def which(self, values: Mapping) -> str:
        """Which record this is, in words: its summary fields' labels or first words, joined."""
        parts = (self.value_label(name, values.get(name)) for name in self.summary)
        return " · ".join(_first_words(p) for p in parts if isinstance(p, str) and p.strip())

    def choices(self, name: str) -> list[tuple[str, str]] | None:
        """(value, label) pairs of a field whose values are a fixed set (for a select); None otherwise."""
        words = self.values.get(name)
        return list(_mapping(words).items()) if isinstance(words, Mapping | type) else None

    def for_client(self) -> dict:
        """What a page hands its script (JSON): the labels that need no server to look up."""
        # ids only the server can name (an area, a person): a page shows them only when they need fixing
        named = [name for name, words in self.values.items() if _server_only(words)]
        values = {name: _mapping(words) for name, words in self.values.items() if not _server_only(words)}
        return {"label": str(self.label), "fields": {k: str(v) for k, v in self.fields.items()},
                "values": values, "summary": list(self.summary), "named": named}


FIRST_WORDS = 40


def _first_words(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= FIRST_WORDS else text[:FIRST_WORDS] + "…"


def _server_only(words) -> bool:
    return callable(words) and not isinstance(words, type)


def _mapping(words) -> dict[str, str]:
    if isinstance(words, type):
        return {member.value: member.label for member in words}
    return {str(k): str(v) for k, v in words.items()}

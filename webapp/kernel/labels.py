"""Labels in the user's language: bilingual master data (zh/en columns) and enums with a `label`.

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

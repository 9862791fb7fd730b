"""JSON from outside (a push body, JSON held in a form field), read within bounds.

Python's parser recurses once per level of nesting, and so does every walker after it (the guard,
the schemas, the JSON encoders of the database and of the answer): a body nested a thousand deep
is a RecursionError somewhere, a 500. So the nesting is measured on the raw text first, without
parsing — string literals removed, then the brackets counted, each step in C — and anything deeper
than MAX_DEPTH is refused before the parser sees it. The protocol's deepest legitimate value is a
few levels (envelope → mutations → mutation → fields → a list of checks → a check).

Text is also where a lone UTF-16 surrogate comes from: a phone's JavaScript that cut a string inside
an emoji sends "\\ud83d", which JSON accepts and no database or UTF-8 encoder does. `lone_surrogate`
finds one (a Python str from a JSON parser never holds a *paired* surrogate: it joins them).
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 32

_KEEP = bytes(b for b in range(256) if b not in b'"[]{}')  # translate() deletes all the rest
_PARENS = bytes.maketrans(b"[{]}", b"(())")
_STRING = re.compile(rb'"[^"]*"')
_SURROGATE = re.compile("[\ud800-\udfff]")


class TooDeep(ValueError):
    """JSON nested deeper than allowed."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"JSON nested deeper than {limit} levels")
        self.limit = limit


def nesting(text: bytes | str, limit: int = MAX_DEPTH) -> int:
    """How deep the arrays and objects of a JSON text nest (brackets inside strings do not count),
    counted up to limit + 1. Every step runs in C: a push body of a megabyte takes about a millisecond."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    if b"\\" in raw:  # escaped backslashes, then escaped quotes: what is left of `"` opens or closes a string
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    # Only quotes and brackets matter. Two adjacent quotes go together whichever strings they
    # belong to (an empty string, or a closing and an opening one with no bracket between).
    shape = raw.translate(_PARENS, _KEEP).replace(b'""', b"")
    if b'"' in shape:
        shape = _STRING.sub(b"", shape)
    depth = 0
    while shape and depth <= limit:  # each pass removes the innermost level
        inner = shape.replace(b"()", b"")
        if len(inner) == len(shape):  # unbalanced, not JSON: the parser still recurses into what is open
            return depth + shape.count(b"(")
        shape, depth = inner, depth + 1
    return depth


def too_deep(text: bytes | str, limit: int = MAX_DEPTH) -> bool:
    if isinstance(text, str):
        opened = text.count("[") + text.count("{")
    else:
        opened = text.count(b"[") + text.count(b"{")
    return opened > limit and nesting(text, limit) > limit  # few brackets cannot nest deeply: no scan


def loads(text: bytes | str, limit: int = MAX_DEPTH) -> Any:
    """json.loads, refusing nesting deeper than `limit` (TooDeep) before parsing. Malformed text
    raises ValueError as json.loads does (JSONDecodeError, UnicodeDecodeError)."""
    if too_deep(text, limit):
        raise TooDeep(limit)
    return json.loads(text)


def lone_surrogate(text: str) -> bool:
    """True when `text` holds half of a UTF-16 surrogate pair (it cannot be stored or encoded)."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def printable(text: str) -> str:
    """`text` with NUL and lone surrogates written as escapes: safe to answer and to store, e.g. as
    the key of a field error about that very key."""
    if "\x00" in text:
        text = text.replace("\x00", "\\0")
    if text.isascii():
        return text
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

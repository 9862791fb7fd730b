"""How a day's duty log is laid out (R-DUTY-1): each entry with the corrections that point at it, in the order
the server chained them; a correction of an entry of another day stands on its own, naming what it corrects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Line:
    entry: object
    corrections: list = field(default_factory=list)


def lines_of(entries: Sequence) -> list[Line]:
    shown = {e.id for e in entries}
    lines = {e.id: Line(e) for e in entries if e.corrects_id not in shown}
    for entry in sorted((e for e in entries if e.corrects_id in shown), key=lambda e: e.seq or 0):
        root = entry.corrects_id
        while root not in lines:  # a correction of a correction joins the first entry's line
            root = next(e.corrects_id for e in entries if e.id == root)
        lines[root].corrections.append(entry)
    return list(lines.values())

"""A page of a long, newest-first list without counting the whole list: the rows of the page and one
more, which says whether there is a next page. Counting every round of a year to print "1 / 2087"
costs more than the page itself and grows with the history; a feed needs only Previous and Next."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request

from ..extensions import db


@dataclass(frozen=True)
class Window:
    items: list
    page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def window(query, per_page: int) -> Window:
    """The `?page=` of the query's rows (1 when missing or not a positive number)."""
    page = request.args.get("page", 1, type=int)
    page = page if page and page > 0 else 1
    rows = db.session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)).unique().all()
    return Window(list(rows[:per_page]), page, len(rows) > per_page)

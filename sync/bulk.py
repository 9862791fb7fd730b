"""Many rows at once: INSERT them (COPY on PostgreSQL, Core executemany elsewhere), or match a
column against many values (`one_of`).

psycopg's executemany sends one INSERT per row (pipelined); COPY streams the rows in one statement,
which makes a push's writes several times cheaper on PostgreSQL. The rows get what an executemany
would give them: each column's bind processing (UTC datetimes, JSON) and the Python-side defaults
of the columns they leave out. A refusal is raised as SQLAlchemy's own DBAPIError subclass
(IntegrityError, DataError, OperationalError…), so sync/batch.py's savepoint fallback treats it
like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, any_, bindparam, insert
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement


def one_of(session: Session, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN (values)`; on PostgreSQL `column = ANY(array)`: one parameter, so a batch's 200
    ids neither re-render the statement nor defeat psycopg's statement cache."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` (dicts keyed by column key, all with the same keys) in their order."""
    if not rows:
        return
    connection = session.connection()
    plan = _copy_plan(connection, table, rows) if connection.dialect.name == "postgresql" else None
    if plan is None:
        session.execute(insert(table), rows)
    else:
        _copy(connection, plan, rows)


@dataclass(frozen=True, slots=True)
class _CopyPlan:
    statement: str
    given: list[tuple[str, Callable | None]]  # each row's keys, with their bind processors
    defaults: list[Callable[[], Any]]  # values for the columns the rows leave out


def _copy_plan(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> _CopyPlan | None:
    """How to COPY these rows, or None when only an INSERT can say it (mixed keys, a SQL default)."""
    keys = rows[0].keys()
    if any(row.keys() != keys for row in rows):
        return None
    dialect = connection.dialect
    given = [(key, table.c[key].type._cached_bind_processor(dialect)) for key in keys]
    defaulted, defaults = [], []
    for column in table.columns:
        default = column.default
        if column.key in keys or default is None:
            continue
        make = _default_maker(default, column.type._cached_bind_processor(dialect))
        if make is None:
            return None  # a sequence, a SQL expression or a default reading the INSERT's context
        defaulted.append(column)
        defaults.append(make)
    quote = dialect.identifier_preparer
    names = ", ".join(quote.format_column(table.c[key]) for key in keys)
    names += "".join(", " + quote.format_column(column) for column in defaulted)
    return _CopyPlan(f"COPY {quote.format_table(table)} ({names}) FROM STDIN", given, defaults)


def _default_maker(default: Any, processor: Callable | None) -> Callable[[], Any] | None:
    """A column's Python default as a maker of bound values, or None when COPY cannot give it."""
    if default.is_scalar:
        def make():
            return default.arg
    elif default.is_callable:
        # SQLAlchemy wraps a no-argument default to take an execution context: ours ignore it.
        try:
            default.arg(None)
        except (AttributeError, TypeError):
            return None  # it reads the context

        def make():
            return default.arg(None)
    else:
        return None
    return (lambda: processor(make())) if processor else make


def _copy(connection: Connection, plan: _CopyPlan, rows: Sequence[dict[str, Any]]) -> None:
    import psycopg

    raw = connection.connection.driver_connection
    try:
        with raw.cursor() as cursor, cursor.copy(plan.statement) as copy:
            for row in rows:
                values = [process(row[key]) if process else row[key] for key, process in plan.given]
                values.extend(make() for make in plan.defaults)
                copy.write_row(values)
    except psycopg.Error as error:
        raise DBAPIError.instance(plan.statement, None, error, psycopg.Error, dialect=connection.dialect) from error

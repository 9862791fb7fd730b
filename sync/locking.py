"""One writer at a time for everything that appends to the change log.

Pull pages through `seq`. If two pushes could commit out of seq order, a reader could move its
cursor past a change that commits a moment later and never see it. So writers serialise:
PostgreSQL takes a transaction-scoped advisory lock before reading the mutation log; SQLite takes
its write lock up front (BEGIN IMMEDIATE), so a concurrent replay waits and then reads the first
push's results instead of failing on a stale snapshot.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

# Arbitrary, fixed: the key of Patrolbook's sync writer lock ("PBSYNC" in ASCII).
ADVISORY_LOCK_KEY = 0x504253594E43


# The engine's reads look up a batch of ids (`= ANY(<array>)`, sync/bulk.py). psycopg prepares a
# statement after a few runs and PostgreSQL may then keep a generic plan made when the tables were
# small: a sequential scan testing every row against the ids, which grows with the table (85 ms a
# lookup at 10,000 rows).
# Custom plans see the ids and use the primary key; planning them costs a fraction of a millisecond.
_CUSTOM_PLANS = "set_config('plan_cache_mode', 'force_custom_plan', true)"


def lock_writers(session: Session) -> None:
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text(f"SELECT pg_advisory_xact_lock(:key), {_CUSTOM_PLANS}"), {"key": ADVISORY_LOCK_KEY})
    elif dialect == "sqlite" and not connection.connection.driver_connection.in_transaction:
        # pysqlite only opens a transaction before the first write; open it now, as a writer.
        # (If the caller already wrote in this transaction, SQLite's write lock is held already.)
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def plan_per_query(session: Session) -> None:
    """For a reader (pull): custom plans for the rest of this transaction (see _CUSTOM_PLANS)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SELECT {_CUSTOM_PLANS}"))

"""Serialise the operations that replace a whole set (attendance, agenda order, budget months…).

A replacement reads the set, compares it with what was sent and writes the difference. Two
of them running at once must not interleave, or the result is a merge that neither client
sent and an audit trail written against a stale "before". So each one first takes the lock
its database gives, and only then reads:

- PostgreSQL: ``SELECT … FOR UPDATE`` on the parent row (the meeting), or a transaction-level
  advisory lock on a name when the set has no parent row (a fiscal year's budget months);
- SQLite: it has one writer at a time, so the write transaction is begun *before* the read
  (``BEGIN IMMEDIATE``); a second writer waits (``busy_timeout``) until the first commits,
  then reads what the first wrote. The Python driver opens a transaction only at the first
  write, which is why the reads would otherwise see the state before the other's commit.

Both locks end with the transaction: the operation's commit or rollback at the boundary.
What was loaded before the lock is stale by definition, so callers re-read afterwards
(``FRESH`` execution options).
"""

from __future__ import annotations

import zlib

import sqlalchemy as sa

from governance.extensions import db

#: execution options for the read after a lock: overwrite what the session already holds
FRESH = {"populate_existing": True}


def lock_row(model: type, record_id: int) -> None:
    """Hold ``model``'s row ``record_id`` until the transaction ends (absent rows lock nothing)."""
    if _begin_sqlite_write():
        return
    table = model.__table__  # type: ignore[attr-defined]
    db.session.execute(sa.select(table.c.id).where(table.c.id == record_id).with_for_update())


def lock_name(name: str, key: int) -> None:
    """Hold the lock called (``name``, ``key``) until the transaction ends; no row needed."""
    if _begin_sqlite_write():
        return
    # Two int4 keys: the name's CRC (as signed) and the key, e.g. ("budget", 2563).
    namespace = zlib.crc32(name.encode()) - (1 << 31)
    db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(namespace, key)))


def _begin_sqlite_write() -> bool:
    """On SQLite, make sure this transaction holds the write lock; False on other databases."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return False
    raw = connection.connection.dbapi_connection
    # in_transaction is true only once this connection has written (the driver begins at the
    # first write), and a transaction that has written already holds the write lock.
    if not raw.in_transaction:  # type: ignore[union-attr]
        raw.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]
    return True

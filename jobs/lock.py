"""Exactly one scheduler per deployment: a lock held for the scheduler process's whole life.

- **PostgreSQL**: ``pg_try_advisory_lock`` on a dedicated connection (its own engine, no
  pool) that stays open while the scheduler runs.  The lock belongs to that session, so
  it is released when the process exits, however it exits (the server notices the
  closed connection); no stale lock survives a crash.  A second scheduler, on this
  machine or another, finds the lock taken, says so in its log, and tries again every
  few seconds: when the first stops it takes over.
- **SQLite**: the database is a file on one machine, so the lock is an exclusive
  ``fcntl.flock`` on ``<database>.scheduler-lock`` beside it: the same waiting and
  taking over for a second process on that machine; released by the kernel on exit.
- An in-memory SQLite database (tests) or any other database: no lock (logged).

The lock is not a lease: while the scheduler runs it checks every so often that its
lock connection is still alive (a PostgreSQL restart drops the session and with it the
lock); if not, the scheduler stops, and the service manager starts it again, to wait
for the lock like any newcomer.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa

log = logging.getLogger(__name__)

#: the advisory lock's key: a stable 63-bit number derived from the app's name
ADVISORY_KEY = int.from_bytes(hashlib.sha256(b"governance.scheduler").digest()[:8], "big") >> 1
#: seconds between attempts while another scheduler holds the lock
RETRY_SECONDS = 2.0


class SchedulerLock(Protocol):
    description: str

    def try_acquire(self) -> bool: ...

    def still_held(self) -> bool: ...

    def release(self) -> None: ...


class NoLock:
    description = "no lock (in-memory or unknown database)"

    def try_acquire(self) -> bool:
        return True

    def still_held(self) -> bool:
        return True

    def release(self) -> None:
        return None


class AdvisoryLock:
    """A PostgreSQL session-level advisory lock on a connection of its own."""

    def __init__(self, database_url: str, key: int = ADVISORY_KEY) -> None:
        self.key = key
        url = sa.engine.make_url(database_url)
        self.description = f"PostgreSQL advisory lock {key} on database {url.database!r}"
        # No pool: one connection, opened here and closed in release().
        # TCP keepalives: after a network partition the server drops the dead session (and
        # its lock) within about a minute instead of hours, so a standby can take over, and
        # still_held() does not hang on a half-open connection.
        self._engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={
            "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3,
            "connect_timeout": 10})
        self._connection: sa.Connection | None = None

    def try_acquire(self) -> bool:
        if self._connection is None:
            self._connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return bool(self._connection.execute(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar())

    def still_held(self) -> bool:
        """The session holds the lock until it ends, so: is the session still there?"""
        if self._connection is None:
            return False
        try:
            self._connection.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.DBAPIError:
            log.exception("the scheduler lock's connection failed")
            return False

    def release(self) -> None:
        connection, self._connection = self._connection, None
        try:
            if connection is not None:
                try:
                    connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
                except sa.exc.DBAPIError:
                    pass  # the session is gone, and its lock with it
                finally:
                    connection.close()
        finally:
            self._engine.dispose()


class FileLock:
    """An exclusive flock on a file beside the SQLite database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"file lock {path}"
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        os.ftruncate(self._fd, 0)
        os.write(self._fd, f"{os.getpid()}\n".encode())
        return True

    def still_held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def lock_for(database_url: str) -> SchedulerLock:
    url = sa.engine.make_url(database_url)
    backend = url.get_backend_name()
    if backend == "postgresql":
        return AdvisoryLock(database_url)
    if backend == "sqlite" and url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        return FileLock(Path(url.database).with_name(Path(url.database).name + ".scheduler-lock"))
    return NoLock()


def wait_for(lock: SchedulerLock, stop: threading.Event, retry_seconds: float = RETRY_SECONDS) -> bool:
    """Take ``lock``, waiting while another scheduler holds it; False if ``stop`` was set first."""
    waited = 0.0
    while not stop.is_set():
        if lock.try_acquire():
            if waited:
                log.info("took the scheduler lock (%s) after waiting %.0f s: this scheduler now runs the jobs",
                         lock.description, waited)
            else:
                log.info("holding the scheduler lock (%s)", lock.description)
            return True
        if not waited:
            log.warning("another scheduler holds the lock (%s); waiting to take over when it stops",
                        lock.description)
        stop.wait(retry_seconds)
        waited += retry_seconds
    return False

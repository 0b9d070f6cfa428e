"""Backups: the whole database to one file and back, consistent while the app runs.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies every page under one
read transaction, so the copy is a snapshot of committed data even while requests write;
it copies the schema, indexes and triggers with the rows. PostgreSQL: ``pg_dump
--format=custom`` (one snapshot) and ``pg_restore --clean --if-exists --no-owner`` in a
single transaction, so a failed restore changes nothing.

A backup is written to a temporary file beside PATH (mode 0600: it holds password hashes)
and renamed over PATH only when complete, so a failed run never spoils an older backup.
A restore refuses a database that already holds records unless ``force`` is given.

Running pg_dump and pg_restore is this module's job (hence bandit's B404/B603 marked as
seen): a tool found by ``pg_tool``, an argument list of our own options, never a shell.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from governance.extensions import db
from governance.services.errors import ServiceError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
#: Bookkeeping tables that hold no records: a database with rows only here counts as empty.
BOOKKEEPING_TABLES = frozenset({"alembic_version", "apscheduler_jobs"})


class BackupFailed(ServiceError):
    code = "backup_failed"


@dataclass(frozen=True)
class Outcome:
    """What a backup or restore did, for the command to print."""

    path: Path
    database: str  # the database URL without its password
    method: str
    size: int  # bytes of the backup file
    tables: int
    rows: int | None = None  # None when not counted (a PostgreSQL backup)


# --- entry points ---------------------------------------------------------------------

def backup(path: Path | str) -> Outcome:
    """Copy the app's database to ``path`` (replaced atomically if it exists)."""
    path = Path(path).expanduser().resolve()
    if path.is_dir():
        raise BackupFailed(f"{path} is a directory; give a file name.")
    if not path.parent.is_dir():
        raise BackupFailed(f"The folder {path.parent} does not exist.")
    engine = db.engine
    dialect = engine.dialect.name
    if dialect == "sqlite":
        return _sqlite_backup(engine, path)
    if dialect == "postgresql":
        return _pg_backup(engine.url, path)
    raise BackupFailed(f"Backups of {dialect} databases are not supported (SQLite and PostgreSQL are).")


def restore(path: Path | str, *, force: bool = False) -> Outcome:
    """Replace the app's database with the backup at ``path``.

    Refused when the database already holds records, unless ``force``.
    """
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise BackupFailed(f"No backup file at {path}.")
    engine = db.engine
    dialect = engine.dialect.name
    kind = backup_kind(path)
    expected = {"sqlite": "sqlite", "postgresql": "pg_dump"}.get(dialect)
    if expected is None:
        raise BackupFailed(f"Restoring into {dialect} databases is not supported (SQLite and PostgreSQL are).")
    if kind != expected:
        found = {"sqlite": "a SQLite database", "pg_dump": "a PostgreSQL custom-format dump"}.get(
            kind, "neither a SQLite database nor a PostgreSQL custom-format dump")
        raise BackupFailed(f"{path} is {found}; this app's database is {dialect}.")
    if dialect == "sqlite" and _sqlite_file(engine.url) == path:
        raise BackupFailed(f"{path} is the app's database itself, not a backup of it.")
    db.session.remove()
    if not force:
        rows = record_counts(engine)
        holding = {name: count for name, count in rows.items() if count}
        if holding:
            listed = ", ".join(f"{name} ({count})" for name, count in sorted(holding.items()))
            raise BackupFailed(f"The database {_describe(engine.url)} is not empty: {listed}. "
                               "Restore into an empty database, or pass --force to replace it.")
    if dialect == "sqlite":
        outcome = _sqlite_restore(engine, path)
    else:
        outcome = _pg_restore(engine.url, path)
    engine.dispose()  # pooled connections must not outlive the old schema
    return outcome


def backup_kind(path: Path) -> str | None:
    """'sqlite', 'pg_dump' (custom format) or None, from the file's first bytes."""
    with open(path, "rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "pg_dump"
    return None


def record_counts(engine: Engine) -> dict[str, int]:
    """Rows per table in the database's default schema, bookkeeping tables left out."""
    with engine.connect() as connection:
        names = sa.inspect(connection).get_table_names()
        return {name: connection.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
                for name in names if name not in BOOKKEEPING_TABLES}


# --- SQLite ---------------------------------------------------------------------------

def _sqlite_backup(engine: Engine, path: Path) -> Outcome:
    source_file = _sqlite_file(engine.url)
    if source_file is not None and source_file == path:
        raise BackupFailed("The backup file cannot be the database itself.")
    with _staged(path) as staging:
        raw = engine.raw_connection()
        try:
            target = sqlite3.connect(staging)
            try:
                # pages=-1: every page in one step, under one read transaction: a snapshot.
                raw.driver_connection.backup(target, pages=-1)
                # The copy inherits WAL mode; make it one self-contained file.
                target.execute("PRAGMA journal_mode=DELETE")
                tables, rows = _sqlite_check(target, staging)
            finally:
                target.close()
        finally:
            raw.close()
    return Outcome(path, _describe(engine.url), "SQLite online backup API", path.stat().st_size, tables, rows)


def _sqlite_restore(engine: Engine, path: Path) -> Outcome:
    source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        _sqlite_check(source, path)
        raw = engine.raw_connection()
        try:
            # Replaces every page of the app's database (schema, triggers and rows) in one step.
            source.backup(raw.driver_connection, pages=-1)
        except sqlite3.Error as error:
            raise BackupFailed(f"Restoring {path} failed: {error}") from None
        finally:
            raw.close()
    finally:
        source.close()
    counts = record_counts(engine)
    return Outcome(path, _describe(engine.url), "SQLite online backup API", path.stat().st_size,
                   len(counts), sum(counts.values()))


def _sqlite_check(connection: sqlite3.Connection, path: Path | str) -> tuple[int, int]:
    """Integrity-check a SQLite database; returns (tables, rows) without bookkeeping tables."""
    try:
        result = connection.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise BackupFailed(f"{path} fails SQLite's integrity check: {result[:5]}")
        names = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            if name not in BOOKKEEPING_TABLES]
        # Table names come from sqlite_master itself, quoted as identifiers.
        counts = (f'SELECT count(*) FROM "{_sqlite_identifier(name)}"' for name in names)
        rows = sum(connection.execute(query).fetchone()[0] for query in counts)
    except sqlite3.DatabaseError as error:
        raise BackupFailed(f"{path} is not a usable SQLite database: {error}") from None
    return len(names), rows


def _sqlite_identifier(name: str) -> str:
    return name.replace('"', '""')


def _sqlite_file(url: URL) -> Path | None:
    name = url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name).expanduser().resolve()


# --- PostgreSQL -----------------------------------------------------------------------

def _pg_backup(url: URL, path: Path) -> Outcome:
    pg_dump = pg_tool("pg_dump")
    with _staged(path) as staging:
        _run([pg_dump, "--format=custom", "--no-password", f"--file={staging}", f"--dbname={_libpq_url(url)}"],
             url, "pg_dump")
        tables = _pg_archive_tables(staging)
    return Outcome(path, _describe(url), f"{_version(pg_dump)} --format=custom", path.stat().st_size,
                   tables)


def _pg_restore(url: URL, path: Path) -> Outcome:
    pg_restore = pg_tool("pg_restore")
    _pg_archive_tables(path)  # refuses a damaged archive before anything is dropped
    # One transaction: if any statement fails, the database is left as it was.
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
          "--no-password", f"--dbname={_libpq_url(url)}", str(path)], url, "pg_restore")
    counts = record_counts(db.engine)
    return Outcome(path, _describe(url), f"{_version(pg_restore)} --clean --if-exists --no-owner",
                   path.stat().st_size, len(counts), sum(counts.values()))


def pg_tool(name: str) -> str:
    """``name`` from $PG_BINDIR, else PATH, else the newest /usr/lib/postgresql/*/bin."""
    bindir = os.environ.get("PG_BINDIR")
    candidates = [os.path.join(bindir, name)] if bindir else []
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    candidates += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key, reverse=True)
    for candidate in candidates:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise BackupFailed(f"{name} was not found (looked in $PG_BINDIR, PATH and /usr/lib/postgresql/*/bin); "
                       "install the PostgreSQL client tools.")


def _pg_archive_tables(path: Path | str) -> int:
    """Validates a custom-format archive (pg_restore --list); returns its tables with data."""
    listing = _run([pg_tool("pg_restore"), "--list", str(path)], None, "pg_restore --list")
    # Lines like "215; 0 16390 TABLE DATA public director postgres"; ";" starts a comment.
    names = [line.split(" TABLE DATA ", 1)[1].split()[1:2] for line in listing.splitlines()
             if " TABLE DATA " in line and not line.startswith(";")]
    return sum(1 for name in names if name and name[0] not in BOOKKEEPING_TABLES)


def _run(argv: list[str], url: URL | None, what: str) -> str:
    env = dict(os.environ)
    if url is not None and url.password:
        env["PGPASSWORD"] = str(url.password)  # not on the command line, where ps would show it
    # argv[0] is a pg tool found by pg_tool(); the rest are our own options and paths.
    result = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)  # nosec B603
    if result.returncode != 0:
        message = result.stderr.strip() or result.stdout.strip() or f"exit status {result.returncode}"
        raise BackupFailed(f"{what} failed: {message}")
    return result.stdout


def _libpq_url(url: URL) -> str:
    """The SQLAlchemy URL as libpq takes it: no driver suffix, no password."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _version(tool: str) -> str:
    """E.g. "pg_dump 15.18", from "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"."""
    name = os.path.basename(tool)
    try:
        match = re.search(r"\d+(?:\.\d+)+", _run([tool, "--version"], None, tool))
    except BackupFailed:
        return name
    return f"{name} {match.group(0)}" if match else name


def _version_key(path: str) -> tuple[int, ...]:
    match = re.search(r"/postgresql/([\d.]+)/", path)
    return tuple(int(part) for part in match.group(1).split(".") if part) if match else ()


# --- shared ---------------------------------------------------------------------------

class _staged:
    """A private temporary file beside ``path``, renamed over it on success, removed on failure."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> str:
        handle, self.staging = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".partial", dir=self.path.parent)
        os.close(handle)  # mkstemp made it 0600, which the tools keep when they write into it
        return self.staging

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            with open(self.staging, "rb") as file:
                os.fsync(file.fileno())
            os.replace(self.staging, self.path)
            folder = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)  # the rename itself survives a power loss
            finally:
                os.close(folder)
        else:
            for leftover in (self.staging, self.staging + "-journal", self.staging + "-wal", self.staging + "-shm"):
                if os.path.exists(leftover):
                    os.unlink(leftover)


def _describe(url: URL) -> str:
    return url.render_as_string(hide_password=True)

"""`flask backup` / `flask restore`: a round trip into an empty database loses nothing.

Runs on SQLite (a second SQLite file) and, when TEST_DATABASE_URL is set, on PostgreSQL
(a second database created on the same server and dropped afterwards). Every table of
the models is compared row by row and column by column (the audit trail included, whose
chain must still verify), and so are the row counts of tables the models don't declare and
the triggers (the audit trail's append-only guard).
"""

from __future__ import annotations

import os
import stat
import uuid

import pytest
import sqlalchemy as sa

from governance import create_app
from governance.extensions import db
from governance.models import Director
from governance.services import backups

GUARD_TRIGGER = "backup_test_guard"


def snapshot(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every row of every model table, in primary-key order."""
    with engine.connect() as connection:
        out = {}
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(row) for row in connection.execute(sa.select(table).order_by(*order))]
        return out


def all_row_counts(engine: sa.Engine) -> dict[str, int]:
    """Rows of every table in the database, bookkeeping ones (alembic_version) included."""
    with engine.connect() as connection:
        return {name: connection.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
                for name in sa.inspect(connection).get_table_names()}


def triggers(engine: sa.Engine) -> set[tuple]:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            return set(connection.execute(sa.text(
                "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger'")))
        return set(connection.execute(sa.text(
            "SELECT event_object_table, trigger_name, action_timing, event_manipulation, action_statement "
            "FROM information_schema.triggers WHERE trigger_schema = current_schema()")))


@pytest.fixture
def empty_database_url(app, tmp_path):
    """The URL of a second, empty database on the same engine as the test database."""
    source = db.engine
    if source.dialect.name == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    name = f"{source.url.database}_restore_{uuid.uuid4().hex[:8]}"
    quoted = source.dialect.identifier_preparer.quote(name)
    with source.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text(f"CREATE DATABASE {quoted}"))
    try:
        yield source.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with source.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))


@pytest.fixture
def target(empty_database_url):
    """A second app on the empty database: ``target.restore(path)`` runs its `flask restore`."""

    class Target:
        app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": empty_database_url})

        def cli(self, *args):
            # Flask's CLI reuses an active app context: push this app's, or the test's own is used.
            with self.app.app_context():
                try:
                    return self.app.test_cli_runner().invoke(args=[str(arg) for arg in args])
                finally:
                    db.engine.dispose()

        def restore(self, path, *options):
            return self.cli("restore", path, *options)

        def read(self, reader):
            with self.app.app_context():
                try:
                    return reader(db.engine)
                finally:
                    db.engine.dispose()

    target = Target()
    yield target
    with target.app.app_context():
        db.engine.dispose()


@pytest.fixture
def demo_backup(app, runner, tmp_path):
    """The demo board loaded and backed up; returns the backup's path and CLI output."""
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "board.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    return path, result.output


@pytest.fixture
def guard_trigger(app):
    """A trigger of the test's own (an append-only guard, as the audit trail has), removed afterwards."""
    postgres = db.engine.dialect.name == "postgresql"
    statements = [
        ("CREATE FUNCTION backup_test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
         "$$ BEGIN RAISE EXCEPTION 'append-only'; END $$"),
        f"CREATE TRIGGER {GUARD_TRIGGER} BEFORE UPDATE ON director FOR EACH ROW EXECUTE FUNCTION backup_test_refuse()",
    ] if postgres else [
        f"CREATE TRIGGER {GUARD_TRIGGER} BEFORE UPDATE ON director BEGIN SELECT RAISE(ABORT, 'append-only'); END",
    ]
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    yield
    with db.engine.begin() as connection:
        connection.execute(sa.text(f"DROP TRIGGER IF EXISTS {GUARD_TRIGGER}" + (" ON director" if postgres else "")))
        if postgres:
            connection.execute(sa.text("DROP FUNCTION IF EXISTS backup_test_refuse()"))


def test_a_round_trip_into_an_empty_database_loses_nothing(app, runner, tmp_path, target, guard_trigger):
    assert runner.invoke(args=["demo"]).exit_code == 0
    before = snapshot(db.engine)
    counts = all_row_counts(db.engine)
    assert before["director"] and before["meeting"] and before["attendance"] and before["user"]

    path = tmp_path / "board.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert f"Backed up {db.engine.url.render_as_string(hide_password=True)} to {path}" in result.output
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # it holds password hashes and token digests
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging file left

    result = target.restore(path)
    assert result.exit_code == 0, result.output
    assert f"Restored {path} into " in result.output
    assert f"{sum(n for t, n in counts.items() if t not in backups.BOOKKEEPING_TABLES)} rows" in result.output

    after = target.read(snapshot)
    for table in db.metadata.sorted_tables:  # the audit trail too
        assert len(after[table.name]) == len(before[table.name]), table.name
        assert after[table.name] == before[table.name], table.name
    if "audit_entry" in before:
        assert before["audit_entry"], "loading the demo leaves audit entries, so they are compared"
        result = target.cli("audit", "verify")
        assert result.exit_code == 0 and "chain intact" in result.output, result.output
    assert target.read(all_row_counts) == counts
    assert target.read(triggers) == triggers(db.engine)
    assert any(GUARD_TRIGGER in row for row in target.read(triggers))

    def update_director(engine):
        with engine.begin() as connection:
            connection.execute(sa.update(Director).values(name="changed"))

    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        target.read(update_director)  # the restored trigger still guards the table


def test_the_backup_is_a_snapshot_of_committed_data_while_the_app_writes(app, runner, tmp_path, target):
    assert runner.invoke(args=["demo"]).exit_code == 0
    committed = snapshot(db.engine)
    path = tmp_path / "board.backup"
    with db.engine.connect() as writer:
        writer.execute(sa.update(Director).values(name="not committed"))  # an open write transaction
        result = runner.invoke(args=["backup", str(path)])
        writer.rollback()
    assert result.exit_code == 0, result.output

    assert target.restore(path).exit_code == 0
    assert target.read(snapshot) == committed


def test_restore_refuses_a_database_with_records_unless_forced(demo_backup, target):
    path, _ = demo_backup
    assert target.restore(path).exit_code == 0
    restored = target.read(snapshot)
    with target.app.app_context():
        director = db.session.get(Director, restored["director"][0][0])
        director.name = "แก้ไขหลังกู้คืน"
        db.session.commit()
        db.session.remove()

    result = target.restore(path)
    assert result.exit_code == 1
    assert "is not empty" in result.output and "director (13)" in result.output and "--force" in result.output
    assert target.read(snapshot)["director"] != restored["director"]  # nothing was touched

    result = target.restore(path, "--force")
    assert result.exit_code == 0, result.output
    assert target.read(snapshot) == restored


def test_a_database_with_only_bookkeeping_rows_counts_as_empty(demo_backup, target):
    """`flask db upgrade` leaves a row in alembic_version: a freshly migrated database is a fine target."""
    path, _ = demo_backup

    def migrated_look(engine):
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(sa.text("INSERT INTO alembic_version VALUES ('0001')"))

    target.read(migrated_look)
    result = target.restore(path)
    assert result.exit_code == 0, result.output
    assert target.read(lambda engine: len(snapshot(engine)["director"])) == 13


def test_restore_refuses_a_file_that_is_not_a_backup_of_this_kind_of_database(app, runner, tmp_path, target):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup", encoding="utf-8")
    result = target.restore(junk)
    assert result.exit_code == 1
    assert "neither a SQLite database nor a PostgreSQL custom-format dump" in result.output

    other = tmp_path / "other.backup"
    if db.engine.dialect.name == "sqlite":
        other.write_bytes(b"PGDMP" + bytes(100))
        expected = "is a PostgreSQL custom-format dump; this app's database is sqlite"
    else:
        other.write_bytes(backups.SQLITE_MAGIC + bytes(100))
        expected = "is a SQLite database; this app's database is postgresql"
    result = target.restore(other)
    assert result.exit_code == 1 and expected in result.output


def test_backup_replaces_an_older_file_and_refuses_a_folder(app, runner, tmp_path):
    path = tmp_path / "board.backup"
    path.write_bytes(b"an older backup")
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert backups.backup_kind(path) in {"sqlite", "pg_dump"}

    result = runner.invoke(args=["backup", str(tmp_path / "missing" / "board.backup")])
    assert result.exit_code == 1 and "does not exist" in result.output

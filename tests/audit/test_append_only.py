"""Entries cannot be changed or removed, and `flask audit verify` finds the first one that was anyway."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa

from governance.extensions import db
from governance.models import AuditEntry, AuditHead, Director
from governance.services import audit, directors
from governance.indicators.vocabulary import Position

APPEND_ONLY = "append-only"


@pytest.fixture
def chain(app, make_director):
    """Three directors: three entries on the chain."""
    for name in ("ก", "ข", "ค"):
        make_director(name)
    return [entry.id for entry in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]


def test_the_orm_refuses_to_change_or_delete_an_entry(chain):
    entry = db.session.get(AuditEntry, chain[0])
    entry.actor = "someone else"
    with pytest.raises(audit.AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, chain[0]))
    with pytest.raises(audit.AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.add(AuditEntry(id=99, actor="forger"))
    with pytest.raises(audit.AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("statement", [
    sa.update(AuditEntry).values(actor="someone else"),
    sa.delete(AuditEntry),
    sa.update(AuditHead).values(hash="0" * 64),
    sa.update(Director).values(name="renamed without a trace"),  # would skip the trail
    sa.delete(Director),
], ids=["update-entries", "delete-entries", "move-head", "bulk-update-record", "bulk-delete-record"])
def test_bulk_statements_through_the_session_are_refused(chain, statement):
    with pytest.raises(audit.AuditLogIsAppendOnly):
        db.session.execute(statement)
    db.session.rollback()


@pytest.mark.parametrize("sql", [
    "UPDATE audit_entry SET actor = 'someone else' WHERE id = 1",
    "DELETE FROM audit_entry WHERE id = 1",
    "DELETE FROM audit_entry",
])
def test_the_database_refuses_raw_sql_that_changes_or_deletes_entries(chain, sql):
    with pytest.raises(sa.exc.DBAPIError, match="audit log is append-only"):
        with db.engine.begin() as connection:
            connection.execute(sa.text(sql))
    assert len(db.session.scalars(sa.select(AuditEntry)).all()) == 3


def test_postgresql_also_refuses_truncate(chain):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    db.session.remove()
    with pytest.raises(sa.exc.DBAPIError, match="audit log is append-only"):
        with db.engine.begin() as connection:
            connection.execute(sa.text("TRUNCATE audit_entry"))


# --- verify ---------------------------------------------------------------------------

def test_verify_passes_on_a_clean_chain(chain, runner):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 3 audit entries")


def test_verify_passes_on_an_empty_log(app, runner):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "OK: 0 audit entries" in result.output


def _tamper(sql: str, **params) -> None:
    with db.engine.begin() as connection:
        connection.execute(sa.text(sql), params)


def test_verify_names_the_first_entry_whose_content_was_changed(chain, triggers_off, runner):
    _tamper("UPDATE audit_entry SET actor = 'nobody' WHERE id = :id", id=chain[1])
    _tamper("UPDATE audit_entry SET actor = 'nobody' WHERE id = :id", id=chain[2])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"Audit chain broken at entry {chain[1]}: its content does not match its hash" in result.output


def test_verify_sees_a_rehashed_entry_break_the_next_link(chain, triggers_off, runner):
    """A forger who fixes the hash of the entry they changed still breaks the next one's link."""
    row = db.session.execute(sa.select(AuditEntry.__table__).where(AuditEntry.id == chain[1])).mappings().one()
    forged = {**row, "actor": "nobody"}
    db.session.rollback()
    _tamper("UPDATE audit_entry SET actor = 'nobody', hash = :hash WHERE id = :id",
            hash=audit.entry_hash(row["prev_hash"], audit.entry_content(forged)), id=chain[1])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"entry {chain[2]}: it does not link to the previous entry's hash" in result.output


def test_verify_names_the_entry_after_a_deleted_one(chain, triggers_off, runner):
    _tamper("DELETE FROM audit_entry WHERE id = :id", id=chain[1])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"Audit chain broken at entry {chain[2]}: entries {chain[1]}..{chain[1]} are missing" in result.output


def test_verify_sees_the_last_entries_removed(chain, triggers_off, runner):
    _tamper("DELETE FROM audit_entry WHERE id = :id", id=chain[2])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"Audit chain broken at entry {chain[2]}: the chain's head names entry {chain[2]}" in result.output


# --- appending under concurrency ------------------------------------------------------

def test_a_head_moved_under_the_transaction_refuses_the_change(chain, monkeypatch):
    """The compare-and-set: an append that read a stale head writes nothing, not a fork."""
    stale = db.session.execute(sa.select(AuditEntry.hash).where(AuditEntry.id == chain[0])).scalar_one()
    monkeypatch.setattr(audit, "_lock_head", lambda connection: (stale, chain[0]))
    with pytest.raises(audit.AuditChainBusy):
        directors.create_director(directors.DirectorInput("ง", Position.DIRECTOR, date(2019, 1, 1)))
    db.session.rollback()
    monkeypatch.undo()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Director)) == 3
    assert audit.verify_chain().ok and audit.verify_chain().entries == 3


def test_concurrent_writers_extend_one_chain(app, chain):
    """Several threads, each its own session and transaction, writing at once: no fork, no gap."""
    db.session.remove()
    writers, per_writer = 4, 5
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(number: int) -> None:
        with app.app_context():
            try:
                start.wait()
                for index in range(per_writer):
                    directors.create_director(directors.DirectorInput(
                        f"กรรมการ {number}-{index}", Position.DIRECTOR, date(2019, 1, 1)))
                    db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported below
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(number,)) for number in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    report = audit.verify_chain()
    assert report.ok, report
    assert report.entries == 3 + writers * per_writer

"""The audit trail: one append-only, hash-chained row per change of a governance record.

Entries are written only by ``governance.services.audit`` (session events), in the same
transaction as the change.  The database refuses UPDATE and DELETE on ``audit_entry``
(triggers, created here for ``create_all`` and in migration 0004), so neither the ORM nor
a bulk statement nor raw SQL through the app can rewrite history; ``flask audit verify``
detects anything done behind the database's back (the hash chain).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from governance.extensions import db
from governance.models._columns import Timestamp, enum_type

#: prev_hash of the first entry
GENESIS_HASH = "0" * 64
APPEND_ONLY_MESSAGE = "audit log is append-only"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    #: a confidential paper was downloaded (no field changed; who and when is the record)
    OPEN = "open"


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"

    #: assigned by the appender (last id + 1 under the head's lock): gapless, in chain order
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: when the change was flushed (UTC)
    recorded_at: Mapped[datetime] = mapped_column(Timestamp, index=True)
    #: the signed-in user; no foreign key, so the entry outlives the account
    actor_user_id: Mapped[int | None] = mapped_column(index=True)
    #: the user's email at the time, or "cli" / "system" / "anonymous"
    actor: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[AuditAction] = mapped_column(enum_type(AuditAction, "audit_action"))
    #: the table of the record, e.g. "meeting"
    record_type: Mapped[str] = mapped_column(sa.String(60))
    #: its primary key, as text
    record_id: Mapped[str] = mapped_column(sa.String(60))
    #: the record it belongs to (an attendance row's meeting), so that record's history shows it
    parent_type: Mapped[str | None] = mapped_column(sa.String(60))
    parent_id: Mapped[str | None] = mapped_column(sa.String(60))
    #: [{"field": ..., "old": ..., "new": ...}], values as text (secrets as "changed")
    changes: Mapped[list] = mapped_column(sa.JSON)
    #: the previous entry's hash (GENESIS_HASH for the first)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    #: sha256(prev_hash + canonical JSON of this entry's content), hex
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)

    __table_args__ = (
        sa.Index("ix_audit_entry_record", "record_type", "record_id"),
        sa.Index("ix_audit_entry_parent", "parent_type", "parent_id"),
    )


class AuditHead(db.Model):
    """The chain's end, one row: appenders lock it and move it with a compare-and-set."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: the hash of the last entry (GENESIS_HASH while there is none)
    hash: Mapped[str] = mapped_column(sa.String(64))
    #: the id of the last entry (0 while there is none)
    entry_id: Mapped[int]

    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)


# --- the database's append-only guard ---------------------------------------------------
# The same statements are in migration 0004 (migrations do not import the models).

_SQLITE_CREATE = [
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]
_POSTGRESQL_CREATE = [
    "CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$",
    "CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()",
    # TRUNCATE fires no row trigger: refuse it with a statement trigger.
    "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change()",
]
_POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_change ON audit_entry",
    "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry",
]
APPEND_ONLY_TRIGGERS = {"sqlite": (_SQLITE_CREATE, _SQLITE_DROP),
                        "postgresql": (_POSTGRESQL_CREATE, _POSTGRESQL_DROP)}


for _dialect, (_create, _drop) in APPEND_ONLY_TRIGGERS.items():
    for _statement in _create:
        sa.event.listen(AuditEntry.__table__, "after_create", sa.DDL(_statement).execute_if(dialect=_dialect))
sa.event.listen(AuditEntry.__table__, "after_drop",
                sa.DDL("DROP FUNCTION IF EXISTS audit_entry_refuse_change()").execute_if(dialect="postgresql"))


def remove_append_only_triggers(connection: sa.Connection) -> None:
    """For wiping a test database and for tamper tests only: production never calls this."""
    for statement in APPEND_ONLY_TRIGGERS.get(connection.dialect.name, ([], []))[1]:
        connection.execute(sa.text(statement))


def create_append_only_triggers(connection: sa.Connection) -> None:
    for statement in APPEND_ONLY_TRIGGERS.get(connection.dialect.name, ([], []))[0]:
        connection.execute(sa.text(statement))

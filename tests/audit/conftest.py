"""Helpers for the audit-trail tests: reading entries, and switching the database guard off to tamper."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from governance.extensions import db
from governance.models import AuditEntry
from governance.models.audit import create_append_only_triggers, remove_append_only_triggers


@pytest.fixture
def entries(app):
    """``entries(record_type="meeting", ...)``: the matching entries, oldest first, read afresh."""
    def read(**where) -> list[AuditEntry]:
        db.session.expire_all()
        return list(db.session.scalars(sa.select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)))
    return read


def changes_of(entry: AuditEntry) -> dict[str, tuple[str | None, str | None]]:
    return {change["field"]: (change["old"], change["new"]) for change in entry.changes}


@pytest.fixture
def triggers_off(app):
    """Drop the append-only triggers (as an attacker with database access could), then restore them."""
    db.session.remove()
    with db.engine.begin() as connection:
        remove_append_only_triggers(connection)
    yield
    db.session.remove()
    with db.engine.begin() as connection:
        create_append_only_triggers(connection)


def version_in(page: str) -> str:
    """The hidden version field's value in a rendered form."""
    match = re.search(r'<input[^>]*name="version"[^>]*>', page)
    assert match, "the form carries no version"
    return re.search(r'value="(\d+)"', match.group(0)).group(1)

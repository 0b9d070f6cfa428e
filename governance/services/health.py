"""Whether this process can serve: the database answers and its schema is the code's.

For a load balancer or an uptime check (``GET /healthz``): one cheap query and no session.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from governance.extensions import db


@dataclass(frozen=True)
class Health:
    ok: bool
    database: str  # "ok", or why not
    schema: str | None  # the database's migration revision
    expected: str  # the code's latest migration


@functools.cache
def code_revision(migrations: str) -> str:
    """The newest migration shipped with the code (read once per process)."""
    config = Config()
    config.set_main_option("script_location", migrations)
    return ScriptDirectory.from_config(config).get_current_head()


def check(migrations: str | Path) -> Health:
    expected = code_revision(str(migrations))
    try:
        schema = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.SQLAlchemyError as error:
        return Health(ok=False, database=type(error).__name__, schema=None, expected=expected)
    finally:
        db.session.rollback()  # read-only: no transaction stays open
    return Health(ok=schema == expected, database="ok", schema=schema, expected=expected)

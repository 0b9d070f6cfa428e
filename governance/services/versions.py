"""Optimistic locking for records edited in forms: a save over a newer version is refused.

The form carries the version it was loaded with (``expected_version``); the service compares
it before changing anything.  A save that races past that check still loses at the flush:
the UPDATE says ``WHERE version = <loaded>`` (``version_id_col``), matches no row, and
SQLAlchemy raises ``StaleDataError``, which becomes the same ``Conflict``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from governance.extensions import db
from governance.services.errors import Conflict

STALE = _l("Someone else changed this record after you opened it; reload to see their changes.")


def stale() -> Conflict:
    return Conflict(STALE, {"version": STALE})


def check_version(record, expected_version: int | None) -> None:
    """Refuse when the caller edited an older version (None: the caller does not say)."""
    if expected_version is not None and record.version != expected_version:
        raise stale()


def flush() -> None:
    try:
        db.session.flush()
    except StaleDataError:
        raise stale() from None

"""The one place that reads the wall clock.

Rules and services take ``as_of``/``now`` as arguments; only adapters (views, CLI,
jobs) call these, so everything below them can be tested at any date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")


def now() -> datetime:
    """The current instant, timezone-aware UTC (how timestamps are stored)."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Thailand, where every deadline falls."""
    return datetime.now(BANGKOK).date()

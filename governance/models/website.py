"""Where each required website item lives and when it was last updated (indicator 17).

Which items the year requires, and how fresh each must be, is the fiscal year's
checklist parameter; this table holds only the organisation's evidence for each key.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from governance.extensions import db
from governance.models._columns import Timestamp, utc_now


class WebsiteItem(db.Model):
    __tablename__ = "website_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Buddhist-Era fiscal year, e.g. 2563
    fiscal_year: Mapped[int]
    #: the checklist item's key in the year's parameters, e.g. "annual_report"
    key: Mapped[str] = mapped_column(sa.String(60))
    url: Mapped[str | None] = mapped_column(sa.String(1000))
    last_updated_on: Mapped[date | None]
    #: set by the scheduler's URL check: when the URL last answered, and what
    last_checked_at: Mapped[datetime | None] = mapped_column(Timestamp)
    last_check_status: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now, onupdate=utc_now)

    __table_args__ = (sa.UniqueConstraint("fiscal_year", "key"),)

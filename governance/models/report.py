"""Performance reports sent to the supervising minister (indicator 15)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from governance.extensions import db
from governance.models._columns import Timestamp, utc_now


class MinisterialReport(db.Model):
    __tablename__ = "ministerial_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the sent date decides the fiscal year it counts for
    sent_on: Mapped[date] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    period_start: Mapped[date]
    period_end: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    #: bumped on every save; a form saved over a newer version is refused (optimistic locking)
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("period_end >= period_start", name="period_order"),
    )

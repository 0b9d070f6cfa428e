"""The board's directors and their terms."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from governance.extensions import db
from governance.indicators.vocabulary import Position
from governance.models._columns import Timestamp, enum_type, utc_now


class Director(db.Model):
    __tablename__ = "director"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    position: Mapped[Position] = mapped_column(enum_type(Position, "position"))
    term_start: Mapped[date]
    #: None while the term is open-ended (e.g. an ex-officio director)
    term_end: Mapped[date | None]
    #: False for someone on the roster who does not count (e.g. a secretary who only takes minutes)
    counts_for_attendance: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    #: raised to make a new calendar-feed address: links signed with an older value stop working
    calendar_feed_generation: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    #: bumped on every save; a form saved over a newer version is refused (optimistic locking)
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("term_end IS NULL OR term_end >= term_start", name="term_order"),
    )

    def in_office_on(self, day: date) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)

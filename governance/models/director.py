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
    #: bumped on every save; a form saved over a newer version is refused (optimistic locking)
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("term_end IS NULL OR term_end >= term_start", name="term_order"),
    )

    def in_office_on(self, day: date) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)


class DirectorCalendarFeed(db.Model):
    """How many times a director's calendar-feed address was replaced: the signed address
    carries this number, so every older one stops working. A table of its own, so that
    replacing an address does not make an open edit form of the director stale."""

    __tablename__ = "director_calendar_feed"

    director_id: Mapped[int] = mapped_column(sa.ForeignKey("director.id", ondelete="CASCADE"), primary_key=True,
                                             autoincrement=False)
    generation: Mapped[int] = mapped_column(default=0)

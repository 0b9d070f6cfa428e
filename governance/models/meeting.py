"""A meeting with its attendance and agenda items (one aggregate)."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.extensions import db
from governance.indicators.vocabulary import (
    AttendanceStatus,
    MeetingBody,
    MeetingKind,
    MeetingStatus,
    Topic,
)
from governance.models._columns import Timestamp, enum_type, utc_now
from governance.models.director import Director


class Meeting(db.Model):
    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the date decides the fiscal year, never the number ("10/2563" may be in FY2564)
    held_on: Mapped[date] = mapped_column(index=True)
    kind: Mapped[MeetingKind] = mapped_column(enum_type(MeetingKind, "meeting_kind"))
    #: as the board numbers it, e.g. "3/2563"
    number: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[MeetingStatus] = mapped_column(enum_type(MeetingStatus, "meeting_status"))
    #: only meetings of the full board count for the indicators
    body: Mapped[MeetingBody] = mapped_column(enum_type(MeetingBody, "meeting_body"))
    starts_at: Mapped[time | None]
    place: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    #: bumped on every save; a form saved over a newer version is refused (optimistic locking)
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))

    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # A board meeting number identifies it; committees reuse numbers freely.
        sa.Index(
            "uq_meeting_board_number",
            "number",
            unique=True,
            sqlite_where=sa.text("body = 'board'"),
            postgresql_where=sa.text("body = 'board'"),
        ),
    )


class Attendance(db.Model):
    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"))
    director_id: Mapped[int] = mapped_column(sa.ForeignKey("director.id"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_type(AttendanceStatus, "attendance_status")
    )

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    director: Mapped[Director] = relationship()

    __table_args__ = (sa.UniqueConstraint("meeting_id", "director_id"),)


class AgendaItem(db.Model):
    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    #: order on the agenda, 1-based
    position: Mapped[int] = mapped_column(default=1)
    topic: Mapped[Topic] = mapped_column(enum_type(Topic, "topic"))
    title: Mapped[str] = mapped_column(sa.String(500))
    #: indicator 13 counts a report only if it states the problems behind missed targets and remedies
    states_problems_and_remedies: Mapped[bool] = mapped_column(default=False)
    #: bumped on every save; a form saved over a newer version is refused (optimistic locking)
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")

    __mapper_args__ = {"version_id_col": version}

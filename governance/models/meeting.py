"""A meeting with its attendance and agenda items (one aggregate)."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

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


class AgendaSection(StrEnum):
    """The parts of a Thai board agenda, in the order every agenda follows (ระเบียบวาระ 1–6)."""

    CHAIR_ANNOUNCEMENTS = "chair_announcements"  # เรื่องที่ประธานแจ้งที่ประชุมทราบ
    PREVIOUS_MINUTES = "previous_minutes"  # รับรองรายงานการประชุม
    MATTERS_ARISING = "matters_arising"  # เรื่องสืบเนื่อง
    FOR_CONSIDERATION = "for_consideration"  # เรื่องเพื่อพิจารณา
    FOR_INFORMATION = "for_information"  # เรื่องเพื่อทราบ
    OTHER_BUSINESS = "other_business"  # เรื่องอื่น ๆ

    @property
    def number(self) -> int:
        """ระเบียบวาระที่ n: the section's place on every agenda."""
        return list(AgendaSection).index(self) + 1


class Confidentiality(StrEnum):
    """Who may read an agenda item or a paper (วาระลับ: personnel, legal disputes).

    Ordered from open to most closed: a paper is as closed as the more closed of itself and
    its agenda item.
    """

    OPEN = "open"  # every signed-in reader
    #: only the directors in office on the meeting's day and the secretariat read the content;
    #: others see that it exists, its title and who opened it
    CONFIDENTIAL = "confidential"
    #: as confidential, and the title itself is hidden from the others too
    TITLE_HIDDEN = "title_hidden"

    @property
    def rank(self) -> int:
        return list(Confidentiality).index(self)

    @classmethod
    def stricter(cls, *levels: Confidentiality | None) -> Confidentiality:
        return max((level for level in levels if level is not None), key=lambda level: level.rank,
                   default=cls.OPEN)


class RsvpResponse(StrEnum):
    """A director's answer before the meeting."""

    IN_PERSON = "in_person"
    ONLINE = "online"
    APOLOGIES = "apologies"

    @property
    def attends(self) -> bool:
        return self is not RsvpResponse.APOLOGIES


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
    #: when it ended (เลิกประชุมเวลา), the same day; calendars use it instead of a fixed length
    ends_at: Mapped[time | None]
    place: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    #: the later meeting that approved this meeting's minutes (รับรองรายงานการประชุม)
    minutes_approved_at_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="SET NULL"))
    #: bumped on every save; a form saved over a newer version is refused (optimistic locking)
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))

    minutes_approved_at: Mapped[Meeting | None] = relationship(remote_side=[id])
    rsvps: Mapped[list[Rsvp]] = relationship(back_populates="meeting", cascade="all, delete-orphan")
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    #: in position order; ``agenda`` groups them by section in the standard order
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan",
        order_by="[AgendaItem.position, AgendaItem.id]"
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
    section: Mapped[AgendaSection] = mapped_column(
        enum_type(AgendaSection, "agenda_section"), server_default=AgendaSection.FOR_CONSIDERATION.value)
    #: order within its section, 1-based
    position: Mapped[int] = mapped_column(default=1)
    #: which OPDC indicator the item serves, if any ("other" when none)
    topic: Mapped[Topic] = mapped_column(enum_type(Topic, "topic"))
    title: Mapped[str] = mapped_column(sa.String(500))
    #: indicator 13 counts a report only if it states the problems behind missed targets and remedies
    states_problems_and_remedies: Mapped[bool] = mapped_column(default=False)
    #: the board's resolution (มติที่ประชุม), recorded at or after the meeting
    resolution: Mapped[str | None] = mapped_column(sa.Text)
    #: a confidential item's papers, resolution and action items are for its meeting's directors
    confidentiality: Mapped[Confidentiality] = mapped_column(
        enum_type(Confidentiality, "confidentiality"), server_default=Confidentiality.OPEN.value)
    #: bumped on every save; a form saved over a newer version is refused (optimistic locking)
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    action_items: Mapped[list[ActionItem]] = relationship(
        back_populates="agenda_item", cascade="all, delete-orphan", order_by="ActionItem.id")

    __mapper_args__ = {"version_id_col": version}


class ActionItem(db.Model):
    """Work a resolution assigns: tracked until done, and listed under the next meeting's
    matters arising (เรื่องสืบเนื่อง) while open."""

    __tablename__ = "action_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    #: who must do it: a person or a unit, as the minutes name them
    owner: Mapped[str] = mapped_column(sa.String(200))
    due_on: Mapped[date] = mapped_column(index=True)
    done_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="action_items")

    __mapper_args__ = {"version_id_col": version}


class Rsvp(db.Model):
    """A director's answer to an invitation: expected attendance before the meeting, and the
    attendance grid's first guess after it."""

    __tablename__ = "rsvp"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"))
    director_id: Mapped[int] = mapped_column(sa.ForeignKey("director.id"), index=True)
    response: Mapped[RsvpResponse] = mapped_column(enum_type(RsvpResponse, "rsvp_response"))
    responded_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)

    meeting: Mapped[Meeting] = relationship(back_populates="rsvps")
    director: Mapped[Director] = relationship()

    __table_args__ = (sa.UniqueConstraint("meeting_id", "director_id"),)

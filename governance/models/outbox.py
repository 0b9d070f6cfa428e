"""Outgoing email: the transactional outbox, opt-outs of optional mail, calendar invitation state.

Every email is first a row here, written in the same transaction as whatever caused it;
a separate deliverer sends due rows and marks them sent.  So a rolled-back change sends
nothing, and mail is never lost while the SMTP server is down.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from governance.extensions import db
from governance.models._columns import Timestamp, enum_type, utc_now


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its next attempt (next_attempt_at)
    SENDING = "sending"  # claimed by one deliverer until claimed_until
    SENT = "sent"  # the SMTP server accepted it
    DEAD = "dead"  # refused for good or out of attempts; the mail log can retry it
    WITHDRAWN = "withdrawn"  # its cause was gone when it came due (last_error says why): never sent


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: kind | subject record | deadline | lead time | recipient: one email per reminder, ever
    idempotency_key: Mapped[str] = mapped_column(sa.String(500), unique=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    #: the language it was written in: 'th' or 'en'
    locale: Mapped[str] = mapped_column(sa.String(5))
    #: the reminder kind, e.g. "indicator_deadline", "meeting"
    kind: Mapped[str] = mapped_column(sa.String(40))
    #: the record it is about, e.g. "meeting:12" or "fy2563:indicator:15"
    subject_ref: Mapped[str] = mapped_column(sa.String(100))
    subject: Mapped[str] = mapped_column(sa.String(500))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    attachment_filename: Mapped[str | None] = mapped_column(sa.String(200))
    attachment_mimetype: Mapped[str | None] = mapped_column(sa.String(100))
    attachment_data: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    #: optional mail only (meeting reminders, digest): the signed link, also sent as List-Unsubscribe
    unsubscribe_url: Mapped[str | None] = mapped_column(sa.String(1000))
    status: Mapped[OutboxStatus] = mapped_column(enum_type(OutboxStatus, "outbox_status"),
                                                 default=OutboxStatus.PENDING)
    #: delivery attempts so far, counted when a deliverer claims the row
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(Timestamp)
    #: a deliverer's lease: until then no other process sends this row
    claimed_until: Mapped[datetime | None] = mapped_column(Timestamp)
    #: random per claim, so a deliverer whose lease ran out cannot mark another's send
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None] = mapped_column(Timestamp)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)

    __table_args__ = (
        sa.Index("ix_outbox_message_due", "status", "next_attempt_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.CheckConstraint("locale IN ('th', 'en')", name="locale"),
    )


class MailOptOut(db.Model):
    """A recipient who unsubscribed from one kind of optional mail (never from deadline mail)."""

    __tablename__ = "mail_opt_out"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stored lower-case
    email: Mapped[str] = mapped_column(sa.String(254))
    kind: Mapped[str] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)

    __table_args__ = (sa.UniqueConstraint("email", "kind"),)


class MeetingInvitation(db.Model):
    """A meeting's calendar identity: SEQUENCE goes up whenever its date, time or place changes."""

    __tablename__ = "meeting_invitation"

    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True,
                                            autoincrement=False)
    #: date, time, place and title as last invited; a different one bumps the sequence
    fingerprint: Mapped[str] = mapped_column(sa.String(1000))
    sequence: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now, onupdate=utc_now)

"""Who signs in, and with which role."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.extensions import db
from governance.models._columns import Timestamp, enum_type, utc_now


class Role(StrEnum):
    ADMIN = "admin"
    SECRETARY = "secretary"  # writes board records
    DIRECTOR = "director"  # reads; writes only their own RSVP and self-assessment
    AUDITOR = "auditor"  # reads everything, writes nothing


class User(db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stored lower-case, so sign-in is case-insensitive
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    #: the director this account belongs to (directors read their own records)
    director_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("director.id", ondelete="SET NULL"), unique=True
    )
    #: preferred language for pages and email: 'th' or 'en'
    locale: Mapped[str] = mapped_column(sa.String(5), default="th")
    is_active: Mapped[bool] = mapped_column(default=True)
    #: bumped at logout and on disabling: every older session cookie stops working
    session_version: Mapped[int] = mapped_column(default=1)
    #: failed sign-ins in the current window (bookkeeping: not audited)
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    #: when the current window of failed sign-ins began (bookkeeping: not audited)
    first_failed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    #: sign-in is refused until then (a lock-out is audited); on the row, so every worker sees it
    locked_until: Mapped[datetime | None] = mapped_column(Timestamp)
    #: when the account last signed in (bookkeeping: not audited)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(Timestamp)
    #: an admin's choice to keep a director's account open after their term ends (an auditor
    #: or ex-officio member who keeps a seat); otherwise the day after the term it is disabled
    keep_open: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)

    director = relationship("Director", lazy="joined")

    __table_args__ = (sa.CheckConstraint("locale IN ('th', 'en')", name="locale"),)

    # Flask-Login protocol. The id carries the session version (Flask-Login's
    # "alternative token"), so a copied cookie dies when the version moves on.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def can_write_board_records(self) -> bool:
        return self.role in (Role.ADMIN, Role.SECRETARY)


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp)

    user: Mapped[User] = relationship(lazy="joined")


class SignInThrottle(db.Model):
    """Failed sign-ins counted per key other than an account: an address no account has (so
    the answer never tells which addresses have accounts), a client address (one guesser
    trying many addresses) and a trusted browser (the owner's own, see services/users.py).
    In the database, so every worker and every restart sees the same count; each key is kept
    only as the SHA-256 of ``kind:value``."""

    __tablename__ = "sign_in_throttle"

    key_digest: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    first_failed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    locked_until: Mapped[datetime | None] = mapped_column(Timestamp)
    #: the last failure: a row untouched for a window and a pause has nothing live, and is pruned
    touched_at: Mapped[datetime] = mapped_column(Timestamp, index=True)


class PasswordResetRequest(db.Model):
    """An address typed on "forgot password", waiting for the next outbox run to turn it into
    a link (or into nothing, when no active account has it). The page only writes this row,
    the same work whatever the address, so its answer time tells nothing; the row is deleted
    once handled."""

    __tablename__ = "password_reset_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    requested_at: Mapped[datetime] = mapped_column(Timestamp)

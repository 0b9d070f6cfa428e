"""The transactional outbox: email is queued in the caller's transaction, then delivered.

``enqueue`` only adds a row (idempotent on its key), so a change that rolls back sends
nothing, and a rerun of the same planning queues nothing twice.  ``deliver_due`` is the
one function here that commits: it must, because another process has to see a claim
before the send, and a send must be recorded as soon as the SMTP server accepts it.

The guarantee is at-least-once, with one window SMTP cannot close (docs/reminders.md):
the server accepts a message before the row can be marked sent; a crash in between leaves
the row ``sending``, and once its lease runs out another deliverer sends it again, with
the same Message-ID so the recipient's mail system may drop the copy.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.charset import BASE64, Charset
from email.mime.text import MIMEText

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_mail import Connection, Message
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from governance.extensions import db, mail
from governance.models import OutboxMessage, OutboxStatus, Role, User
from governance.services.errors import CONTROL_CHARACTERS, Conflict, NotFound

_OUTBOX = OutboxMessage.__table__

# The mail log's views; a message is in exactly one of them.
QUEUED, FAILED, SENT, WITHDRAWN = "queued", "failed", "sent", "withdrawn"
VIEWS = (QUEUED, FAILED, SENT, WITHDRAWN)
_ERROR_LENGTH = 2000

#: Asked just before a message is sent: the reason it no longer holds (its meeting was
#: cancelled, its indicator met…), or None to send it. services.mail_checks gives the app's.
StillHolds = Callable[[sa.Row], "str | None"]


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    data: bytes


@dataclass(frozen=True)
class Email:
    """A rendered email for one recipient (services.emails builds these)."""

    recipient: str
    locale: str
    subject: str
    text: str
    html: str
    attachment: Attachment | None = None
    #: optional mail only; mandatory deadline mail has none
    unsubscribe_url: str | None = None


@dataclass(frozen=True)
class Delivered:
    """One delivery attempt, as the caller reports it (the row itself stays in the outbox)."""
    id: int
    recipient: str
    subject: str
    status: OutboxStatus
    last_error: str | None = None


@dataclass
class DeliveryReport:
    sent: list[Delivered] = field(default_factory=list)
    failed: list[Delivered] = field(default_factory=list)
    #: claimed, but their cause was gone: marked withdrawn, not sent
    withdrawn: list[Delivered] = field(default_factory=list)
    #: no MAIL_SERVER configured: nothing was sent, everything waits in the outbox
    mail_disabled: bool = False


# --- queueing -----------------------------------------------------------------------------

def is_queued(key: str) -> bool:
    return db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)) is not None


def enqueue(key: str, kind: str, subject_ref: str, email: Email, now: datetime) -> bool:
    """Queue ``email`` in the caller's transaction; False when ``key`` was queued before."""
    attachment = email.attachment
    return insert_once(OutboxMessage.__table__, {
        "idempotency_key": key, "kind": kind, "subject_ref": subject_ref,
        "recipient": email.recipient, "locale": email.locale, "subject": header_text(email.subject)[:500],
        "body_text": email.text, "body_html": email.html, "unsubscribe_url": email.unsubscribe_url,
        "attachment_filename": attachment.filename if attachment else None,
        "attachment_mimetype": attachment.mimetype if attachment else None,
        "attachment_data": attachment.data if attachment else None,
        "status": OutboxStatus.PENDING, "attempts": 0, "next_attempt_at": _utc(now), "created_at": _utc(now),
    }, ["idempotency_key"])


def was_delivered(kind: str, subject_ref: str, recipient: str) -> bool:
    """Whether a message of ``kind`` about ``subject_ref`` reached ``recipient``'s mail server."""
    return db.session.scalar(sa.select(OutboxMessage.id).where(
        OutboxMessage.kind == kind, OutboxMessage.subject_ref == subject_ref,
        sa.func.lower(OutboxMessage.recipient) == recipient.lower(),
        OutboxMessage.status == OutboxStatus.SENT).limit(1)) is not None


def header_text(text: str) -> str:
    """``text`` as one header line: each run of control characters (CR, LF, tab…) becomes a space.

    Input is refused with them at every entrance already; this is the last guard, so no
    stored text can ever add a header (``Bcc:``) or cut a subject short."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())


def insert_once(table: sa.Table, values: dict, unique: list[str]) -> bool:
    """Insert a row in the caller's transaction unless its unique key exists; True if inserted.

    INSERT ... ON CONFLICT DO NOTHING rather than a SAVEPOINT around a plain INSERT: with
    pysqlite a SAVEPOINT that is the transaction's first write opens the transaction
    itself and its RELEASE commits it, outside the caller's transaction (seen here).
    Both databases we run on have ON CONFLICT; any other falls back to the savepoint.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite.insert(table) if dialect == "sqlite" else postgresql.insert(table)
        statement = insert.values(**values).on_conflict_do_nothing(index_elements=unique)
        # RETURNING, not rowcount: psycopg reports -1 for this statement through SQLAlchemy.
        return db.session.execute(statement.returning(*table.primary_key.columns)).first() is not None
    try:
        with db.session.begin_nested():
            db.session.execute(table.insert().values(**values))
    except IntegrityError:
        return False
    return True


# --- delivery -----------------------------------------------------------------------------

def deliver_due(now: datetime, limit: int | None = None, still_holds: StillHolds | None = None) -> DeliveryReport:
    """Send what is due, one claimed message at a time, committing after each step.

    ``still_holds`` is asked about each claimed message first; one whose cause is gone is
    withdrawn instead. A message that cannot be built or sent, for whatever reason, is that
    message's failure (recorded, retried later, dead after the maximum); the batch goes on.
    Call it with nothing uncommitted in the session: it commits.
    """
    report = DeliveryReport()
    if not current_app.config.get("MAIL_SERVER"):
        report.mail_disabled = True
        return report
    started = time.monotonic()
    # One SMTP connection for the batch (connecting per message was most of the time it
    # took: docs/benchmarks.md); dropped after any error and opened again for the next.
    candidates: list[int] = []  # due ids seen by the last look, tried before looking again
    with _Sender() as sender:
        for _ in range(limit or current_app.config["OUTBOX_BATCH_SIZE"]):
            # The passed-in instant plus the time this batch has taken, so a lease taken late
            # in a slow batch is as long as one taken at its start.
            moment = _utc(now) + timedelta(seconds=time.monotonic() - started)
            message = _claim_next(moment, candidates)
            if message is None:
                break
            if message.attempts > current_app.config["OUTBOX_MAX_ATTEMPTS"]:
                _give_up(message, report)
            else:
                _deliver(message, moment, report, sender, still_holds)
    return report


def _give_up(message: sa.Row, report: DeliveryReport) -> None:
    # Claimed again after its lease ran out, past the last attempt: each try stopped the
    # deliverer mid-send (a crash, a kill). Retrying for ever would hold up the queue.
    reason = (f"Delivery stopped before it finished, {message.attempts - 1} times; "
              f"given up. {message.last_error or ''}").strip()[:_ERROR_LENGTH]
    _finish(message, status=OutboxStatus.DEAD, last_error=reason)
    report.failed.append(Delivered(message.id, message.recipient, message.subject, OutboxStatus.DEAD, reason))
    db.session.commit()


def _due(now: datetime):
    return sa.or_(
        sa.and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        # A deliverer that crashed mid-send leaves its row claimed; the lease lets another take over.
        sa.and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_until < now),
    )


def _claim_next(now: datetime, candidates: list[int]) -> sa.Row | None:
    """Claim one due message: from ``candidates`` (ids an earlier look found due; another
    deliverer may have taken them since, which the claim's WHERE finds out), else from a new
    look. One look per 20 messages, not one per message."""
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    for _ in range(2):  # the ids from the last look (all taken meanwhile?), then a new look
        if not candidates:
            candidates.extend(db.session.scalars(
                sa.select(OutboxMessage.id).where(_due(now))
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(20)).all())
            if not candidates:
                return None
        while candidates:
            message_id = candidates.pop(0)
            # The conditional UPDATE is the lock: of two deliverers, only one matches the row
            # (PostgreSQL re-checks the WHERE after waiting; SQLite serialises writers). It
            # returns the claimed row as a plain row, not an ORM object: the batch leaves
            # nothing in the session (each commit expires what the session holds, so n kept
            # messages cost n² expirations, docs/benchmarks.md), nor touches a caller's objects.
            claimed = db.session.execute(
                sa.update(_OUTBOX).where(_OUTBOX.c.id == message_id, _due(now))
                .values(status=OutboxStatus.SENDING, claim_token=secrets.token_hex(16),
                        claimed_until=now + lease, attempts=_OUTBOX.c.attempts + 1)
                .returning(*_OUTBOX.c)).first()
            db.session.commit()
            if claimed:
                return claimed
    return None


def _deliver(message: sa.Row, now: datetime, report: DeliveryReport, sender: _Sender,
             still_holds: StillHolds | None) -> None:
    what = (message.id, message.recipient, message.subject)
    try:
        reason = still_holds(message) if still_holds else None
        if reason is None:
            sender.send(message)
    except Exception as error:  # noqa: BLE001 - whatever it is, it is this message's failure only
        db.session.rollback()  # a check's failed query must not poison the record of it
        report.failed.append(Delivered(*what, *_record_failure(message, now, error)))
    else:
        if reason is None:
            _finish(message, status=OutboxStatus.SENT, sent_at=now)
            report.sent.append(Delivered(*what, OutboxStatus.SENT))
        else:
            _finish(message, status=OutboxStatus.WITHDRAWN, last_error=reason[:_ERROR_LENGTH])
            report.withdrawn.append(Delivered(*what, OutboxStatus.WITHDRAWN, reason))
    db.session.commit()


def _record_failure(message: sa.Row, now: datetime, error: Exception) -> tuple[OutboxStatus, str]:
    config = current_app.config
    give_up = _is_permanent(error) or message.attempts >= config["OUTBOX_MAX_ATTEMPTS"]
    delay = min(config["OUTBOX_RETRY_BASE_SECONDS"] * 2 ** max(message.attempts - 1, 0),
                config["OUTBOX_RETRY_MAX_SECONDS"])
    status = OutboxStatus.DEAD if give_up else OutboxStatus.PENDING
    last_error = f"{type(error).__name__}: {error}"[:_ERROR_LENGTH]
    _finish(message, status=status, next_attempt_at=now + timedelta(seconds=delay), last_error=last_error)
    return status, last_error


def _finish(message: sa.Row, **values) -> None:
    # Only while this deliverer still holds the claim: after a lease ran out, the row is another's.
    db.session.execute(
        sa.update(_OUTBOX).where(_OUTBOX.c.id == message.id, _OUTBOX.c.claim_token == message.claim_token)
        .values(claim_token=None, claimed_until=None, **values))


def _is_permanent(error: Exception) -> bool:
    """The recipient or the message was refused (5xx): retrying cannot help.

    A refusal at connect, login or MAIL FROM is our configuration's problem, so it is retried.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def _smtp_send(message: OutboxMessage | sa.Row) -> None:
    """Send one message on a connection of its own."""
    with _Sender() as sender:
        sender.send(message)


class _Sender:
    """An SMTP connection opened at the first send and kept for the next; closed after an error."""

    def __init__(self) -> None:
        self._connection: _Connection | None = None

    def __enter__(self) -> _Sender:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def send(self, message: OutboxMessage | sa.Row) -> None:
        email = _email_of(message)
        reused = self._connection is not None
        try:
            self._open().send(email)
        except smtplib.SMTPServerDisconnected:
            self.close()
            if not reused:
                raise
            self._send_fresh(email)  # the server dropped an idle kept connection: once more on a new one
        except BaseException:
            self.close()  # a refused message may leave the session mid-transaction: start afresh
            raise

    def _send_fresh(self, email: _Message) -> None:
        try:
            self._open().send(email)
        except BaseException:
            self.close()
            raise

    def _open(self) -> _Connection:
        if self._connection is None:
            config = current_app.config
            # Settings are read now, not when the app was built, so a changed config takes effect.
            state = mail.init_mail(config, current_app.debug, current_app.testing)
            connection = _Connection(state, timeout=config["MAIL_TIMEOUT"])
            connection.__enter__()
            self._connection = connection
        return self._connection

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.__exit__(None, None, None)


def _email_of(message: OutboxMessage | sa.Row) -> _Message:
    config = current_app.config
    email = _Message(subject=message.subject, recipients=[message.recipient], body=message.body_text,
                    html=message.body_html, sender=config["MAIL_DEFAULT_SENDER"], charset="utf-8",
                    extra_headers=_headers(message))
    # Stable across retries, so a copy resent after a crash can be recognised downstream.
    email.msgId = message_id_of(message, config["MAIL_DEFAULT_SENDER"])
    if message.attachment_data is not None:
        email.attach(message.attachment_filename, message.attachment_mimetype, message.attachment_data)
    return email


def _headers(message: OutboxMessage | sa.Row) -> dict[str, str]:
    headers = {"Auto-Submitted": "auto-generated", "Content-Language": message.locale}  # RFC 3834: no auto-replies
    reply_to = reply_address()
    if reply_to:
        headers["Reply-To"] = reply_to
    if message.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        # RFC 8058: the mail client unsubscribes with one POST to that URL, no page to read
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def reply_address() -> str | None:
    """Where a director's reply goes: MAIL_REPLY_TO, else the board secretary's own address."""
    configured = current_app.config.get("MAIL_REPLY_TO")
    if configured:
        return configured
    return db.session.scalar(sa.select(User.email).where(User.role == Role.SECRETARY, User.is_active.is_(True))
                             .order_by(User.id).limit(1))


def message_id_of(message: OutboxMessage | sa.Row, sender: str) -> str:
    digest = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:16]
    domain = sender.rpartition("@")[2].strip(">") or "localhost"
    return f"<outbox.{message.id}.{digest}@{domain}>"


class _Message(Message):
    """Flask-Mail's message, serialised with header lines up to RFC 5322's 998 characters.

    At the default 78, Python folds a long unsubscribe URL in List-Unsubscribe into RFC
    2047 encoded words, which mail clients do not decode in that header (seen here).
    """

    def _message(self):
        mime = super()._message()
        mime.policy = policy.SMTP.clone(max_line_length=998)
        return mime

    def _mimetext(self, text, subtype="plain"):
        # Flask-Mail sends UTF-8 bodies as unwrapped 8bit: a Thai paragraph of some 330
        # characters (3 bytes each) passes SMTP's 998-byte line limit and strict servers
        # refuse the mail. Base64 keeps every line short (and is the compact choice for Thai).
        utf8 = Charset("utf-8")
        utf8.body_encoding = BASE64
        return MIMEText(text, _subtype=subtype, _charset=utf8)


class _Connection(Connection):
    """Flask-Mail's connection with a socket timeout, and a QUIT that cannot undo a send."""

    def __init__(self, state, timeout: float) -> None:
        super().__init__(state)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=self.timeout)
        try:
            if self.mail.use_tls:
                host.starttls()
            if self.mail.username and self.mail.password:
                host.login(self.mail.username, self.mail.password)
        except BaseException:
            host.close()
            raise
        return host

    def __exit__(self, exc_type, exc_value, tb) -> None:
        if self.host is None:
            return
        try:
            self.host.quit()
        except (smtplib.SMTPException, OSError):
            # The message was accepted before QUIT; failing here must not count as a failed send.
            self.host.close()


# --- the mail log -------------------------------------------------------------------------

def retry(message_id: int, now: datetime) -> OutboxMessage:
    """Queue a failed message again, now, with a fresh set of attempts."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound(_l("No email with id %(id)s.", id=message_id))
    abandoned = message.status == OutboxStatus.SENDING and aware(message.claimed_until) < _utc(now)
    if message.status == OutboxStatus.WITHDRAWN:
        raise Conflict(_l("This email was withdrawn because its cause is gone; it cannot be retried."))
    if message.status not in (OutboxStatus.DEAD, OutboxStatus.PENDING) and not abandoned:
        raise Conflict(_l("This email has been sent or is being sent; it cannot be retried."))
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = _utc(now)
    message.claim_token = message.claimed_until = None
    db.session.flush()
    return message


def _view_filter(view: str):
    has_failed = sa.or_(OutboxMessage.status == OutboxStatus.DEAD,
                        sa.and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.last_error.is_not(None)))
    if view == FAILED:
        return has_failed
    if view == SENT:
        return OutboxMessage.status == OutboxStatus.SENT
    if view == WITHDRAWN:
        return OutboxMessage.status == OutboxStatus.WITHDRAWN
    return sa.and_(OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)), sa.not_(has_failed))


#: a link's signed part (RSVP, unsubscribe, password reset, calendar feed): long, unbroken
_SIGNED = re.compile(r"(https?://\S+?/)([A-Za-z0-9_\-.=]{24,})(\.ics)?(?=[\s\"'<>)]|$)")


def body_for_log(message: OutboxMessage) -> str:
    """The plain-text body as sent, for the mail log, with every signed link cut short: such a
    link acts for its recipient (answers an invitation, resets a password), so whoever reads
    the log must not be able to follow it."""
    return _SIGNED.sub(lambda m: f"{m.group(1)}…{m.group(3) or ''}", message.body_text)


def list_messages(view: str, page: int = 1, per_page: int = 50):
    """One page of the mail log's view (newest first), as Flask-SQLAlchemy's Pagination."""
    order = OutboxMessage.sent_at.desc() if view == SENT else OutboxMessage.created_at.desc()
    query = sa.select(OutboxMessage).where(_view_filter(view)).order_by(order, OutboxMessage.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def view_counts() -> dict[str, int]:
    return {view: db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(_view_filter(view)))
            for view in VIEWS}


@dataclass(frozen=True)
class Waiting:
    """Messages not due yet: each failed and waits out its back-off (``next_at``: the first to come due)."""
    count: int
    next_at: datetime | None


def waiting(now: datetime) -> Waiting:
    row = db.session.execute(
        sa.select(sa.func.count(OutboxMessage.id), sa.func.min(OutboxMessage.next_attempt_at))
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at > _utc(now))).one()
    return Waiting(row[0], aware(row[1]))


def aware(moment: datetime | None) -> datetime | None:
    """A stored timestamp as aware UTC (SQLite hands back naive ones; all are stored in UTC)."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _utc(moment: datetime) -> datetime:
    # SQLite stores the wall time without its offset, so every stored instant must be UTC.
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)

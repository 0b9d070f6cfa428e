"""Delivering the outbox, with each message asked first whether its cause still holds.

Mail waits in the outbox while the SMTP server is down, sometimes for hours. By the time it
can go, the world may have moved: the meeting was cancelled or moved, the indicator met,
the director submitted, the reset link expired. Such a message is **withdrawn** (its own
status in the mail log, with the reason), never sent: an invitation followed by a
cancellation for a meeting the director was never told about is worse than silence.

The answers are worked out from the records at the moment of sending, per message kind;
kinds with no question here (the weekly digest, RSVP confirmations…) are always sent.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from governance.extensions import db
from governance.indicators.result import Status
from governance.indicators.vocabulary import MeetingStatus
from governance.models import Meeting, MeetingInvitation, User
from governance.services import emails, fiscal_years, outbox, self_assessment, users


def N_(reason: str) -> str:
    """Marks a reason for the Thai catalog; it is stored as written (in English) and the mail
    log shows it in the reader's language."""
    return reason


def deliver_due(now: datetime, as_of: date, limit: int | None = None) -> outbox.DeliveryReport:
    """Send what is due as ``outbox.deliver_due`` does, withdrawing what no longer holds."""
    return outbox.deliver_due(now, limit, still_holds=_Checks(now, as_of))


class _Checks:
    """``still_holds`` for one batch: evaluations are worked out once per batch, not per message."""

    def __init__(self, now: datetime, as_of: date) -> None:
        self.now, self.as_of = now, as_of
        self._results: dict[int, dict[int, Status]] = {}
        self._outstanding: dict[int, set[str]] = {}

    def __call__(self, message) -> str | None:
        checks = {
            "meeting": self._meeting, "meeting_cancelled": self._meeting_cancelled,
            "indicator_deadline": self._indicator, "ministerial_report": self._indicator,
            "indicator_alert": self._indicator, "self_assessment": self._self_assessment,
            "password_reset": self._password_reset,
            "account_invitation": self._password_reset,
        }
        check = checks.get(message.kind)
        # key: kind | subject record | due date | mark | recipient (services.reminders)
        return check(message, message.idempotency_key.split("|")) if check else None

    # --- meetings ---------------------------------------------------------------------

    def _meeting(self, message, key: list[str]) -> str | None:
        meeting = _meeting_of(message)
        if meeting is None:
            return N_("The meeting was deleted before this invitation could be sent.")
        if meeting.status == MeetingStatus.CANCELLED:
            return N_("The meeting was cancelled before this invitation could be sent.")
        if meeting.status != MeetingStatus.PLANNED:
            return N_("The meeting was held before this invitation could be sent.")
        if meeting.held_on.isoformat() != key[2]:
            return N_("The meeting was moved to another day; an invitation for the new day replaces this one.")
        invitation = db.session.get(MeetingInvitation, meeting.id)
        sequence = key[3].rpartition(".seq-")[2]
        if invitation is None or str(invitation.sequence) != sequence or emails.is_new_revision(
                invitation.fingerprint, meeting):
            return N_("The meeting was changed since; an invitation for its newer version replaces this one.")
        return None

    def _meeting_cancelled(self, message, key: list[str]) -> str | None:
        meeting = _meeting_of(message)
        if meeting is not None and meeting.status != MeetingStatus.CANCELLED:
            return N_("The meeting was planned again after its cancellation; no cancellation is due.")
        if not outbox.was_delivered("meeting", message.subject_ref, message.recipient):
            return N_("No invitation to this meeting was ever delivered to this address, so there is nothing to cancel.")
        return None

    # --- indicators and deadlines ------------------------------------------------------

    def _indicator(self, message, _key: list[str]) -> str | None:
        fy, _, number = message.subject_ref.removeprefix("fy").partition(":indicator:")
        if not (fy.isdigit() and number.isdigit()):
            return None
        if self._status(int(fy), int(number)) == Status.MET:
            return N_("The indicator has been met since this reminder was written.")
        return None

    def _status(self, fy: int, number: int) -> Status | None:
        if fy not in self._results:
            self._results[fy] = {r.number: r.status for r in fiscal_years.evaluate_fiscal_year(fy, self.as_of)}
        return self._results[fy].get(number)

    def _self_assessment(self, message, _key: list[str]) -> str | None:
        fy = message.subject_ref.removeprefix("fy").partition(":")[0]
        if not fy.isdigit():
            return None
        if message.recipient.lower() not in self._outstanding_emails(int(fy)):
            return N_("This director has submitted the self-assessment since, or is no longer on the board.")
        return None

    def _outstanding_emails(self, fy: int) -> set[str]:
        if fy not in self._outstanding:
            progress = self_assessment.progress(fy, self.as_of)
            accounts = {u.director_id: u.email for u in db.session.scalars(
                sa.select(User).where(User.director_id.is_not(None), User.is_active.is_(True)))}
            self._outstanding[fy] = {(d.email or accounts.get(d.id) or "").lower() for d in progress.outstanding}
        return self._outstanding[fy]

    # --- accounts ---------------------------------------------------------------------

    def _password_reset(self, message, key: list[str]) -> str | None:
        user = db.session.get(User, _id_of(message.subject_ref, "user"))
        if user is None or not user.is_active:
            return N_("The account was removed or disabled; its reset link would not work.")
        max_age = users.link_max_age(users.INVITATION if message.kind == "account_invitation" else users.RESET)
        if outbox.aware(message.created_at) + max_age <= outbox.aware(self.now):
            return N_("The reset link expired before it could be sent; ask for a new one.")
        fingerprint = next((part.removeprefix("fp-") for part in key if part.startswith("fp-")), None)
        if fingerprint is not None and fingerprint != users.password_fingerprint(user):
            return N_("The password was changed since; this reset link would not work.")
        return None


def _meeting_of(message) -> Meeting | None:
    return db.session.get(Meeting, _id_of(message.subject_ref, "meeting"))


def _id_of(subject_ref: str, prefix: str) -> int:
    kind, _, number = subject_ref.partition(":")
    return int(number) if kind == prefix and number.isdigit() else 0

"""Directors' answers before a meeting, the attendance they let the secretary expect, and
the attendance grid's first guess after the meeting.

A director answers from the meeting page (signed in) or from the link in their meeting
reminder, which carries a signature naming the meeting and the director, so answering
needs no password. Answers are taken while the meeting is planned; after that, what
counts is the attendance the secretary records.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from governance import fiscal
from governance.extensions import db
from governance.indicators.expected_attendance import ExpectedAttendance, expected_attendance
from governance.indicators.vocabulary import AttendanceStatus, MeetingBody, MeetingStatus
from governance.models import Director, Meeting, Rsvp, RsvpResponse
from governance.services import fiscal_years, meetings, users
from governance.services.errors import NotFound, ValidationFailed

#: what an answer suggests for the attendance grid once the meeting is held
SUGGESTED_ATTENDANCE = {
    RsvpResponse.IN_PERSON: AttendanceStatus.IN_PERSON,
    RsvpResponse.ONLINE: AttendanceStatus.ONLINE,
    RsvpResponse.APOLOGIES: AttendanceStatus.LEAVE,
}


def answer(meeting_id: int, director_id: int, response: RsvpResponse, now: datetime) -> Rsvp:
    """Record (or change) a director's answer for a planned meeting they are invited to."""
    meeting = meetings.get_meeting(meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationFailed({"response": _l(
            "Answers are taken only while a meeting is planned; this one is %(status)s.",
            status=_status_text(meeting.status))})
    if not is_invited(director_id, meetings.directors_in_office(meeting.held_on)):
        raise ValidationFailed({"director_id": _l("This director is not in office on the meeting's date.")})
    rsvp = next((r for r in meeting.rsvps if r.director_id == director_id), None)
    if rsvp is None:
        rsvp = Rsvp(director_id=director_id, response=response, responded_at=now)
        meeting.rsvps.append(rsvp)
    elif rsvp.response != response:
        rsvp.response, rsvp.responded_at = response, now
    db.session.flush()
    return rsvp


def is_invited(director_id: int | None, in_office: list[Director]) -> bool:
    """Who may answer: a director in office on the meeting's day (``in_office`` for that day)."""
    return director_id is not None and director_id in {d.id for d in in_office}


def _status_text(status: MeetingStatus) -> str:
    return {MeetingStatus.HELD: _l("held"), MeetingStatus.CANCELLED: _l("cancelled")}.get(status, str(status))


def answers(meeting: Meeting) -> dict[int, Rsvp]:
    return {r.director_id: r for r in meeting.rsvps}


def expected(meeting: Meeting) -> ExpectedAttendance | None:
    """Quorum and the 80 % line as the answers stand; None for a committee meeting (the
    board's quorum rule and indicator 16 are about the board)."""
    if meeting.body != MeetingBody.BOARD:
        return None
    rules = fiscal_years.get_parameters(fiscal.fiscal_year_of(meeting.held_on)).attendance
    eligible = [d.id for d in meetings.directors_in_office(meeting.held_on) if d.counts_for_attendance]
    return expected_attendance(eligible, {d: r.response.value for d, r in answers(meeting).items()}, rules)


def suggested_attendance(meeting: Meeting) -> dict[int, AttendanceStatus]:
    """The grid's first guess for a held meeting with no attendance recorded: what each
    director said they would do. Nothing is saved until the secretary checks it and saves."""
    if meeting.attendances or meeting.status != MeetingStatus.HELD:
        return {}
    return {d: SUGGESTED_ATTENDANCE[r.response] for d, r in answers(meeting).items()}


# --- the link in the reminder -----------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="rsvp")


def token_for(meeting_id: int, director_id: int) -> str:
    return _serializer().dumps([meeting_id, director_id])


def read_token(token: str) -> tuple[Meeting, int]:
    """The meeting and director a reminder's link was made for; NotFound if forged, or if the
    director's sign-in account is disabled (as for their calendar feed)."""
    try:
        meeting_id, director_id = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise NotFound(_l("This link is not valid.")) from None
    meeting = db.session.get(Meeting, meeting_id)
    if (meeting is None or not isinstance(director_id, int) or db.session.get(Director, director_id) is None
            or not users.director_links_allowed(director_id)):
        raise NotFound(_l("This link is not valid."))
    return meeting, director_id

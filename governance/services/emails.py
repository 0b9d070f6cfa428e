"""Emails as data: rendered from templates in the recipient's language, with links and calendar files.

Each kind has ``templates/email/<locale>/<kind>.txt`` (its first line is the subject) and
``.html``.  The prose is written per language rather than through the message catalog:
an email is a letter, and reads better written in Thai than assembled from translated
phrases.  Shared words (topic names) still come from the catalog through ``label``, and
dates through the ``date`` filter (Buddhist Era in Thai), both under ``force_locale``.

Optional mail (meeting reminders, the weekly digest) carries a signed unsubscribe link;
deadline mail is mandatory for the board's compliance and never does.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.routing import BuildError

from governance import clock
from governance.extensions import db
from governance.indicators.vocabulary import MeetingStatus
from governance.models import Confidentiality, MailOptOut, Meeting
from governance.services.errors import NotFound
from governance.services.outbox import Attachment, Email, insert_once

LOCALES = ("th", "en")
OPTIONAL_KINDS = frozenset({"meeting", "weekly_digest"})
# Kinds that share another kind's templates.
TEMPLATE_OF = {"ministerial_report": "indicator_deadline"}
# A meeting's length is not recorded; calendars need an end.
MEETING_HOURS = 3
_CANCELLED = "cancelled"  # the fingerprint's last part once a meeting is cancelled


def render(kind: str, recipient: str, locale: str, context: dict, *,
           attachment: Attachment | None = None) -> Email:
    """Subject, plain text and HTML of one email, in ``locale`` (Thai unless 'en')."""
    locale = locale if locale in LOCALES else "th"
    unsubscribe = unsubscribe_url(recipient, kind) if kind in OPTIONAL_KINDS else None
    values = {**context, "kind": kind, "recipient": recipient, "locale": locale, "unsubscribe_url": unsubscribe}
    name = TEMPLATE_OF.get(kind, kind)
    with force_locale(locale):
        text = render_template(f"email/{locale}/{name}.txt", **values)
        html = render_template(f"email/{locale}/{name}.html", **values)
    subject, _, body = text.lstrip().partition("\n")
    return Email(recipient=recipient, locale=locale, subject=subject.strip(), text=_tidy(body),
                 html=html, attachment=attachment, unsubscribe_url=unsubscribe)


def _tidy(text: str) -> str:
    # Template tags leave blank lines and trailing spaces behind; plain text should not show them.
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def absolute_url(endpoint: str, **values) -> str:
    """A link for an email: built on BASE_URL, since a scheduler has no request to take a host from.

    A page that does not exist in this build falls back to the home page rather than
    failing the whole reminder run.
    """
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    try:
        return adapter.build(endpoint, values, force_external=True)
    except BuildError:
        return adapter.build("main.home", force_external=True)


# --- unsubscribing from optional mail -----------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_token(email: str, kind: str) -> str:
    # No expiry: the link in a year-old email must still work.
    return _serializer().dumps([email.lower(), kind])


def unsubscribe_url(email: str, kind: str) -> str:
    return absolute_url("unsubscribe.confirm", token=unsubscribe_token(email, kind))


def read_unsubscribe_token(token: str) -> tuple[str, str]:
    """The (email, kind) a token was signed for; NotFound for anything forged or mangled."""
    try:
        email, kind = _serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        raise NotFound(_l("This unsubscribe link is not valid.")) from None
    if kind not in OPTIONAL_KINDS:
        raise NotFound(_l("This unsubscribe link is not valid."))
    return email, kind


def unsubscribe(email: str, kind: str, now: datetime) -> None:
    """Stop optional mail of ``kind`` to ``email``; a second click changes nothing."""
    if kind not in OPTIONAL_KINDS:
        raise NotFound(_l("This unsubscribe link is not valid."))
    insert_once(MailOptOut.__table__, {"email": email.lower(), "kind": kind, "created_at": now}, ["email", "kind"])


def is_opted_out(email: str, kind: str) -> bool:
    return db.session.scalar(sa.select(MailOptOut.id).where(
        MailOptOut.email == email.lower(), MailOptOut.kind == kind)) is not None


# --- calendar invitations -----------------------------------------------------------------

def meeting_calendar(meeting: Meeting, sequence: int, now: datetime, *, locale: str = "th",
                     rsvp_link: str | None = None) -> Attachment:
    """An .ics for the meeting: one UID for its whole life, SEQUENCE raised when it moves."""
    # PUBLISH, not REQUEST: directors answer through the tracker, not by calendar reply.
    return _calendar_file("PUBLISH", meeting_event(meeting, sequence, now, locale=locale, rsvp_link=rsvp_link),
                          meeting.id)


def meeting_cancellation(meeting: Meeting, sequence: int, now: datetime, *, locale: str = "th") -> Attachment:
    """The .ics that takes a cancelled meeting out of a calendar holding its invitation.

    The same UID, STATUS:CANCELLED and a SEQUENCE above the invitation's, as METHOD:CANCEL:
    RFC 5546 (3.2.1) has the organiser of a published event withdraw it with CANCEL, and
    CANCEL names its ORGANIZER (3.2.5), here the address the mail comes from. A calendar
    that ignores the method still reads the status.
    """
    return _calendar_file("CANCEL", meeting_event(meeting, sequence, now, locale=locale), meeting.id)


def _calendar_file(method: str, event: icalendar.Event, meeting_id: int) -> Attachment:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Board governance//Meeting reminders//TH")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(event)
    calendar.add_missing_timezones()  # the VTIMEZONE block for Asia/Bangkok
    # RFC 6047: the part's method says what the file does, so a mail client offers to add,
    # update or remove the event rather than show a file
    return Attachment(filename=f"meeting-{meeting_id}.ics", mimetype=f"text/calendar; method={method}; charset=utf-8",
                      data=calendar.to_ical())


def secretariat_address() -> str:
    """The address the board's mail comes from, which calendars show as the organizer."""
    return parseaddr(current_app.config.get("MAIL_DEFAULT_SENDER") or "")[1]


def meeting_description(meeting: Meeting, locale: str = "th", rsvp_link: str | None = None) -> str:
    """The event's text in ``locale``: when and where, the agenda's items, the meeting page and
    the answer link. A hidden title is not in it: calendar feeds are read outside the app."""
    locale = locale if locale in LOCALES else "th"
    items, counts = [], {}
    for item in sorted(meeting.agenda_items, key=lambda item: (item.section.number, item.position, item.id)):
        counts[item.section] = counts.get(item.section, 0) + 1
        hidden = item.confidentiality is Confidentiality.TITLE_HIDDEN
        items.append((f"{item.section.number}.{counts[item.section]}", None if hidden else item.title))
    with force_locale(locale):
        return _tidy(render_template(f"email/{locale}/_event.txt", meeting=meeting, items=items,
                                     link=absolute_url("meetings.show", meeting_id=meeting.id),
                                     rsvp_link=rsvp_link)).strip()


def meeting_name(meeting: Meeting) -> str:
    """The meeting as mail and calendars name it: its title, with its number only when the
    title does not say it already ("การประชุมคณะกรรมการ ครั้งที่ 1/2570", not "... ครั้งที่ 1/2570
    ครั้งที่ 1/2570")."""
    if meeting.number and meeting.number in meeting.title:
        return meeting.title
    return str(_l("%(title)s, no. %(number)s", title=meeting.title, number=meeting.number))


def meeting_event(meeting: Meeting, sequence: int, now: datetime, *, locale: str = "th",
                  rsvp_link: str | None = None) -> icalendar.Event:
    """The meeting as one VEVENT: the same shape in an emailed invitation, a feed and a download,
    so a calendar that holds it from more than one of them shows one event.

    A cancelled meeting says STATUS:CANCELLED (and has no alarm), so a calendar drops it.
    """
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting.id))
    event.add("sequence", sequence)
    event.add("dtstamp", now)
    with force_locale(locale if locale in LOCALES else "th"):
        event.add("summary", meeting_name(meeting))
    event.add("url", absolute_url("meetings.show", meeting_id=meeting.id))
    # Google Calendar and Outlook show DESCRIPTION, not URL: the links are there too
    event.add("description", meeting_description(meeting, locale, rsvp_link))
    organizer = secretariat_address()
    if organizer:
        # RFC 5546 3.2.1 / 3.2.5: a published event and its cancellation name their organizer
        event.add("organizer", f"mailto:{organizer}")
    if meeting.place:
        event.add("location", meeting.place)
    start, end, warning = _meeting_times(meeting.held_on, meeting.starts_at, meeting.ends_at)
    event.add("dtstart", start)
    event.add("dtend", end)
    if meeting.status == MeetingStatus.CANCELLED:
        event.add("status", "CANCELLED")
        return event
    event.add("status", "CONFIRMED")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", meeting.title)
    alarm.add("trigger", -warning)
    event.add_component(alarm)
    return event


def _meeting_times(day: date, starts_at, ends_at=None) -> tuple[date | datetime, date | datetime, timedelta]:
    if starts_at is None:
        # No time recorded: an all-day event, with its alarm the day before.
        return day, day + timedelta(days=1), timedelta(days=1)
    start = datetime.combine(day, starts_at, tzinfo=clock.BANGKOK)
    # Its end as recorded; until then, a usual board meeting's length.
    end = datetime.combine(day, ends_at, tzinfo=clock.BANGKOK) if ends_at else start + timedelta(hours=MEETING_HOURS)
    return start, end, timedelta(hours=1)


def meeting_fingerprint(meeting: Meeting) -> str:
    """What a calendar SEQUENCE follows: a different date, time, place or title is a new revision,
    and so is a cancellation (and being planned again after one: calendars that took the
    meeting out must be told it is back)."""
    parts = [meeting.held_on, meeting.starts_at, meeting.place, meeting.title]
    if meeting.ends_at is not None:
        # Only when recorded: a fingerprint stored before meetings had an end stays the same.
        parts.append(f"ends {meeting.ends_at}")
    if meeting.status == MeetingStatus.CANCELLED:
        parts.append(_CANCELLED)
    return "|".join(str(v) for v in parts)


def is_new_revision(stored_fingerprint: str, meeting: Meeting) -> bool:
    """Whether calendars last told ``stored_fingerprint`` need the meeting again, at a higher SEQUENCE.

    Once cancelled, an edit to the meeting is no revision: the calendars have dropped it,
    and a higher SEQUENCE would send every director a second cancellation notice. (Read
    from the stored text, so fingerprints stored before this rule need no migration.)
    """
    if meeting.status == MeetingStatus.CANCELLED and stored_fingerprint.endswith(f"|{_CANCELLED}"):
        return False
    return stored_fingerprint != meeting_fingerprint(meeting)


def meeting_uid(meeting_id: int) -> str:
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"meeting-{meeting_id}@{host}"

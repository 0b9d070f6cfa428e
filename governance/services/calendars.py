"""Calendar feeds: a private iCalendar feed per director, one for the board, and a meeting's .ics.

Every event is ``emails.meeting_event``: the UID ``meeting-<id>@<host>`` an emailed
invitation carries, so a calendar that got the invitation and subscribes to a feed holds
one event, and a meeting that is renumbered, moved or retitled keeps its UID (the UID
follows the meeting's id, nothing else).

SEQUENCE without writing on a GET
  The emailed invitations keep the sequence in ``MeetingInvitation`` (the reminder run
  raises it when the meeting's fingerprint, ``emails.meeting_fingerprint``, changes).  A
  feed only reads it: the stored sequence while the meeting is as last invited, one more
  when it has changed since (exactly what the next reminder run will store and send),
  0 for a meeting never invited.  Cancelling is a change too (the fingerprint holds it), so
  a cancelled meeting's ``STATUS:CANCELLED`` outranks the invitation a calendar holds and
  carries the sequence of the emailed cancellation notice (an edit while it stays
  cancelled changes nothing: ``emails.is_new_revision``); a cancelled meeting never
  invited carries 1.

Feed links
  A feed is fetched by calendar apps, which cannot sign in: its URL carries a token
  signed with itsdangerous (a salt per kind of feed) naming the director, or the board.
  Tokens do not expire (a subscription lives for years).  Revoking them:

  - every link at once: set ``CALENDAR_FEED_SECRET`` to a new value (it defaults to
    ``SECRET_KEY``; changing it does not sign anybody out);
  - one director's: make them a new address (``renew_director_feed``: the token carries the
    director's feed generation (``DirectorCalendarFeed``), which this raises, so every older
    address of theirs stops working), disable their sign-in account (a director whose account is
    disabled gets no feed), or end their term (the feed shows no meeting after it).
  Addresses made before the generation existed carry the director's id alone: they count
  as generation 0, so they work until the first renewal.

A feed holds the full board's meetings (committees have no membership on record) from a
year before ``as_of`` on: planned, held and cancelled, so a subscribed calendar keeps the
past year and drops what was cancelled.  A director's feed holds those on days the
director is in office; it names no other director.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar
import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from governance.extensions import db
from governance.indicators.vocabulary import MeetingBody, MeetingStatus
from governance.models import Director, DirectorCalendarFeed, Meeting, MeetingInvitation
from governance.services import emails, rsvps, users
from governance.services.errors import Conflict, NotFound
from governance.services.outbox import Attachment

#: how far back a feed reaches, so a subscribed calendar keeps the past year
FEED_PAST_DAYS = 366
#: what calendar apps are asked to wait between two fetches
REFRESH = timedelta(hours=1)
_SALTS = {"director": "calendar-feed.director", "board": "calendar-feed.board"}
_BAD_LINK = _l("This calendar link is not valid.")


# --- signed links ----------------------------------------------------------------------------

def _serializer(kind: str) -> URLSafeSerializer:
    secret = current_app.config.get("CALENDAR_FEED_SECRET") or current_app.config["SECRET_KEY"]
    return URLSafeSerializer(secret, salt=_SALTS[kind])


def director_feed_token(director: Director, generation: int | None = None) -> str:
    generation = feed_generation(director.id) if generation is None else generation
    return _serializer("director").dumps([director.id, generation])


def feed_generation(director_id: int) -> int:
    """How many times the director's address was replaced (0: never)."""
    feed = db.session.get(DirectorCalendarFeed, director_id)
    return feed.generation if feed is not None else 0


def director_feed_urls(directors: list[Director]) -> list[tuple[Director, str]]:
    """Each director with their current address (one query for all of them)."""
    ids = [d.id for d in directors]
    generations = dict(db.session.execute(
        sa.select(DirectorCalendarFeed.director_id, DirectorCalendarFeed.generation)
        .where(DirectorCalendarFeed.director_id.in_(ids))).all()) if ids else {}
    return [(d, director_feed_url(d, generations.get(d.id, 0))) for d in directors]


def board_feed_token() -> str:
    return _serializer("board").dumps(["board"])


def director_feed_url(director: Director, generation: int | None = None) -> str:
    return emails.absolute_url("calendar_feeds.director", token=director_feed_token(director, generation))


def renew_director_feed(director_id: int) -> Director:
    """A new feed address for the director; every address they had before stops working."""
    director = db.session.get(Director, director_id)
    if director is None:
        raise NotFound(_l("No such director."))
    feed = db.session.get(DirectorCalendarFeed, director_id)
    if feed is None:
        feed = DirectorCalendarFeed(director_id=director_id, generation=0)
        db.session.add(feed)
    feed.generation += 1
    try:
        db.session.flush()
    except IntegrityError:  # two renewals of a never-renewed address at the same moment
        raise Conflict(_l("The address was being replaced at the same moment; nothing was changed. "
                          "Please try again.")) from None
    return director


def board_feed_url() -> str:
    return emails.absolute_url("calendar_feeds.board", token=board_feed_token())


def director_for_token(token: str) -> Director:
    """The director a feed token names; NotFound for a forged, mangled or revoked one."""
    try:
        payload = _serializer("director").loads(token)
    except (BadSignature, TypeError, ValueError):
        raise NotFound(_BAD_LINK) from None
    if not (isinstance(payload, list) and len(payload) in (1, 2) and all(type(n) is int for n in payload)):
        raise NotFound(_BAD_LINK)
    director_id, generation = payload[0], (payload[1] if len(payload) == 2 else 0)
    director = db.session.get(Director, director_id)
    if (director is None or generation != feed_generation(director.id)
            or not users.director_links_allowed(director.id)):
        raise NotFound(_BAD_LINK)
    return director


def check_board_token(token: str) -> None:
    try:
        payload = _serializer("board").loads(token)
    except (BadSignature, TypeError, ValueError):
        raise NotFound(_BAD_LINK) from None
    if payload != ["board"]:
        raise NotFound(_BAD_LINK)


# --- the feeds -------------------------------------------------------------------------------

def board_feed(as_of: date, now: datetime) -> bytes:
    """Every full-board meeting from a year before ``as_of`` on."""
    return _feed(_str(_l("Board meetings"), "th"), _meetings_from(as_of), now, "th")


def director_feed(director: Director, as_of: date, now: datetime) -> bytes:
    """The full-board meetings on days ``director`` is in office, from a year before ``as_of`` on."""
    account = users.account_of_director(director.id)
    locale = account.locale if account is not None else "th"
    name = _str(_l("Board meetings: %(name)s", name=director.name), locale)
    # Their own feed carries their own answer link: the address is theirs alone, like the link.
    return _feed(name, [m for m in _meetings_from(as_of) if director.in_office_on(m.held_on)], now, locale,
                 rsvp=lambda meeting: emails.absolute_url("rsvp.by_link", token=rsvps.token_for(meeting.id, director.id))
                 if meeting.status == MeetingStatus.PLANNED else None)


def meeting_ics(meeting: Meeting, now: datetime, locale: str = "th") -> Attachment:
    """One meeting's .ics, as a meeting page offers it: the emailed invitation's event."""
    return emails.meeting_calendar(meeting, sequences([meeting])[meeting.id], now, locale=locale)


def _meetings_from(as_of: date) -> list[Meeting]:
    return list(db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.body == MeetingBody.BOARD, Meeting.held_on >= as_of - timedelta(days=FEED_PAST_DAYS))
        .order_by(Meeting.held_on, Meeting.starts_at, Meeting.id)))


def _feed(name: str, meetings: list[Meeting], now: datetime, locale: str, rsvp=lambda meeting: None) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Board governance//Calendar feed//TH")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Bangkok")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # A duration (PT1H), as RFC 5545 and the clients that read this Microsoft property expect
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    numbers = sequences(meetings)
    for meeting in meetings:
        calendar.add_component(emails.meeting_event(meeting, numbers[meeting.id], now, locale=locale,
                                                    rsvp_link=rsvp(meeting)))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _str(message, locale: str) -> str:
    with force_locale(locale):
        return str(message)


# --- SEQUENCE, read-only ---------------------------------------------------------------------

def sequences(meetings: list[Meeting]) -> dict[int, int]:
    """Meeting id -> the SEQUENCE its event carries now (see the module's docstring); writes nothing."""
    ids = [m.id for m in meetings]
    stored = {i.meeting_id: i for i in db.session.scalars(
        sa.select(MeetingInvitation).where(MeetingInvitation.meeting_id.in_(ids)))} if ids else {}
    out = {}
    for meeting in meetings:
        invitation = stored.get(meeting.id)
        if invitation is None:
            # Never invited: cancelled still outranks the event a feed showed while it was planned.
            out[meeting.id] = 1 if meeting.status == MeetingStatus.CANCELLED else 0
        else:
            changed = emails.is_new_revision(invitation.fingerprint, meeting)
            out[meeting.id] = invitation.sequence + (1 if changed else 0)
    return out

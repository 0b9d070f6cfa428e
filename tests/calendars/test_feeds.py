"""The private feeds: what they hold, that calendar apps read them, that a bad link is a 404."""

from __future__ import annotations

from datetime import date, time

import icalendar
import sqlalchemy as sa

from governance.extensions import db
from governance.indicators.vocabulary import MeetingBody, MeetingStatus
from governance.models import AuditEntry, MeetingInvitation, Role
from governance.services import calendars, emails, meetings
from governance.services.meetings import MeetingInput
from governance.services.reminders import _invitation_sequence
from tests.calendars.conftest import NOW, events


def _move(meeting, **changes):
    fields = {k: getattr(meeting, k) for k in ("held_on", "kind", "number", "title", "status", "body",
                                                "starts_at", "ends_at", "place")}
    meetings.update_meeting(meeting.id, MeetingInput(**{**fields, **changes}))
    db.session.commit()


def test_the_board_feed_holds_every_board_meeting_and_calendar_apps_read_it(fetch, make_meeting):
    planned = make_meeting(date(2020, 2, 20), number="2/2563", status=MeetingStatus.PLANNED)
    _move(planned, starts_at=time(9, 30), place="ห้องประชุม 1")
    held = make_meeting(date(2019, 12, 18), number="1/2563")
    cancelled = make_meeting(date(2020, 3, 18), number="3/2563", status=MeetingStatus.PLANNED)
    _move(cancelled, status=MeetingStatus.CANCELLED)
    committee = make_meeting(date(2020, 2, 21), number="1/2563", body=MeetingBody.COMMITTEE)
    long_ago = make_meeting(date(2018, 6, 1), number="6/2561")

    response, calendar = fetch(calendars.board_feed_url())
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, max-age=300"
    found = events(calendar)
    assert set(found) == {emails.meeting_uid(m.id) for m in (planned, held, cancelled)}
    assert emails.meeting_uid(committee.id) not in found and emails.meeting_uid(long_ago.id) not in found
    assert str(calendar["X-WR-CALNAME"])  # Thai ("Board meetings" in the catalog)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Bangkok"

    event = found[emails.meeting_uid(planned.id)]
    assert event["DTSTART"].params["TZID"] == "Asia/Bangkok"
    assert event.decoded("DTSTART").hour == 9 and str(event["LOCATION"]) == "ห้องประชุม 1"
    assert str(event["STATUS"]) == "CONFIRMED" and event.walk("VALARM")
    assert found[emails.meeting_uid(held.id)].decoded("DTSTART") == date(2019, 12, 18)  # all day
    gone = found[emails.meeting_uid(cancelled.id)]
    assert str(gone["STATUS"]) == "CANCELLED" and not gone.walk("VALARM")


def test_a_director_feed_holds_the_meetings_of_their_term_and_names_nobody_else(fetch, make_director, make_meeting):
    leaving = make_director("กรรมการ ที่พ้นวาระ", term_start=date(2019, 1, 1), term_end=date(2020, 1, 31))
    make_director("กรรมการ อีกคน", email="other@example.org")
    inside = make_meeting(date(2020, 1, 20), number="1/2563")
    after = make_meeting(date(2020, 2, 20), number="2/2563", status=MeetingStatus.PLANNED)

    response, calendar = fetch(calendars.director_feed_url(leaving))
    assert response.status_code == 200
    assert set(events(calendar)) == {emails.meeting_uid(inside.id)}
    assert emails.meeting_uid(after.id) not in events(calendar)
    assert "อีกคน".encode() not in response.data and b"other@example.org" not in response.data
    assert "กรรมการ ที่พ้นวาระ" in str(calendar["X-WR-CALNAME"])


def test_a_feed_needs_no_session_but_a_bad_or_foreign_link_is_a_404(client, make_director):
    director = make_director()
    good = calendars.director_feed_token(director)
    assert client.get(f"/feeds/directors/{good}.ics").status_code == 200  # never signed in
    for path in (f"/feeds/directors/{good[:-2]}xx.ics",  # tampered
                 f"/feeds/directors/{calendars.board_feed_token()}.ics",  # another feed's token
                 f"/feeds/board/{good}.ics",
                 f"/feeds/directors/{calendars._serializer('director').dumps([director.id + 99, 0])}.ics",  # no such director
                 "/feeds/board/not-a-token.ics"):
        assert client.get(path).status_code == 404, path


def test_disabling_a_directors_account_revokes_their_feed(client, app, make_director, make_user):
    director = make_director()
    user = make_user(Role.DIRECTOR, director_id=director.id)
    path = f"/feeds/directors/{calendars.director_feed_token(director)}.ics"
    assert client.get(path).status_code == 200
    user.is_active = False  # as the admin disables an account
    db.session.commit()
    assert client.get(path).status_code == 404


def test_a_new_address_revokes_only_that_directors_older_ones(client, make_director):
    director, other = make_director("กรรมการ หนึ่ง"), make_director("กรรมการ สอง")
    legacy = f"/feeds/directors/{calendars._serializer('director').dumps([director.id])}.ics"  # made before 0010
    first = f"/feeds/directors/{calendars.director_feed_token(director)}.ics"
    others = f"/feeds/directors/{calendars.director_feed_token(other)}.ics"
    assert [client.get(path).status_code for path in (legacy, first, others)] == [200, 200, 200]
    calendars.renew_director_feed(director.id)
    db.session.commit()
    renewed = f"/feeds/directors/{calendars.director_feed_token(director)}.ics"
    assert renewed != first
    assert [client.get(path).status_code for path in (legacy, first, renewed, others)] == [404, 404, 200, 200]


def test_a_new_feed_secret_revokes_every_link_without_signing_anyone_out(client, app, make_director):
    director = make_director()
    old = [f"/feeds/directors/{calendars.director_feed_token(director)}.ics",
           f"/feeds/board/{calendars.board_feed_token()}.ics"]
    app.config["CALENDAR_FEED_SECRET"] = "rotated"
    assert [client.get(path).status_code for path in old] == [404, 404]
    assert client.get(f"/feeds/board/{calendars.board_feed_token()}.ics").status_code == 200


def test_renumbering_moving_and_retitling_keep_the_uid_and_raise_the_sequence(fetch, make_meeting):
    first = make_meeting(date(2020, 2, 20), number="1/2563", status=MeetingStatus.PLANNED)
    second = make_meeting(date(2020, 3, 20), number="2/2563", status=MeetingStatus.PLANNED)
    _, before = fetch(calendars.board_feed_url())
    assert {int(e["SEQUENCE"]) for e in events(before).values()} == {0}

    # Already invited (the reminder run stores sequence 0), then the two are swapped and the first moved.
    for meeting in (first, second):
        db.session.add(MeetingInvitation(meeting_id=meeting.id, fingerprint=emails.meeting_fingerprint(meeting),
                                         sequence=0))
    db.session.commit()
    _move(first, number="9/2563")
    _move(second, number="1/2563")
    _move(first, number="2/2563", held_on=date(2020, 4, 2), starts_at=time(13, 30), title="ประชุมนัดพิเศษ")

    _, after = fetch(calendars.board_feed_url())
    found = events(after)
    assert set(found) == set(events(before)) == {emails.meeting_uid(first.id), emails.meeting_uid(second.id)}
    moved = found[emails.meeting_uid(first.id)]
    assert str(moved["SUMMARY"]) == "ประชุมนัดพิเศษ ครั้งที่ 2/2563"
    assert int(moved["SEQUENCE"]) == 1
    assert int(found[emails.meeting_uid(second.id)]["SEQUENCE"]) == 0  # only its number changed


def test_the_feed_sequence_is_what_the_next_invitation_will_carry(make_meeting):
    meeting = make_meeting(date(2020, 2, 20), status=MeetingStatus.PLANNED)
    assert calendars.sequences([meeting]) == {meeting.id: 0}
    assert _invitation_sequence(meeting) == 0
    _move(meeting, starts_at=time(10, 0))
    predicted = calendars.sequences([meeting])[meeting.id]
    assert predicted == _invitation_sequence(meeting) == 1
    _move(meeting, place="ห้อง 2")
    assert calendars.sequences([meeting])[meeting.id] == 2
    _move(meeting, status=MeetingStatus.CANCELLED)
    # Cancelling is the change: it outranks the last invitation (1), and the emailed
    # cancellation notice carries the same number.
    assert calendars.sequences([meeting])[meeting.id] == 2 == _invitation_sequence(meeting)
    assert calendars.sequences([meeting])[meeting.id] == 2  # stored now: unchanged since


def test_fetching_a_feed_writes_nothing(fetch, make_director, make_meeting):
    director = make_director()
    make_meeting(date(2020, 2, 20), status=MeetingStatus.PLANNED)
    audit_before = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
    fetch(calendars.board_feed_url())
    fetch(calendars.director_feed_url(director))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(MeetingInvitation.meeting_id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == audit_before


def test_the_feed_event_is_the_emailed_invitations_event(fetch, make_meeting):
    meeting = make_meeting(date(2020, 2, 20), status=MeetingStatus.PLANNED)
    _move(meeting, starts_at=time(9, 0), place="ห้องประชุม 1")
    emailed = icalendar_event(emails.meeting_calendar(meeting, 0, NOW).data)
    _, feed = fetch(calendars.board_feed_url())
    fed = events(feed)[emails.meeting_uid(meeting.id)]
    for name in ("UID", "SEQUENCE", "SUMMARY", "LOCATION", "URL", "STATUS"):
        assert str(fed[name]) == str(emailed[name]), name
    assert fed.decoded("DTSTART") == emailed.decoded("DTSTART") and fed.decoded("DTEND") == emailed.decoded("DTEND")



def icalendar_event(data: bytes) -> icalendar.Event:
    return icalendar.Calendar.from_ical(data).walk("VEVENT")[0]


def test_a_recorded_end_time_ends_the_event_and_without_one_it_lasts_the_usual_length(fetch, make_meeting):
    from datetime import datetime, timedelta

    from governance import clock

    meeting = make_meeting(date(2020, 2, 20), status=MeetingStatus.PLANNED)
    _move(meeting, starts_at=time(9, 0))
    before = emails.meeting_fingerprint(meeting)
    usual = icalendar_event(emails.meeting_calendar(meeting, 0, NOW).data)
    assert usual.decoded("DTEND") - usual.decoded("DTSTART") == timedelta(hours=emails.MEETING_HOURS)
    _move(meeting, ends_at=time(10, 45))
    assert emails.meeting_fingerprint(meeting) != before  # calendars are told the new end
    emailed = icalendar_event(emails.meeting_calendar(meeting, 0, NOW).data)
    assert emailed.decoded("DTEND") == datetime(2020, 2, 20, 10, 45, tzinfo=clock.BANGKOK)
    _, feed = fetch(calendars.board_feed_url())
    assert events(feed)[emails.meeting_uid(meeting.id)].decoded("DTEND") == emailed.decoded("DTEND")


def test_a_meeting_without_an_end_keeps_its_old_fingerprint(make_meeting):
    meeting = make_meeting(date(2020, 2, 20), status=MeetingStatus.PLANNED)
    _move(meeting, starts_at=time(9, 0), place="ห้องประชุม 1")
    assert emails.meeting_fingerprint(meeting) == "2020-02-20|09:00:00|ห้องประชุม 1|" + meeting.title


def test_the_feed_says_its_refresh_as_a_duration_and_names_its_organizer(fetch, make_meeting):
    planned = make_meeting(date(2020, 2, 20), number="2/2563", status=MeetingStatus.PLANNED)
    response, calendar = fetch(calendars.board_feed_url())
    text = response.get_data(as_text=True)
    assert "X-PUBLISHED-TTL:PT1H\r\n" in text and "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert icalendar.vDuration.from_ical(str(calendar["X-PUBLISHED-TTL"])) == calendar["REFRESH-INTERVAL"].dt
    event = events(calendar)[emails.meeting_uid(planned.id)]
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert f"/meetings/{planned.id}" in str(event["DESCRIPTION"])  # shown where URL is not
    assert "/rsvp/" not in text  # the board feed answers for nobody


def test_a_directors_feed_carries_their_own_answer_link(fetch, make_director, make_meeting):
    director = make_director("นางสาวมาลี ศรีสุข")
    planned = make_meeting(date(2020, 2, 20), number="2/2563", status=MeetingStatus.PLANNED)
    _, calendar = fetch(calendars.director_feed_url(director))
    description = str(events(calendar)[emails.meeting_uid(planned.id)]["DESCRIPTION"])
    assert "/rsvp/" in description and "แจ้งการเข้าร่วมประชุม" in description


def test_the_calendar_page_offers_a_webcal_link(client, login, make_director):
    director = make_director("นางสาวมาลี ศรีสุข")
    login(Role.DIRECTOR, director_id=director.id)
    page = client.get("/calendars").get_data(as_text=True)
    feed = calendars.director_feed_url(director)
    assert f'href="webcal://{feed.split("://", 1)[1]}"' in page

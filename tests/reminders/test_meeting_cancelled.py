"""A cancelled meeting is taken out of the calendars its emailed invitation went to."""

from __future__ import annotations

from datetime import date

import icalendar
import sqlalchemy as sa

from governance.extensions import db
from governance.indicators.vocabulary import MeetingBody, MeetingStatus
from governance.models import OutboxMessage, Role
from governance.services import calendars, meetings, outbox, reminders
from tests.reminders.conftest import at, reschedule

INVITED_ON = "2020-09-01"  # the 7-day mark of the 8 September meeting: its invitation goes out


def send(runner, as_of: str) -> str:
    result = runner.invoke(args=["reminders", "send", "--as-of", as_of])
    assert result.exit_code == 0, result.output
    return result.output


def calendar_of(received) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(received.part("text/calendar").get_content())


def cancellations(smtp) -> list:
    return [r for r in smtp.received if r.part("text/calendar") is not None
            and calendar_of(r)["METHOD"] == "CANCEL"]


def sequence_of(received) -> int:
    return int(calendar_of(received).walk("VEVENT")[0]["SEQUENCE"])


def invited_then_cancelled(runner, planned_meeting, next_run_on: str = "2020-09-03"):
    """The 8 September meeting, invited on 1 September, cancelled, then the next run on ``next_run_on``."""
    meeting = planned_meeting()
    send(runner, INVITED_ON)
    reschedule(meeting.id, status=MeetingStatus.CANCELLED)
    send(runner, next_run_on)
    return meeting


def cancelled_kinds() -> list[str]:
    return db.session.scalars(sa.select(OutboxMessage.kind).where(OutboxMessage.kind == "meeting_cancelled")).all()


def test_the_directors_invited_are_told_once_and_their_calendars_drop_the_meeting(
        mail_app, runner, smtp, board, planned_meeting):
    meeting = planned_meeting()  # 8 Sep 2020 09:30, ห้องประชุม 1
    send(runner, INVITED_ON)
    invitation = next(r for r in smtp.to("one@example.org") if r.part("text/calendar") is not None)
    invited_event = calendar_of(invitation).walk("VEVENT")[0]

    reschedule(meeting.id, status=MeetingStatus.CANCELLED)
    send(runner, "2020-09-03")
    notices = cancellations(smtp)
    assert sorted(r.to for r in notices) == ["chair@example.org", "one@example.org", "two@example.org"]

    thai = next(r for r in notices if r.to == "one@example.org")
    assert thai.subject == "ยกเลิกการประชุม: ประชุมคณะกรรมการ ครั้งที่ 1/2563 วันที่ 8 กันยายน 2563"
    assert "ขอแจ้งยกเลิกประชุมคณะกรรมการ ครั้งที่ 1/2563" in thai.text
    assert "เวลา: 09:30 น." in thai.text and "ห้องประชุม 1" in thai.text
    english = next(r for r in notices if r.to == "two@example.org")
    assert english.subject == "Cancelled: ประชุมคณะกรรมการ, no. 1/2563 on 8 Sep 2020"
    assert "has been cancelled" in english.text

    calendar = calendar_of(thai)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "CANCEL"
    assert event["UID"] == invited_event["UID"]  # the same event the invitation put in the calendar
    assert event["STATUS"] == "CANCELLED"
    assert int(event["SEQUENCE"]) > int(invited_event["SEQUENCE"])
    assert str(event["ORGANIZER"]) == "mailto:governance@example.org"
    assert not event.walk("VALARM")  # no reminder for a meeting that will not happen

    send(runner, "2020-09-04")  # the next day's run, or the five-minute sweep again: nothing new
    assert len(cancellations(smtp)) == 3


def test_a_meeting_cancelled_before_any_invitation_is_announced_to_nobody(mail_app, runner, smtp, board,
                                                                          planned_meeting):
    meeting = planned_meeting(held_on=date(2020, 12, 15))  # its first mark is 15 November
    send(runner, INVITED_ON)
    reschedule(meeting.id, status=MeetingStatus.CANCELLED)
    send(runner, "2020-11-20")
    assert cancellations(smtp) == [] and cancelled_kinds() == []


def test_no_notice_once_the_meetings_day_has_passed(mail_app, runner, smtp, board, planned_meeting):
    invited_then_cancelled(runner, planned_meeting, next_run_on="2020-09-09")  # recorded late, after the day
    assert cancellations(smtp) == [] and cancelled_kinds() == []


def test_no_notice_for_a_committee_meeting(mail_app, runner, smtp, board, planned_meeting):
    meeting = planned_meeting()
    send(runner, INVITED_ON)  # invited while it was recorded as a board meeting
    # Corrected to a committee's meeting, then cancelled: committees have no membership on
    # record, so the board's directors were never its invitees.
    reschedule(meeting.id, body=MeetingBody.COMMITTEE)
    reschedule(meeting.id, status=MeetingStatus.CANCELLED)
    send(runner, "2020-09-03")
    assert cancellations(smtp) == [] and cancelled_kinds() == []


def test_an_edit_to_a_cancelled_meeting_sends_no_second_notice(mail_app, runner, smtp, board, planned_meeting):
    meeting = invited_then_cancelled(runner, planned_meeting)
    notice_sequence = sequence_of(next(r for r in cancellations(smtp) if r.to == "one@example.org"))

    reschedule(meeting.id, place="ห้องประชุม 2", title="ประชุมคณะกรรมการ (ยกเลิก)")  # tidied up afterwards
    send(runner, "2020-09-04")
    assert len(cancellations(smtp)) == 3
    # The feeds agree: the meeting is where the notice left it.
    assert calendars.sequences([meetings.get_meeting(meeting.id)]) == {meeting.id: notice_sequence}


def test_the_frequent_sweep_queues_only_the_cancellation_notices(mail_app, runner, smtp, board, planned_meeting):
    meeting = planned_meeting()
    send(runner, INVITED_ON)
    received_before = len(smtp.received)
    reschedule(meeting.id, status=MeetingStatus.CANCELLED)

    # The morning before the meeting: deadline mail is the daily run's; this run is not it.
    report = reminders.queue_meeting_cancellations(date(2020, 9, 7), at(date(2020, 9, 7), hour=2))
    db.session.commit()
    assert {r.kind for r in report.queued} == {"meeting_cancelled"} and len(report.queued) == 3
    outbox.deliver_due(at(date(2020, 9, 7), hour=2))
    assert len(smtp.received) == received_before + 3 and len(cancellations(smtp)) == 3
    again = reminders.queue_meeting_cancellations(date(2020, 9, 7), at(date(2020, 9, 7), hour=3))
    assert again.queued == [] and again.already_queued == 3


def test_the_mail_log_names_the_notice(mail_app, runner, smtp, board, planned_meeting, client, login):
    invited_then_cancelled(runner, planned_meeting)
    login(Role.SECRETARY)
    page = client.get("/mail-log?view=sent").get_data(as_text=True)
    assert "แจ้งยกเลิกการประชุม" in page


def test_a_meeting_planned_again_after_its_cancellation_is_invited_anew(mail_app, runner, smtp, board,
                                                                         planned_meeting):
    meeting = invited_then_cancelled(runner, planned_meeting)
    cancelled_at = sequence_of(next(r for r in cancellations(smtp) if r.to == "one@example.org"))

    reschedule(meeting.id, status=MeetingStatus.PLANNED)  # cancelled by mistake
    send(runner, "2020-09-03")  # the same day, within the same 7-day mark
    invitations = [r for r in smtp.to("one@example.org")
                   if r.part("text/calendar") is not None and calendar_of(r)["METHOD"] == "PUBLISH"]
    assert len(invitations) == 2  # the first invitation, and this one
    event = calendar_of(invitations[-1]).walk("VEVENT")[0]
    assert event["STATUS"] == "CONFIRMED" and int(event["SEQUENCE"]) > cancelled_at
    assert invitations[-1].subject.startswith("แก้ไขกำหนดการ: ")

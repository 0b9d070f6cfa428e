"""What reaches the recipients' inboxes: subject, recipient, language, BE dates, links, the .ics."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import icalendar
import sqlalchemy as sa

from governance import clock
from governance.extensions import db
from governance.models import OutboxMessage, OutboxStatus
from governance.services import emails
from tests.reminders.conftest import BASE_URL, reschedule

AS_OF = "2020-09-01"  # 29 days before FY2563 ends: the 30-day mark of every year-end deadline


def send(runner, as_of=AS_OF):
    result = runner.invoke(args=["reminders", "send", "--as-of", as_of])
    assert result.exit_code == 0, result.output
    return result.output


def test_deadline_mail_arrives_in_each_recipients_language(mail_app, runner, smtp, board):
    output = send(runner)
    assert "Sent " in output and "failed 0" in output

    # The secretary reads Thai, with the deadline in the Buddhist Era.
    thai = {r.subject: r for r in smtp.to("sec@example.org")}
    subject = "เตือน: ตัวชี้วัดที่ 10 ครบกำหนด 30 กันยายน 2563"
    assert subject in thai
    body = thai[subject].text
    assert "เรียน ฝ่ายเลขานุการคณะกรรมการ" in body
    assert "30 กันยายน 2563" in body and "2020" not in body
    assert "ต้องมีการประชุมคณะกรรมการที่พิจารณาเรื่อง" in body  # what is missing
    assert f"{BASE_URL}/meetings?fy=2563" in body  # where to fix it
    assert "เตือน: รายงานผลการดำเนินงานต่อรัฐมนตรี ครบกำหนด 30 กันยายน 2563" in thai

    # The chair's account is in English: the at-risk and missed alerts come in English, CE dates.
    chair = smtp.subjects("chair@example.org")
    assert "Indicator 10 of fiscal year 2563 is at risk" in chair
    assert "Indicator 12 of fiscal year 2563 is missed" in chair  # only Q4 is left for 3 quarters
    alert = next(r for r in smtp.to("chair@example.org") if r.subject.startswith("Indicator 10"))
    assert "Dear ประธาน ใจดี," in alert.text and "30 Sep 2020" in alert.text
    assert alert.message["From"] == "governance@example.org"


def test_mandatory_mail_has_no_unsubscribe_link_and_both_parts(mail_app, runner, smtp, board):
    send(runner)
    deadline = next(r for r in smtp.to("sec@example.org") if "ตัวชี้วัดที่ 10" in r.subject)
    assert deadline.message["List-Unsubscribe"] is None
    assert "/unsubscribe/" not in deadline.text and "/unsubscribe/" not in deadline.html
    assert "จึงยกเลิกการรับไม่ได้" in deadline.text
    assert '<html lang="th">' in deadline.html and "30 กันยายน 2563" in deadline.html
    assert deadline.message["Auto-Submitted"] == "auto-generated"


def test_rerunning_sends_nothing_new(mail_app, runner, smtp, board, planned_meeting):
    planned_meeting()
    send(runner)
    first = len(smtp.received)
    assert first > 0
    output = send(runner)
    assert "0 queued" in output and "Sent 0, failed 0, withdrawn 0." in output
    assert len(smtp.received) == first


def test_an_smtp_outage_loses_nothing_and_the_next_run_sends_each_once(mail_app, runner, smtp, board, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2020, 9, 1, 1, 0, tzinfo=UTC))
    smtp.stop()
    output = send(runner)
    assert "Sent 0, failed" in output and "  failed  sec@example.org: " in output
    queued = int(output.split(": ")[1].split(" queued")[0])
    # Run by hand after the outage, before the back-off has passed: it says what waits, and until when.
    output = send(runner)
    assert "Sent 0, failed 0, withdrawn 0." in output
    assert f"{queued} more wait for a retry after an earlier failure; the first is due at 2020-09-01 08:01" in output

    smtp.start()
    monkeypatch.setattr(clock, "now", lambda: datetime(2020, 9, 1, 1, 5, tzinfo=UTC))  # past the backoff
    output = send(runner)
    assert "0 queued" in output and f"Sent {queued}, failed 0, withdrawn 0." in output
    assert len(smtp.received) == queued
    assert "Sent 0, failed 0, withdrawn 0." in send(runner)


def test_meeting_invitation_carries_an_ics_that_calendars_read(mail_app, runner, smtp, board, planned_meeting):
    meeting = planned_meeting()  # 8 Sep 2020 09:30: the 7-day mark on 1 Sep
    send(runner)
    invitations = [r for r in smtp.received if r.part("text/calendar") is not None]
    assert sorted(r.to for r in invitations) == ["chair@example.org", "one@example.org", "two@example.org"]
    english = next(r for r in invitations if r.to == "two@example.org")
    assert english.subject == "ประชุมคณะกรรมการ, no. 1/2563 on 8 Sep 2020"
    thai = next(r for r in invitations if r.to == "one@example.org")
    assert thai.subject == "ประชุมคณะกรรมการ ครั้งที่ 1/2563 วันที่ 8 กันยายน 2563"
    assert "เวลา: 09:30 น." in thai.text and "ห้องประชุม 1" in thai.text

    event = _event(thai)
    assert str(event["UID"]) == f"meeting-{meeting.id}@governance.example.org"
    assert event.decoded("DTSTART") == datetime(2020, 9, 8, 9, 30, tzinfo=clock.BANGKOK)
    assert event["DTSTART"].params["TZID"] == "Asia/Bangkok"
    assert int(event["SEQUENCE"]) == 0
    assert event.walk("VALARM")
    assert thai.part("text/calendar").get_filename() == f"meeting-{meeting.id}.ics"

    # Moved to 10:00: the same UID, a higher SEQUENCE, sent again at once.
    reschedule(meeting.id, starts_at=time(10, 0))
    send(runner)
    updated = [r for r in smtp.to("one@example.org") if r.part("text/calendar") is not None]
    assert len(updated) == 2
    event = _event(updated[-1])
    assert str(event["UID"]) == f"meeting-{meeting.id}@governance.example.org"
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == datetime(2020, 9, 8, 10, 0, tzinfo=clock.BANGKOK)
    assert updated[-1].subject.startswith("แก้ไขกำหนดการ: ")


def test_optional_mail_carries_a_signed_unsubscribe_link(mail_app, runner, smtp, board, planned_meeting):
    planned_meeting()
    send(runner)
    invitation = next(r for r in smtp.to("one@example.org") if r.part("text/calendar") is not None)
    link = emails.unsubscribe_url("one@example.org", "meeting")
    assert link.startswith(f"{BASE_URL}/unsubscribe/")
    assert invitation.message["List-Unsubscribe"] == f"<{link}>"
    assert f"List-Unsubscribe: <{link}>".encode() in invitation.raw  # not RFC 2047-encoded
    assert link in invitation.text


def test_no_mail_server_keeps_everything_in_the_outbox(app, runner, board):
    app.config["MAIL_SERVER"] = None
    output = send(runner)
    assert "No mail server configured" in output
    statuses = db.session.scalars(sa.select(OutboxMessage.status)).all()
    assert statuses and set(statuses) == {OutboxStatus.PENDING}


def _event(received) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(received.part("text/calendar").get_content())
    return calendar.walk("VEVENT")[0]


def test_thai_dates_are_buddhist_era_in_the_meeting_mail(mail_app, runner, smtp, board, planned_meeting):
    planned_meeting(held_on=date(2020, 9, 2), starts_at=None, place=None)  # all day, tomorrow
    send(runner)
    thai = next(r for r in smtp.to("one@example.org") if r.part("text/calendar") is not None)
    assert "2 กันยายน 2563 (พรุ่งนี้)" in thai.text
    assert _event(thai).decoded("DTSTART") == date(2020, 9, 2)



# --- what the receiving programs expect (RFC 5545, 5546, 6047, 8058) -------------------------

def test_the_invitation_is_an_itip_publish_with_organizer_and_a_description_in_the_readers_language(
        mail_app, runner, smtp, board, planned_meeting):
    from governance.models import AgendaSection, Confidentiality
    from governance.services import meetings as meeting_service
    from governance.indicators.vocabulary import Topic

    meeting = planned_meeting()
    meeting_service.add_agenda_item(meeting.id, meeting_service.AgendaItemInput(
        topic=Topic.ANNUAL_PLAN, title="พิจารณาแผนปฏิบัติการประจำปี", section=AgendaSection.FOR_CONSIDERATION))
    meeting_service.add_agenda_item(meeting.id, meeting_service.AgendaItemInput(
        topic=Topic.OTHER, title="เรื่องลับเฉพาะ", section=AgendaSection.FOR_CONSIDERATION,
        confidentiality=Confidentiality.TITLE_HIDDEN))
    db.session.commit()
    send(runner)
    thai = next(r for r in smtp.to("one@example.org") if r.part("text/calendar") is not None)
    part = thai.part("text/calendar")
    assert part.get_param("method") == "PUBLISH"  # so the client offers to add the event
    assert b"Content-Type: text/calendar; method=PUBLISH" in thai.raw
    raw_ics = part.get_content()
    assert "METHOD:PUBLISH" in raw_ics and "ORGANIZER:mailto:" in raw_ics
    event = _event(thai)
    assert str(event["ORGANIZER"]) == f"mailto:{mail_app.config['MAIL_DEFAULT_SENDER'].split('<')[-1].strip('>')}"
    description = str(event["DESCRIPTION"])
    assert "4.1 พิจารณาแผนปฏิบัติการประจำปี" in description and "4.2 (วาระลับ)" in description
    assert "เรื่องลับเฉพาะ" not in raw_ics  # a hidden title never leaves the app
    assert f"{BASE_URL}/meetings/{meeting.id}" in description and f"{BASE_URL}/rsvp/" in description
    assert "8 กันยายน 2563" in description
    # each director's file carries their own answer link, in their language
    english = _event(next(r for r in smtp.to("two@example.org") if r.part("text/calendar") is not None))
    assert "The meeting:" in str(english["DESCRIPTION"]) and "8 Sep 2020" in str(english["DESCRIPTION"])
    assert str(english["DESCRIPTION"]).split("/rsvp/")[1] != description.split("/rsvp/")[1]


def test_replies_reach_the_secretariat_and_one_click_unsubscribe_works(
        mail_app, client, runner, smtp, board, planned_meeting):
    planned_meeting()
    send(runner)
    invitation = next(r for r in smtp.to("one@example.org") if r.part("text/calendar") is not None)
    assert invitation.message["Reply-To"] == "sec@example.org"  # the secretary's own address
    assert "do not reply" not in invitation.text and "อย่าตอบ" not in invitation.text
    assert invitation.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = invitation.message["List-Unsubscribe"].strip("<>")
    # RFC 8058: the mail client POSTs this body to the link, with no session and no CSRF token
    response = client.post(link.removeprefix(BASE_URL), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert emails.is_opted_out("one@example.org", "meeting")
    assert client.post("/unsubscribe/forged-token", data={"List-Unsubscribe": "One-Click"}).status_code == 404


def test_a_configured_reply_to_wins(mail_app, runner, smtp, board, planned_meeting):
    mail_app.config["MAIL_REPLY_TO"] = "board-office@example.org"
    planned_meeting()
    send(runner)
    assert {str(r.message["Reply-To"]) for r in smtp.received} == {"board-office@example.org"}


def test_the_number_is_said_once_when_the_title_says_it(mail_app, runner, smtp, board, planned_meeting):
    planned_meeting(title="การประชุมคณะกรรมการ ครั้งที่ 1/2563")
    send(runner)
    thai = next(r for r in smtp.to("one@example.org") if r.part("text/calendar") is not None)
    assert thai.subject.count("1/2563") == 1 and thai.text.count("ครั้งที่ 1/2563") == 1
    assert str(_event(thai)["SUMMARY"]) == "การประชุมคณะกรรมการ ครั้งที่ 1/2563"

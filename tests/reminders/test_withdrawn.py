"""Mail whose cause is gone by the time it can be sent is withdrawn, never sent (real SMTP server).

Each test queues mail while the SMTP server is down, changes the world, brings the server
back and sends again, as a secretary would with ``flask reminders send`` after an outage.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from governance import clock
from governance.extensions import db
from governance.indicators.vocabulary import MeetingStatus
from governance.models import AssessmentForm, OutboxMessage, OutboxStatus, User
from governance.services import delivery, reports, self_assessment, users
from tests.reminders.conftest import reschedule

OUTAGE = datetime(2020, 9, 1, 1, 0, tzinfo=UTC)
BACK = OUTAGE + timedelta(minutes=5)  # past the first back-off


@pytest.fixture
def outage(mail_app, runner, smtp, monkeypatch):
    """``run(as_of)`` plans and sends as the CLI does; ``down()`` / ``back()`` the SMTP server and clock."""
    class Outage:
        def run(self, as_of: str = "2020-09-01") -> str:
            result = runner.invoke(args=["reminders", "send", "--as-of", as_of])
            assert result.exit_code == 0, result.output
            return result.output

        def down(self) -> None:
            monkeypatch.setattr(clock, "now", lambda: OUTAGE)
            smtp.stop()

        def back(self, now: datetime = BACK) -> None:
            monkeypatch.setattr(clock, "now", lambda: now)
            if not smtp.running:
                smtp.start()
    return Outage()


def statuses(kind: str) -> dict[str, OutboxStatus]:
    db.session.expire_all()
    return dict(db.session.execute(sa.select(OutboxMessage.recipient, OutboxMessage.status)
                                   .where(OutboxMessage.kind == kind)).all())


def invitations(smtp, address: str) -> list:
    return [r for r in smtp.to(address) if r.part("text/calendar") is not None]


def test_an_invitation_queued_in_an_outage_for_a_meeting_since_cancelled_is_withdrawn_and_nothing_cancels_it(
        outage, smtp, board, planned_meeting, client, login):
    meeting = planned_meeting()  # 8 Sep 2020: its 7-day mark is 1 Sep
    outage.down()
    outage.run()
    assert set(statuses("meeting").values()) == {OutboxStatus.PENDING}  # three invitations wait
    reschedule(meeting.id, status=MeetingStatus.CANCELLED)

    outage.back()
    output = outage.run()
    assert "withdrawn 3." in output
    for address in ("chair@example.org", "one@example.org", "two@example.org"):
        assert invitations(smtp, address) == []  # neither the invitation nor a cancellation of it
    assert set(statuses("meeting").values()) == {OutboxStatus.WITHDRAWN}
    assert statuses("meeting_cancelled") == {}

    login("secretary")  # Thai
    page = client.get("/mail-log?view=withdrawn").get_data(as_text=True)
    assert page.count('data-testid="withdrawn-reason"') == 3
    assert "การประชุมถูกยกเลิกก่อนที่จะส่งหนังสือเชิญนี้ได้" in page
    # Its cause is gone, so it cannot be sent after all.
    withdrawn = db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.kind == "meeting").limit(1))
    refused = client.post(f"/mail-log/{withdrawn}/retry", follow_redirects=True).get_data(as_text=True)
    assert "อีเมลนี้ถูกถอนเพราะเหตุที่ต้องส่งไม่มีแล้ว จึงส่งใหม่ไม่ได้" in refused
    assert set(statuses("meeting").values()) == {OutboxStatus.WITHDRAWN}


def test_a_cancellation_goes_only_to_those_whose_invitation_was_delivered(outage, smtp, board, planned_meeting):
    meeting = planned_meeting()
    smtp.refuse.add("one@example.org")  # permanently refused: one@'s invitation is never delivered
    outage.back(OUTAGE)
    outage.run()
    assert statuses("meeting")["one@example.org"] == OutboxStatus.DEAD
    reschedule(meeting.id, status=MeetingStatus.CANCELLED)
    smtp.refuse.clear()
    outage.run("2020-09-02")
    assert sorted(statuses("meeting_cancelled")) == ["chair@example.org", "two@example.org"]
    assert invitations(smtp, "one@example.org") == []


def test_an_invitation_for_a_meeting_since_moved_is_replaced_by_one_for_the_new_day(
        outage, smtp, board, planned_meeting):
    meeting = planned_meeting()
    outage.down()
    outage.run()
    reschedule(meeting.id, held_on=date(2020, 9, 10))
    outage.back(datetime(2020, 9, 3, 1, 0, tzinfo=UTC))
    outage.run("2020-09-03")  # the new day's 7-day mark
    for address in ("chair@example.org", "one@example.org", "two@example.org"):
        (received,) = invitations(smtp, address)
        event = icalendar.Calendar.from_ical(received.part("text/calendar").get_content()).walk("VEVENT")[0]
        assert event.decoded("DTSTART").date() == date(2020, 9, 10)
    db.session.expire_all()
    assert sorted(db.session.scalars(sa.select(OutboxMessage.status).where(OutboxMessage.kind == "meeting"))) == (
        [OutboxStatus.SENT] * 3 + [OutboxStatus.WITHDRAWN] * 3)


def test_a_deadline_reminder_for_an_indicator_met_since_is_withdrawn(outage, smtp, board):
    outage.down()
    outage.run()  # indicator 15 (two reports to the minister) is not met: its reminder is queued
    assert statuses("ministerial_report") == {"sec@example.org": OutboxStatus.PENDING}
    for sent_on, start, end in ((date(2020, 4, 30), date(2019, 10, 1), date(2020, 3, 31)),
                                (date(2020, 8, 31), date(2020, 4, 1), date(2020, 6, 30))):
        reports.create_report(reports.ReportInput(sent_on, "รายงานผลการดำเนินงาน", start, end))
    db.session.commit()
    outage.back()
    outage.run()
    assert statuses("ministerial_report") == {"sec@example.org": OutboxStatus.WITHDRAWN}
    assert not any("รัฐมนตรี" in r.subject for r in smtp.to("sec@example.org"))


def test_a_self_assessment_reminder_to_a_director_who_submitted_since_is_withdrawn(outage, smtp, board):
    assessment = self_assessment.open_assessment(2563, closing_on=date(2020, 9, 15))
    db.session.commit()
    outage.down()
    outage.run()
    assert set(statuses("self_assessment")) == {"chair@example.org", "one@example.org", "two@example.org"}
    answers = [self_assessment.AnswerInput(q.id, 4)
               for q in self_assessment.questions_of(assessment, AssessmentForm.INDIVIDUAL)]
    self_assessment.submit(2563, AssessmentForm.INDIVIDUAL, answers, submitted_on=date(2020, 9, 1),
                           director_id=board.director_ids[1])
    db.session.commit()
    outage.back()
    outage.run()
    assert statuses("self_assessment") == {"chair@example.org": OutboxStatus.SENT,
                                           "one@example.org": OutboxStatus.WITHDRAWN,
                                           "two@example.org": OutboxStatus.SENT}


@pytest.mark.parametrize("since", ["expired", "password_changed", "disabled"])
def test_a_password_reset_whose_link_died_while_queued_is_withdrawn(mail_app, smtp, make_user, since):
    user = make_user(email="reset@example.org")
    smtp.stop()
    assert users.request_password_reset(user.email, OUTAGE)
    db.session.commit()
    assert delivery.deliver_due(OUTAGE, OUTAGE.date()).failed
    later = BACK
    if since == "expired":
        later = OUTAGE + timedelta(seconds=mail_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"] + 60)
    elif since == "password_changed":
        db.session.get(User, user.id).password_hash = generate_password_hash("another password entirely")
    else:
        db.session.get(User, user.id).is_active = False
    db.session.commit()
    smtp.start()
    report = delivery.deliver_due(later, later.date())
    assert [m.recipient for m in report.withdrawn] == ["reset@example.org"] and smtp.received == []


def test_a_password_reset_still_valid_after_the_outage_is_sent(mail_app, smtp, make_user):
    user = make_user(email="reset@example.org")
    smtp.stop()
    users.request_password_reset(user.email, OUTAGE)
    db.session.commit()
    delivery.deliver_due(OUTAGE, OUTAGE.date())
    smtp.start()
    assert [m.recipient for m in delivery.deliver_due(BACK, BACK.date()).sent] == ["reset@example.org"]

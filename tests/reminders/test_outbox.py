"""The outbox: nothing lost while SMTP is down, nothing sent twice by concurrent deliverers."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import sqlalchemy as sa

from governance.extensions import db
from governance.models import OutboxMessage, OutboxStatus
from governance.services import outbox, reminders
from governance.services.outbox import Attachment, Email
from tests.reminders.conftest import at

NOW = at(date(2020, 9, 1))


def queue(n: int, recipient="x{i}@example.org", **email) -> None:
    for i in range(n):
        mail = Email(recipient=recipient.format(i=i), locale="th", subject=f"เรื่อง {i}",
                     **{"text": f"ข้อความ {i}\n", "html": f"<p>ข้อความ {i}</p>", **email})
        assert outbox.enqueue(f"test|{i}|{mail.recipient}", "indicator_deadline", f"test:{i}", mail, NOW)
    db.session.commit()


def about(stored, expected) -> bool:
    # deliver_due adds the batch's own running time to the instant it is given
    return timedelta(0) <= outbox.aware(stored) - expected < timedelta(seconds=1)


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_enqueue_joins_the_callers_transaction_and_skips_a_duplicate(app):
    mail = Email("a@example.org", "th", "s", "t", "<p>h</p>")
    assert outbox.enqueue("k", "indicator_deadline", "r", mail, NOW)
    db.session.rollback()  # the caller's change failed: its email must go with it
    assert rows() == []
    assert outbox.enqueue("k", "indicator_deadline", "r", mail, NOW)
    assert not outbox.enqueue("k", "indicator_deadline", "r", mail, NOW)  # skipped, not an error
    db.session.commit()  # the transaction is still usable
    assert len(rows()) == 1


def test_smtp_down_loses_nothing_and_everything_arrives_once_when_it_returns(mail_app, smtp):
    queue(5)
    smtp.stop()
    report = outbox.deliver_due(NOW)
    assert len(report.failed) == 5 and not report.sent
    for message in rows():
        assert message.status == OutboxStatus.PENDING and message.attempts == 1
        assert "Connection" in message.last_error or "refused" in message.last_error
        assert about(message.next_attempt_at, NOW + timedelta(seconds=60))  # backed off

    assert outbox.deliver_due(NOW + timedelta(seconds=30)).failed == []  # not due yet: not hammered
    smtp.start()
    report = outbox.deliver_due(NOW + timedelta(minutes=2))
    assert len(report.sent) == 5
    assert sorted(r.to for r in smtp.received) == [f"x{i}@example.org" for i in range(5)]
    assert outbox.deliver_due(NOW + timedelta(hours=1)).sent == []
    assert len(smtp.received) == 5
    assert {m.status for m in rows()} == {OutboxStatus.SENT}


def test_backoff_doubles_then_the_message_is_given_up(mail_app, smtp):
    mail_app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    queue(1)
    smtp.stop()
    moment = NOW
    for attempt, delay in ((1, 60), (2, 120)):
        outbox.deliver_due(moment)
        message = rows()[0]
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, attempt)
        assert about(message.next_attempt_at, moment + timedelta(seconds=delay))
        moment += timedelta(seconds=delay + 1)
    outbox.deliver_due(moment)
    assert rows()[0].status == OutboxStatus.DEAD


def test_a_refused_recipient_is_given_up_at_once(mail_app, smtp):
    smtp.refuse.add("x0@example.org")
    queue(2)
    report = outbox.deliver_due(NOW)
    assert len(report.sent) == 1 and len(report.failed) == 1
    dead = rows()[0]
    assert dead.status == OutboxStatus.DEAD and "550" in dead.last_error

    smtp.refuse.clear()  # the mailbox was fixed: the mail log's retry sends it
    outbox.retry(dead.id, NOW + timedelta(minutes=5))
    db.session.commit()
    assert len(outbox.deliver_due(NOW + timedelta(minutes=5)).sent) == 1
    assert sorted(r.to for r in smtp.received) == ["x0@example.org", "x1@example.org"]


def test_two_concurrent_deliverers_never_send_the_same_message(mail_app, smtp):
    queue(40)
    barrier = threading.Barrier(2)
    sent: list[list[int]] = [[], []]
    errors: list[BaseException] = []

    def deliverer(index: int) -> None:
        try:
            with mail_app.app_context():  # its own session, as another process would have
                barrier.wait()
                sent[index] = [m.id for m in outbox.deliver_due(NOW).sent]
        except BaseException as error:  # noqa: BLE001 - reported below, on the test's thread
            errors.append(error)

    threads = [threading.Thread(target=deliverer, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert not set(sent[0]) & set(sent[1])
    assert len(sent[0]) + len(sent[1]) == 40
    recipients = [r.to for r in smtp.received]
    assert len(recipients) == len(set(recipients)) == 40


def test_a_crash_between_send_and_mark_resends_once_after_the_lease_with_the_same_message_id(mail_app, smtp):
    """The window SMTP cannot close (docs/reminders.md): accepted, then the deliverer dies."""
    queue(1)
    message = outbox._claim_next(NOW, [])
    outbox._smtp_send(message)  # the server has it; the process dies before marking it sent
    db.session.rollback()

    assert outbox.deliver_due(NOW + timedelta(minutes=1)).sent == []  # the lease still holds
    lease = timedelta(seconds=mail_app.config["OUTBOX_LEASE_SECONDS"])
    assert len(outbox.deliver_due(NOW + lease + timedelta(seconds=1)).sent) == 1
    assert len(smtp.received) == 2
    first, second = (r.message["Message-ID"] for r in smtp.received)
    assert first == second  # so the recipient's mail system may drop the copy
    assert rows()[0].attempts == 2


def test_an_attachment_survives_the_outbox(mail_app, smtp):
    queue(1, attachment=Attachment("meeting-1.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
    outbox.deliver_due(NOW)
    part = smtp.received[0].part("text/calendar")
    assert part.get_filename() == "meeting-1.ics"
    assert part.get_content().startswith("BEGIN:VCALENDAR")


def test_a_planning_race_is_skipped_not_fatal(app, board):
    """Two planners at once: the second one's insert meets the key and is counted, not raised."""
    first = reminders.queue_due(date(2020, 9, 1), NOW)
    db.session.commit()
    assert first.queued
    again = reminders.queue_due(date(2020, 9, 1), NOW)
    assert again.queued == [] and again.already_queued == len(first.queued)


def test_a_long_thai_line_arrives_intact_in_short_lines(mail_app, smtp):
    # Flask-Mail's default (8bit, unwrapped) put a paragraph of 400 Thai characters (1,200
    # bytes) on one line, past SMTP's 998-byte limit: the server refused the mail.
    paragraph = "คณะกรรมการพิจารณารายงานผลการดำเนินงาน" * 11
    queue(1, text=paragraph + "\n", html=f"<p>{paragraph}</p>")
    assert len(outbox.deliver_due(NOW).sent) == 1
    received = smtp.received[0]
    assert paragraph in received.part("text/plain").get_content()
    assert paragraph in received.part("text/html").get_content()
    assert max(len(line) for line in received.raw.splitlines()) <= 998


def test_a_batch_leaves_nothing_in_the_session(mail_app, smtp):
    # Each commit of the batch expires whatever the session holds: a batch that kept its
    # messages there made 1,000 emails cost a million expirations (docs/benchmarks.md).
    queue(30)
    db.session.expire_all()
    held = len(db.session.identity_map)
    report = outbox.deliver_due(NOW)
    assert len(report.sent) == 30 and len(smtp.received) == 30
    assert len(db.session.identity_map) == held
    assert [(d.recipient, d.subject, d.status) for d in report.sent[:2]] == [
        ("x0@example.org", "เรื่อง 0", OutboxStatus.SENT), ("x1@example.org", "เรื่อง 1", OutboxStatus.SENT)]

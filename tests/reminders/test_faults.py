"""One bad email never stops the queue, and never stays "sending" for ever (real SMTP server)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from governance.extensions import db
from governance.models import OutboxMessage, OutboxStatus
from governance.services import outbox
from tests.reminders.conftest import at
from tests.reminders.test_outbox import queue, rows

NOW = at(date(2020, 9, 1))


def _poison(message_id: int, **values) -> None:
    """Make one stored message unbuildable or stuck, as an old bug or a killed deliverer left it."""
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))
    db.session.commit()


def test_a_message_that_cannot_be_built_fails_alone_and_ends_dead_with_its_reason(mail_app, smtp, client, login):
    mail_app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    queue(3)
    bad = rows()[1]
    # A header with a lone CR: Flask-Mail refuses to build it (BadHeaderError), as it did for
    # a meeting title the API used to accept.
    _poison(bad.id, recipient="x1@example.org\rBcc: x@evil.example")

    report = outbox.deliver_due(NOW)
    assert sorted(r.to for r in smtp.received) == ["x0@example.org", "x2@example.org"]
    assert [m.id for m in report.failed] == [bad.id]
    stored = db.session.get(OutboxMessage, bad.id)
    assert stored.status == OutboxStatus.PENDING and stored.attempts == 1
    assert stored.last_error.startswith("BadHeaderError")

    outbox.deliver_due(NOW + timedelta(minutes=2))  # past the back-off: the second and last attempt
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, bad.id)
    assert (stored.status, stored.attempts) == (OutboxStatus.DEAD, 2)
    assert not any("evil" in r.raw.decode(errors="replace") for r in smtp.received)

    login("secretary", locale="en")
    page = client.get("/mail-log?view=failed").get_data(as_text=True)
    assert f'data-testid="message-{bad.id}"' in page and "BadHeaderError" in page and "Gave up" in page


def test_any_exception_while_sending_one_message_leaves_the_batch_going(mail_app, smtp, monkeypatch):
    queue(3)
    unlucky = rows()[0].id
    original = outbox._email_of

    def build(message):
        if message.id == unlucky:
            raise RuntimeError("a template bug")
        return original(message)

    monkeypatch.setattr(outbox, "_email_of", build)
    report = outbox.deliver_due(NOW)
    assert len(report.sent) == 2 and [m.last_error for m in report.failed] == ["RuntimeError: a template bug"]
    assert len(smtp.received) == 2


def test_a_message_stuck_sending_past_its_last_attempt_is_given_up_and_can_be_retried(mail_app, smtp, client, login):
    mail_app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    queue(2)
    stuck = rows()[0]
    # Three deliverers were killed mid-send: the row is "sending", its lease long over.
    _poison(stuck.id, status=OutboxStatus.SENDING, attempts=3, claim_token="gone",
            claimed_until=NOW - timedelta(hours=1))

    report = outbox.deliver_due(NOW)
    assert [m.recipient for m in report.sent] == ["x1@example.org"]
    assert [(m.id, m.status) for m in report.failed] == [(stuck.id, OutboxStatus.DEAD)]
    db.session.expire_all()
    assert db.session.get(OutboxMessage, stuck.id).last_error.startswith("Delivery stopped before it finished, 3 times")
    assert outbox.deliver_due(NOW + timedelta(hours=1)).failed == []  # not claimed again

    login("secretary", locale="en")
    assert client.post(f"/mail-log/{stuck.id}/retry").status_code == 302
    assert [m.recipient for m in outbox.deliver_due(outbox.aware(rows()[0].next_attempt_at)).sent] == ["x0@example.org"]


def test_a_subject_never_carries_a_line_break_into_the_headers(mail_app, smtp):
    mail = outbox.Email("a@example.org", "th", "ประชุมพิเศษ\r\nBcc: x@evil.example", "ข้อความ\n", "<p>ข้อความ</p>")
    assert outbox.enqueue("test|crlf", "meeting", "meeting:1", mail, NOW)
    db.session.commit()
    outbox.deliver_due(NOW)
    (received,) = smtp.received
    assert received.rcpt_tos == ["a@example.org"]
    assert received.subject == "ประชุมพิเศษ Bcc: x@evil.example"
    assert received.message["Bcc"] is None

"""The mail log page (secretary and admin only) and the unsubscribe pages."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from governance.extensions import db
from governance.models import MailOptOut, OutboxMessage, OutboxStatus, Role
from governance.services import emails, outbox
from governance.services.outbox import Email
from tests.reminders.conftest import at

NOW = at(date(2020, 9, 1))


def queue(key: str, recipient: str = "one@example.org") -> OutboxMessage:
    outbox.enqueue(key, "indicator_deadline", "fy2563:indicator:10",
                   Email(recipient, "th", f"เตือน {key}", "ข้อความ\n", "<p>ข้อความ</p>"), NOW)
    db.session.commit()
    return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.idempotency_key == key))


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.ADMIN])
def test_the_secretary_sees_queued_failed_and_sent_mail(client, login, mail_app, smtp, role):
    login(role)
    queue("sent")
    outbox.deliver_due(NOW)
    smtp.refuse.add("bounce@example.org")
    queue("dead", "bounce@example.org")
    outbox.deliver_due(NOW)
    queue("waiting")

    page = client.get("/mail-log").get_data(as_text=True)
    assert "เตือน waiting" in page and "เตือน sent" not in page
    failed = client.get("/mail-log?view=failed").get_data(as_text=True)
    assert "bounce@example.org" in failed and "550" in failed and 'data-testid="retry-' in failed
    sent = client.get("/mail-log?view=sent").get_data(as_text=True)
    assert "เตือน sent" in sent and "one@example.org" in sent
    assert client.get("/mail-log?view=nonsense").status_code == 404


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.AUDITOR])
def test_other_roles_may_not_open_the_mail_log(client, login, role):
    message = queue("x")
    login(role)
    assert client.get("/mail-log").status_code == 403
    assert client.post(f"/mail-log/{message.id}/retry").status_code == 403
    assert 'data-testid="nav-mail_log"' not in client.get("/meetings").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/mail-log")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_retry_button_queues_a_dead_message_again(client, login, mail_app, smtp):
    smtp.refuse.add("bounce@example.org")
    message = queue("dead", "bounce@example.org")
    outbox.deliver_due(NOW)
    db.session.expire_all()
    assert message.status == OutboxStatus.DEAD
    login(Role.SECRETARY)
    response = client.post(f"/mail-log/{message.id}/retry")
    assert response.status_code == 302 and "view=failed" in response.headers["Location"]
    db.session.expire_all()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)

    smtp.refuse.clear()
    assert len(outbox.deliver_due(outbox.aware(message.next_attempt_at) + timedelta(seconds=1)).sent) == 1
    assert [r.to for r in smtp.received] == ["bounce@example.org"]
    assert client.post(f"/mail-log/{message.id}/retry").status_code == 302  # sent: refused with a message
    db.session.expire_all()
    assert message.status == OutboxStatus.SENT
    assert client.post("/mail-log/999999/retry").status_code == 404


def test_the_mail_log_says_when_no_mail_server_is_configured(client, login, app):
    app.config["MAIL_SERVER"] = None
    queue("waiting")
    login(Role.SECRETARY)
    page = client.get("/mail-log").get_data(as_text=True)
    assert "เตือน waiting" in page and 'data-testid="mail-disabled"' in page
    assert 'data-testid="nav-mail_log"' in page


def test_unsubscribe_asks_on_get_and_acts_on_post(client, app):
    app.config["BASE_URL"] = "https://governance.example.org"
    url = emails.unsubscribe_url("one@example.org", "meeting")
    path = re.sub(r"^https://governance.example.org", "", url)
    page = client.get(path)
    assert page.status_code == 200 and 'data-testid="confirm-unsubscribe"' in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MailOptOut.id))) == 0  # GET changes nothing

    done = client.post(path)
    assert done.status_code == 200 and 'data-testid="unsubscribed"' in done.get_data(as_text=True)
    assert emails.is_opted_out("one@example.org", "meeting")
    assert client.post(path).status_code == 200  # twice is harmless
    assert 'data-testid="unsubscribed"' in client.get(path).get_data(as_text=True)


def test_a_forged_or_mandatory_unsubscribe_link_is_not_found(client):
    assert client.get("/unsubscribe/not-a-token").status_code == 404
    assert client.post("/unsubscribe/not-a-token").status_code == 404
    mandatory = emails.unsubscribe_token("one@example.org", "indicator_deadline")
    assert client.get(f"/unsubscribe/{mandatory}").status_code == 404


def test_the_log_shows_each_body_as_sent_with_its_signed_links_cut_short(client, login, mail_app):
    login(Role.SECRETARY)
    link = emails.unsubscribe_url("one@example.org", "meeting")
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 24
    body = f"เรียน กรรมการ\nกำหนดส่งรายงานไตรมาสที่ 3\nยกเลิกการรับอีเมล: {link}\nดูรายละเอียด: http://localhost/meetings/5\n"
    outbox.enqueue("with-body", "meeting", "meeting:5", Email("one@example.org", "th", "เชิญประชุม", body, "<p>x</p>"), NOW)
    db.session.commit()
    page = client.get("/mail-log").get_data(as_text=True)
    shown = re.search(r'<details class="mail-body".*?</details>', page, re.S).group(0)
    assert "กำหนดส่งรายงานไตรมาสที่ 3" in shown and "http://localhost/meetings/5" in shown
    assert token not in page  # whoever reads the log cannot unsubscribe, answer or reset for the recipient
    assert "/unsubscribe/…" in shown

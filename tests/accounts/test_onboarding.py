"""The secretariat onboards and offboards the board in the app: invite by email through the
real SMTP server, link to the roster, disable (by hand, or the day after a term), unlock."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from governance.extensions import db
from governance.models import Role, User
from governance.services import accounts, calendars, delivery, users
from governance.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tests.conftest import PASSWORD

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def _link_in(received) -> str:
    return re.search(r"https?://\S+/password/reset/\S+", received.text).group(0)


def _path(link: str) -> str:
    return "/password/reset/" + link.rsplit("/password/reset/", 1)[1]


@pytest.fixture
def secretary(make_user):
    return make_user(Role.SECRETARY)


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


def test_an_invited_director_chooses_a_password_from_the_email_and_signs_in_as_themselves(
        mail_app, smtp, client, secretary, make_director):
    director = make_director("นางสาว วิภา ใจดี", email="wipa@example.org")
    user = accounts.invite(secretary, NOW, role="director", director_id=director.id)
    db.session.commit()
    assert user.email == "wipa@example.org" and user.director_id == director.id
    delivery.deliver_due(NOW, NOW.date())
    [received] = smtp.to("wipa@example.org")
    assert "บัญชีผู้ใช้" in received.subject  # Thai by default
    path = _path(_link_in(received))
    page = client.get(path)
    assert page.status_code == 200 and "ตั้งรหัสผ่านของท่าน" in page.get_data(as_text=True)  # not "a new one"
    answer = client.post(path, data={"password": "a new secret 123", "confirm": "a new secret 123"},
                         follow_redirects=True)
    assert "ตั้งรหัสผ่านเรียบร้อยแล้ว" in answer.get_data(as_text=True)
    signed_in = client.post("/login", data={"email": "wipa@example.org", "password": "a new secret 123"})
    assert signed_in.status_code == 302
    assert db.session.get(User, user.id).last_sign_in_at is not None
    # The link worked once.
    assert client.get(path).status_code == 404


def test_an_invitation_link_lasts_days_a_reset_link_an_hour(app, secretary, make_director):
    user = accounts.invite(secretary, NOW, role="auditor", email="audit@example.org")
    db.session.commit()
    invitation = users.password_reset_token(user, NOW, users.INVITATION)
    reset = users.password_reset_token(user, NOW, users.RESET)
    assert users.user_for_reset_token(invitation, NOW + timedelta(days=6)).id == user.id
    with pytest.raises(NotFound):
        users.user_for_reset_token(invitation, NOW + timedelta(days=8))
    with pytest.raises(NotFound):
        users.user_for_reset_token(reset, NOW + timedelta(hours=2))


def test_nobody_can_sign_in_to_an_invited_account_before_the_link_is_used(app, secretary):
    accounts.invite(secretary, NOW, role="director", email="new@example.org")
    db.session.commit()
    assert users.authenticate("new@example.org", "", NOW) is None
    assert users.authenticate("new@example.org", PASSWORD, NOW) is None


def test_an_invitation_already_used_is_withdrawn_if_still_queued(mail_app, smtp, secretary):
    user = accounts.invite(secretary, NOW, role="director", email="quick@example.org")
    db.session.commit()
    token = users.password_reset_token(user, NOW, users.INVITATION)
    users.reset_password(token, "chosen before the mail went", NOW)  # e.g. a resent invitation was used
    db.session.commit()
    report = delivery.deliver_due(NOW, NOW.date())
    assert len(report.withdrawn) == 1 and not smtp.to("quick@example.org")


def test_the_secretary_manages_directors_and_auditors_but_not_admins_or_secretaries(app, secretary, admin):
    with pytest.raises(Forbidden):
        accounts.invite(secretary, NOW, role="admin", email="boss@example.org")
    with pytest.raises(Forbidden):
        accounts.disable(secretary, admin, NOW)
    with pytest.raises(NotFound):
        accounts.get_account(secretary, admin.id)
    director = accounts.invite(secretary, NOW, role="director", email="d@example.org")
    with pytest.raises(Forbidden):
        accounts.change_role(secretary, director, "secretary")
    accounts.change_role(secretary, director, "auditor")
    assert director.role == Role.AUDITOR
    assert {u.email for u in accounts.list_accounts(secretary, NOW)} == {"d@example.org"}


def test_the_last_admin_can_be_neither_demoted_nor_disabled(app, admin, make_user):
    with pytest.raises(Conflict):
        accounts.change_role(admin, admin, "secretary")
    other = make_user(Role.ADMIN, email="second@example.org")
    with pytest.raises(Conflict):
        accounts.disable(other, other, NOW)  # not oneself either
    accounts.disable(other, admin, NOW)
    with pytest.raises(Conflict):
        accounts.change_role(other, other, "auditor")


def test_a_roster_entry_has_at_most_one_account(app, secretary, make_director):
    director = make_director("นาย สมชาย", email="somchai@example.org")
    accounts.invite(secretary, NOW, role="director", director_id=director.id)
    other = accounts.invite(secretary, NOW, role="director", email="somchai.home@example.org")
    with pytest.raises(Conflict) as refused:
        accounts.link(secretary, other, director.id)
    assert "director_id" in refused.value.fields
    with pytest.raises(ValidationFailed) as unknown:
        accounts.link(secretary, other, 999_999)
    assert "director_id" in unknown.value.fields


def test_disabling_ends_sessions_api_tokens_and_the_calendar_feed_at_once(
        app, client, secretary, make_director, make_user):
    director = make_director("นาง มาลี", email="malee@example.org")
    user = make_user(Role.DIRECTOR, email="malee@example.org", director_id=director.id)
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    token = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD}).get_json()["token"]
    feed = f"/feeds/directors/{calendars.director_feed_token(director)}.ics"
    assert client.get(feed).status_code == 200
    assert client.get("/api/v1/auth/tokens", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    accounts.disable(secretary, db.session.get(User, user.id), NOW)
    db.session.commit()

    assert client.get("/meetings").status_code == 302  # back to the sign-in page
    assert client.get("/api/v1/auth/tokens", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.get(feed).status_code == 404
    assert users.authenticate(user.email, PASSWORD, NOW) is None

    accounts.enable(secretary, db.session.get(User, user.id))
    db.session.commit()
    assert users.authenticate(user.email, PASSWORD, NOW) is not None


def test_a_director_is_disabled_the_day_after_the_term_unless_kept_open(app, admin, make_director, make_user):
    leaving = make_director("นาย ครบวาระ", term_end=date(2026, 11, 30))
    staying = make_director("นาง ยังอยู่", term_end=date(2026, 11, 30))
    current = make_director("นาย ปัจจุบัน", term_end=date(2027, 11, 30))
    gone = make_user(Role.DIRECTOR, email="gone@example.org", director_id=leaving.id)
    kept = make_user(Role.DIRECTOR, email="kept@example.org", director_id=staying.id)
    here = make_user(Role.DIRECTOR, email="here@example.org", director_id=current.id)
    accounts.keep_open(admin, kept, True)
    assert accounts.disable_departed(date(2026, 11, 30), NOW) == []  # the last day of the term
    assert [u.email for u in accounts.disable_departed(date(2026, 12, 1), NOW)] == ["gone@example.org"]
    db.session.commit()
    assert not gone.is_active and kept.is_active and here.is_active
    assert accounts.disable_departed(date(2026, 12, 2), NOW) == []


def test_only_the_admin_keeps_an_account_open(app, secretary, make_user):
    director = make_user(Role.DIRECTOR, email="x@example.org")
    with pytest.raises(Forbidden):
        accounts.keep_open(secretary, director, True)


def test_unlock_lifts_a_lock_out(app, secretary, make_user):
    user = make_user(Role.DIRECTOR, email="locked@example.org")
    for _ in range(users.PAUSE_AFTER):
        try:
            users.authenticate(user.email, "wrong", NOW)
        except users.SignInPaused:
            pass
    assert accounts.state_of(user, NOW) == accounts.State.LOCKED
    accounts.unlock(secretary, user)
    assert users.authenticate(user.email, PASSWORD, NOW) is not None


def test_a_reset_sent_on_someones_behalf_arrives(mail_app, smtp, secretary, make_user):
    user = make_user(Role.DIRECTOR, email="phoned@example.org", locale="en")
    accounts.send_password_reset(secretary, user, NOW)
    db.session.commit()
    delivery.deliver_due(NOW, NOW.date())
    [received] = smtp.to("phoned@example.org")
    assert "password" in received.subject.lower()
    assert "/password/reset/" in received.text


def test_every_change_is_in_the_audit_trail_with_who_did_it(app, client, make_user, make_director):
    from governance.models import AuditEntry
    import sqlalchemy as sa

    secretary = make_user(Role.SECRETARY, email="sec@example.org")
    client.post("/login", data={"email": secretary.email, "password": PASSWORD})
    target = make_user(Role.DIRECTOR, email="target@example.org")
    page = client.get("/accounts")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    assert client.post(f"/accounts/{target.id}/disable", data={"csrf_token": csrf}).status_code == 302
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.record_type == "user",
                                                              AuditEntry.record_id == str(target.id)).order_by(AuditEntry.id)).all()
    changed = [e for e in entries if any(c["field"] == "is_active" for c in e.changes)]
    assert changed and changed[-1].actor == "sec@example.org" and changed[-1].actor_user_id == secretary.id

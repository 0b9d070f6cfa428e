"""Login throttling, token revocation, password reset, idle timeout."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from governance import clock
from governance.extensions import db
from governance.models import AuditEntry, OutboxMessage, PasswordResetRequest, SignInThrottle, User
from governance.services import users
from tests.conftest import PASSWORD

T0 = datetime(2025, 3, 14, 3, 0, tzinfo=UTC)  # 10:00 in Bangkok


@pytest.fixture(autouse=True)
def _app(app):
    return app


def fail(email, now, times=1):
    for _ in range(times):
        assert users.authenticate(email, "wrong password", now) is None
        db.session.commit()


# --- the pause, in the service ------------------------------------------------------------

def test_from_the_fifth_failure_each_pause_doubles_up_to_fifteen_minutes(make_user):
    user = make_user(email="locked@example.org")
    fail(user.email, T0, 4)  # four free tries: a typo or two costs nothing
    now, pauses = T0, []
    for _ in range(8):
        with pytest.raises(users.SignInPaused) as paused:
            users.authenticate(user.email, "wrong password", now)
        db.session.commit()
        pauses.append(paused.value.until - now)
        # paused means paused: the right password is refused too, until the pause runs out
        with pytest.raises(users.SignInPaused):
            users.authenticate(user.email, PASSWORD, paused.value.until - timedelta(seconds=1))
        now = paused.value.until + timedelta(seconds=1)
    minutes = [p.total_seconds() / 60 for p in pauses]
    assert minutes == [0.5, 1, 2, 4, 8, 15, 15, 15]
    assert users.authenticate(user.email, PASSWORD, now) == user
    db.session.commit()
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_failures_are_counted_for_a_day_and_a_success_resets_them(make_user):
    user = make_user(email="slow@example.org")
    fail(user.email, T0, 4)
    fail(user.email, T0 + timedelta(hours=24), 4)  # a new day, a new count
    assert users.authenticate(user.email, PASSWORD, T0 + timedelta(hours=25)) == user
    db.session.commit()
    fail(user.email, T0 + timedelta(hours=26), 4)  # counted from zero again
    assert users.authenticate(user.email, PASSWORD, T0 + timedelta(hours=26)) == user


def test_failures_are_not_audited_but_the_pause_is(make_user):
    user = make_user(email="audited@example.org")
    before = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
    fail(user.email, T0, 4)
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == before
    with pytest.raises(users.SignInPaused):
        users.authenticate(user.email, "wrong password", T0)
    db.session.commit()
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.id > before)).all()
    assert len(entries) == 1 and "locked_until" in str(entries[0].changes)


def test_an_unknown_email_is_paused_the_same_way():
    email = "nobody-here@example.org"
    fail(email, T0, 4)
    with pytest.raises(users.SignInPaused) as paused:
        users.authenticate(email, "wrong password", T0)
    assert paused.value.until == T0 + timedelta(seconds=30)


def test_throttle_keys_are_kept_as_digests_and_pruned(make_user):
    fail("gone@example.org", T0, 2)
    rows = db.session.scalars(sa.select(SignInThrottle)).all()
    assert len(rows) == 1 and "gone" not in rows[0].key_digest
    fail("later@example.org", T0 + timedelta(hours=25))  # the first is stale by then
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignInThrottle)) == 1


# --- the guesser is paused, the owner is not -----------------------------------------------

def attempt(email, password, now, **where):
    try:
        return users.authenticate(email, password, now, **where)
    except users.SignInPaused:
        return "paused"
    finally:
        db.session.commit()


def test_a_strangers_guesses_never_pause_the_owner_in_their_own_browser(make_user):
    owner = make_user(email="secretary@example.org")
    own_browser = users.device_token(owner)  # the cookie of an earlier sign-in there
    for n in range(30):
        attempt(owner.email, f"guess {n}", T0, client="203.0.113.9")
    assert attempt(owner.email, PASSWORD, T0, client="203.0.113.9") == "paused"  # the stranger is paused
    assert attempt(owner.email, PASSWORD, T0, client="198.51.100.7") == "paused"  # so is any new browser
    assert attempt(owner.email, PASSWORD, T0, client="198.51.100.7", device=own_browser) == owner


def test_a_trusted_browser_is_still_paused_by_its_own_wrong_tries(make_user):
    owner = make_user(email="laptop@example.org")
    laptop = users.device_token(owner)
    answers = [attempt(owner.email, "wrong", T0, device=laptop) for _ in range(6)]
    assert answers == [None] * 4 + ["paused"] * 2
    assert attempt(owner.email, PASSWORD, T0, device=laptop) == "paused"
    assert attempt(owner.email, PASSWORD, T0, device=users.device_token(owner)) == owner  # another of hers


def test_a_cookie_of_another_account_or_forged_counts_for_nothing(make_user):
    owner, other = make_user(email="owner@example.org"), make_user(email="other@example.org")
    for n in range(6):
        attempt(owner.email, f"guess {n}", T0, client="203.0.113.9")
    assert attempt(owner.email, PASSWORD, T0, device=users.device_token(other)) == "paused"
    assert attempt(owner.email, PASSWORD, T0, device="[2, \"forged\"].x") == "paused"


def test_one_client_trying_many_addresses_is_paused_for_all_of_them(make_user):
    owner = make_user(email="real@example.org")
    for n in range(users.CLIENT_PAUSE_AFTER):
        attempt(f"guess{n}@example.org", "password1", T0, client="203.0.113.9")
    assert attempt(owner.email, PASSWORD, T0, client="203.0.113.9") == "paused"
    assert attempt(owner.email, PASSWORD, T0, client="198.51.100.7") == owner  # elsewhere: not paused


# --- the login page -----------------------------------------------------------------------

def signed_in(client) -> bool:
    response = client.get("/")
    return not (response.status_code == 302 and "/login" in response.headers["Location"])


def login(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def test_the_login_page_says_sign_in_is_paused_and_until_when(client, make_user, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: T0)
    user = make_user(email="page@example.org")
    for _ in range(4):
        login(client, user.email, "bad")
    page = login(client, user.email, "bad").get_data(as_text=True)
    # Thai by default: Buddhist Era date, Bangkok time
    assert "14 มีนาคม 2568 10:01" in page  # paused for 30 seconds, shown to the minute rounded up
    unknown = "nobody@example.org"
    for _ in range(4):
        login(client, unknown, "bad")
    unknown_page = login(client, unknown, "bad").get_data(as_text=True)
    shape = re.compile(r'<p class="error">([^<]*)</p>')
    assert shape.findall(unknown_page) == shape.findall(page)  # nothing tells the email is unknown
    assert login(client, user.email).status_code == 200  # the right password: still paused
    monkeypatch.setattr(clock, "now", lambda: T0 + timedelta(seconds=31))
    assert login(client, user.email).status_code == 302


def test_the_owners_browser_signs_in_while_a_stranger_is_paused(app, make_user, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: T0)
    owner = make_user(email="owner@example.org")
    own, stranger, new_browser = (app.test_client() for _ in range(3))
    assert login(own, owner.email).status_code == 302  # her usual browser, remembered from now on
    own.post("/logout")
    for n in range(12):
        login(stranger, owner.email, f"guess {n}")
    assert "พักการเข้าสู่ระบบ" in login(stranger, owner.email).get_data(as_text=True)
    assert "พักการเข้าสู่ระบบ" in login(new_browser, owner.email).get_data(as_text=True)
    assert login(own, owner.email).status_code == 302 and signed_in(own)


def test_a_reset_link_makes_its_browser_the_owners(app, make_user, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: T0)
    owner = make_user(email="owner@example.org")
    stranger, phone = app.test_client(), app.test_client()
    for n in range(12):
        login(stranger, owner.email, f"guess {n}")
    token = users.password_reset_token(owner, T0)
    response = phone.post(f"/password/reset/{token}", data={"password": "a new password 1", "confirm": "a new password 1"})
    assert response.status_code == 302
    for n in range(12):  # the stranger goes on guessing
        login(stranger, owner.email, f"guess {n}")
    assert login(phone, owner.email, "a new password 1").status_code == 302 and signed_in(phone)


def test_post_login_is_limited_per_address(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    codes = [login(client, f"u{i}@example.org", "bad").status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/login").status_code == 200  # only POST is limited


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(database_url):
    from governance import create_app
    from tests.conftest import _config

    proxied = create_app({**_config(database_url), "TRUSTED_PROXIES": 1, "LOGIN_RATE_LIMIT": "2 per minute"})
    client = proxied.test_client()

    def attempt(address):
        return client.post("/login", data={"email": "x@example.org", "password": "bad"},
                           headers={"X-Forwarded-For": address}).status_code

    try:
        assert [attempt("203.0.113.7") for _ in range(3)] == [200, 200, 429]
        assert attempt("203.0.113.8") == 200  # another client behind the same proxy
    finally:
        with proxied.app_context():
            db.engine.dispose()  # this app's own pool: close its connections (PostgreSQL warns otherwise)


def test_without_trusted_proxies_a_forwarded_address_is_ignored(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    codes = [client.post("/login", data={"email": "x@example.org", "password": "bad"},
                         headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(3)]
    assert codes == [200, 200, 429]  # a made-up header does not buy more attempts


# --- the API ------------------------------------------------------------------------------

def token(client, email, password=PASSWORD):
    return client.post("/api/v1/auth/token", json={"email": email, "password": password})


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def test_the_token_exchange_honours_the_lock_and_the_rate_limit(app, client, make_user):
    user = make_user(email="api@example.org")
    for _ in range(4):
        assert token(client, user.email, "bad").status_code == 401
    locked = token(client, user.email, "bad")
    assert locked.status_code == 401 and locked.get_json()["error"]["code"] == "sign_in_paused"
    assert token(client, user.email).get_json()["error"]["code"] == "sign_in_paused"
    app.config["LOGIN_RATE_LIMIT"] = "1 per minute"
    token(client, user.email)
    limited = token(client, user.email)
    assert limited.status_code == 429
    assert set(limited.get_json()["error"]) == {"code", "message", "fields"}


def test_tokens_are_listed_and_revoked(client, make_user):
    director = make_user("director", email="d@example.org")
    admin = make_user("admin", email="a@example.org")
    first = token(client, director.email).get_json()["token"]
    second = token(client, director.email).get_json()["token"]
    admins = token(client, admin.email).get_json()["token"]

    listed = client.get("/api/v1/auth/tokens", headers=bearer(first)).get_json()
    assert [set(t) for t in listed] == [{"id", "created_at", "expires_at", "revoked"}] * 2
    assert first not in str(listed)
    second_id = listed[0]["id"]
    admin_token_id = client.get("/api/v1/auth/tokens", headers=bearer(admins)).get_json()[0]["id"]

    # someone else's token: 404 for a non-admin; an admin may revoke anyone's
    assert client.delete(f"/api/v1/auth/tokens/{admin_token_id}", headers=bearer(first)).status_code == 404
    assert client.delete(f"/api/v1/auth/tokens/{second_id}", headers=bearer(admins)).status_code == 204
    assert client.get("/api/v1/auth/tokens", headers=bearer(second)).status_code == 401
    assert client.get("/api/v1/auth/tokens", headers=bearer(first)).get_json()[0]["revoked"] is True

    # the token in use, revoked by itself
    assert client.delete("/api/v1/auth/token", headers=bearer(first)).status_code == 204
    assert client.get("/api/v1/auth/tokens", headers=bearer(first)).status_code == 401


# --- password reset -----------------------------------------------------------------------

def reset_link(email):
    message = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == email)
                                 .order_by(OutboxMessage.id.desc())).first()
    assert message is not None and message.kind == "password_reset"
    return message, re.search(r"http\S+/password/reset/\S+", message.body_text).group(0)


def test_forgot_password_answers_the_same_and_queues_mail_only_for_accounts(client, make_user):
    make_user(email="known@example.org", locale="en")
    known = client.post("/password/forgot", data={"email": "known@example.org"}, follow_redirects=True)
    unknown = client.post("/password/forgot", data={"email": "unknown@example.org"}, follow_redirects=True)
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0  # the page only records the ask
    client.post("/password/forgot", data={"email": "KNOWN@example.org"})  # asked twice: one link
    assert users.answer_reset_requests(clock.now()) == 1
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PasswordResetRequest)) == 0
    message, _ = reset_link("known@example.org")
    assert message.locale == "en" and message.subject.startswith("Choose a new password")


def test_forgot_password_does_the_same_work_for_a_known_and_an_unknown_address(app, client, make_user):
    """Its answer time told them apart (the known path rendered and queued the mail): now
    both run the same statements, and nothing is rendered until the outbox run."""
    from sqlalchemy import event

    make_user(email="known@example.org")
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    def work(email: str) -> list[str]:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            client.post("/password/forgot", data={"email": email})
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return statements

    assert work("known@example.org") == work("unknown@example.org")
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_the_reset_link_works_once_and_ends_other_sessions(app, client, make_user):
    user = make_user(email="reset@example.org")  # Thai
    other = app.test_client()
    assert login(other, user.email).status_code == 302
    assert signed_in(other)
    client.post("/password/forgot", data={"email": user.email})
    users.answer_reset_requests(clock.now())
    db.session.commit()
    message, link = reset_link(user.email)
    assert message.locale == "th" and "ตั้งรหัสผ่านใหม่" in message.subject
    path = link.split("localhost:5000", 1)[-1] if "localhost:5000" in link else "/" + link.split("/", 3)[3]

    assert client.get(path).status_code == 200
    short = client.post(path, data={"password": "short", "confirm": "short"})
    assert short.status_code == 200
    done = client.post(path, data={"password": "a brand new password", "confirm": "a brand new password"})
    assert done.status_code == 302
    assert client.get(path).status_code == 404  # used: the password it was signed over changed
    assert not signed_in(other)  # the other session has ended
    assert login(client, user.email).status_code == 200  # the old password is gone
    assert login(client, user.email, "a brand new password").status_code == 302


def test_a_password_reset_ends_the_accounts_api_tokens(client, make_user):
    user = make_user(email="tokens@example.org")
    other = make_user(email="bystander@example.org")
    raw = token(client, user.email).get_json()["token"]
    bystander = token(client, other.email).get_json()["token"]
    assert client.get("/api/v1/directors", headers=bearer(raw)).status_code == 200
    users.reset_password(users.password_reset_token(user, T0), "a brand new password", T0)
    db.session.commit()
    assert client.get("/api/v1/directors", headers=bearer(raw)).status_code == 401
    assert client.get("/api/v1/directors", headers=bearer(bystander)).status_code == 200


def test_the_reset_link_expires_after_an_hour(make_user):
    user = make_user(email="late@example.org")
    link_token = users.password_reset_token(user, T0)
    assert users.user_for_reset_token(link_token, T0 + timedelta(minutes=59)) == user
    with pytest.raises(users.NotFound):
        users.user_for_reset_token(link_token, T0 + timedelta(minutes=61))
    with pytest.raises(users.NotFound):
        users.user_for_reset_token(link_token + "x", T0)


def test_reset_refuses_too_long_passwords(make_user):
    user = make_user(email="long@example.org")
    with pytest.raises(users.ValidationFailed):
        users.reset_password(users.password_reset_token(user, T0), "x" * 129, T0)


# --- idle timeout -------------------------------------------------------------------------

def test_an_idle_session_is_signed_out(app, client, make_user, monkeypatch):
    app.config["SESSION_IDLE_MINUTES"] = 30
    user = make_user(email="idle@example.org")
    monkeypatch.setattr(clock, "now", lambda: T0)
    assert login(client, user.email).status_code == 302
    monkeypatch.setattr(clock, "now", lambda: T0 + timedelta(minutes=29))
    assert signed_in(client)  # used: the idle clock starts again
    monkeypatch.setattr(clock, "now", lambda: T0 + timedelta(minutes=58))
    assert signed_in(client)
    # The last-seen stamp moves at most once a minute, so the limit allows that minute:
    # signed out once more than 31 minutes have passed, never before 30.
    monkeypatch.setattr(clock, "now", lambda: T0 + timedelta(minutes=89, seconds=1))
    assert not signed_in(client)
    monkeypatch.setattr(clock, "now", lambda: T0 + timedelta(minutes=90))
    assert not signed_in(client)
    assert db.session.get(User, user.id).is_active


def test_nobody_is_signed_out_before_the_idle_limit(app, client, make_user, monkeypatch):
    app.config["SESSION_IDLE_MINUTES"] = 30
    user = make_user(email="busy@example.org")
    monkeypatch.setattr(clock, "now", lambda: T0)
    assert login(client, user.email).status_code == 302
    monkeypatch.setattr(clock, "now", lambda: T0 + timedelta(seconds=59))  # too soon to move the stamp
    assert signed_in(client)
    monkeypatch.setattr(clock, "now", lambda: T0 + timedelta(minutes=30, seconds=58))  # 29:59 after that
    assert signed_in(client)


def test_a_busy_session_still_ends_after_its_lifetime(app, client, make_user, monkeypatch):
    app.config["SESSION_IDLE_MINUTES"] = 30
    app.permanent_session_lifetime = timedelta(hours=8)
    user = make_user(email="allday@example.org")
    monkeypatch.setattr(clock, "now", lambda: T0)
    assert login(client, user.email).status_code == 302
    for minutes in range(20, 8 * 60 + 1, 20):  # a request every 20 minutes, all day
        monkeypatch.setattr(clock, "now", lambda minutes=minutes: T0 + timedelta(minutes=minutes))
        assert signed_in(client), minutes
    monkeypatch.setattr(clock, "now", lambda: T0 + timedelta(hours=8, minutes=1))
    assert not signed_in(client)
    assert "หลังจาก 8 ชั่วโมง" in client.get("/login").get_data(as_text=True)  # the message says why


def test_a_token_id_beyond_the_database_integer_is_simply_not_found(client, api_token):
    """Found by the API fuzz run on PostgreSQL: 2**31 overflowed the id column (a 500)."""
    response = client.delete("/api/v1/auth/tokens/2147483648", headers=api_token("admin"))
    assert response.status_code == 404

"""Accounts, sign-in, and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeSerializer, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from governance.extensions import db
from governance.models import ApiToken, PasswordResetRequest, Role, SignInThrottle, User
from governance.services import emails, outbox
from governance.services.errors import Conflict, NotFound, ServiceError, ValidationFailed

MIN_PASSWORD = 8
MAX_PASSWORD = 128
# A real hash to compare against when the email is unknown, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not-a-real-password")
# Throttling the guesser, not the owner. Failures are counted for FAILURE_WINDOW from the
# first one; from the PAUSE_AFTER-th on, each failure pauses sign-in, FIRST_PAUSE doubling up
# to MAX_PAUSE. Three counters:
# - the address (the account's row, or a throttle row when no account has it): tries from
#   browsers the owner has not signed in from before;
# - the client address, across every address it tries;
# - a trusted browser: one the owner signed in from, or set a password from through a link,
#   carries a signed cookie (device_token) and is counted on its own. So a stranger's
#   guesses pause the stranger, and the owner signing in from their usual place is never
#   paused by them (the OWASP "device cookie" scheme).
PAUSE_AFTER = 5
CLIENT_PAUSE_AFTER = 20  # an office behind one address holds many people
FIRST_PAUSE = timedelta(seconds=30)
MAX_PAUSE = timedelta(minutes=15)
FAILURE_WINDOW = timedelta(hours=24)


class SignInPaused(ServiceError):
    """Too many failed sign-ins: refused until ``until``, whatever the password."""

    code = "sign_in_paused"
    http_status = 401

    def __init__(self, until: datetime):
        super().__init__(_l("Too many failed sign-ins: sign-in is paused for this account."))
        self.until = until


def create_user(email: str, role: Role | str, password: str, *, director_id: int | None = None,
                locale: str = "th") -> User:
    email = _normalise(email)
    errors = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = _l("Enter a valid email address.")
    if role not in {r.value for r in Role}:
        errors["role"] = _l("Role must be one of: %(roles)s.", roles=", ".join(r.value for r in Role))
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        errors["password"] = _l("A password has %(min)s to %(max)s characters.", min=MIN_PASSWORD, max=MAX_PASSWORD)
    if errors:
        raise ValidationFailed(errors)
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise Conflict(_l("An account for %(email)s exists already.", email=email),
                       {"email": _l("An account for %(email)s exists already.", email=email)})
    user = User(email=email, role=Role(role), password_hash=generate_password_hash(password),
                director_id=director_id, locale=locale)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str, now: datetime, *, client: str | None = None,
                 device: str | None = None) -> User | None:
    """The account for these credentials, or None; raises SignInPaused while paused.

    ``client`` is the client's address; ``device`` the browser's trusted-browser cookie, if
    any. Every count is in the database (every worker and restart sees it); the caller
    commits whatever the outcome. An unknown address is counted and paused exactly like an
    account's, so the answer never tells whether an account has it.
    """
    email = _normalise(email)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is not None and device is not None and _device_user_id(device) == user.id:
        return _trusted_attempt(user, password, device, now)
    _prune(now)
    client_row = _throttle_row(f"client:{client}", now) if client else None
    if user is None:
        address_row = _throttle_row(f"email:{email}", now)
        _refuse_while_paused(password, now, address_row.locked_until, client_row)
        check_password_hash(_DUMMY_HASH, password)
        _count_failures(now, (address_row, PAUSE_AFTER), (client_row, CLIENT_PAUSE_AFTER))
        return None
    _refuse_while_paused(password, now, user.locked_until, client_row)
    if user.is_active and check_password_hash(user.password_hash, password):
        if user.failed_logins or user.first_failed_at is not None or user.locked_until is not None:
            _clear_failures(user)
        user.last_sign_in_at = now
        db.session.flush()
        return user
    _count_failures(now, (user, PAUSE_AFTER), (client_row, CLIENT_PAUSE_AFTER))
    return None


def _trusted_attempt(user: User, password: str, device: str, now: datetime) -> User | None:
    """From the owner's own browser: only this browser's failures count here, so nothing a
    stranger does elsewhere pauses it (and a stolen laptop is still paused by its own tries)."""
    _prune(now)
    row = _throttle_row(f"device:{device}", now)
    _refuse_while_paused(password, now, row.locked_until, None)
    if user.is_active and check_password_hash(user.password_hash, password):
        row.failed_logins, row.first_failed_at, row.locked_until = 0, None, None
        user.last_sign_in_at = now
        db.session.flush()
        return user
    _count_failures(now, (row, PAUSE_AFTER))
    return None


def _refuse_while_paused(password: str, now: datetime, address_until: datetime | None,
                         client_row: SignInThrottle | None) -> None:
    pauses = [_aware(t) for t in (address_until, client_row.locked_until if client_row else None)
              if t is not None and _aware(t) > now]
    if pauses:
        check_password_hash(_DUMMY_HASH, password)  # the same work as an answer
        db.session.flush()
        raise SignInPaused(max(pauses))


def _count_failures(now: datetime, *counters: tuple[User | SignInThrottle | None, int]) -> None:
    """One more failure on each counter; SignInPaused if any of them now pauses."""
    pauses = []
    for row, pause_after in counters:
        if row is None:
            continue
        state = _after_failure(_Failures(row.failed_logins, _maybe_aware(row.first_failed_at), None), now,
                               pause_after)
        row.failed_logins, row.first_failed_at = state.count, state.first_at
        if state.locked_until is not None:
            row.locked_until = state.locked_until
            pauses.append(state.locked_until)
    db.session.flush()
    if pauses:
        raise SignInPaused(max(pauses))


@dataclass(frozen=True)
class _Failures:
    count: int
    first_at: datetime | None
    locked_until: datetime | None


def _after_failure(state: _Failures, now: datetime, pause_after: int = PAUSE_AFTER) -> _Failures:
    """One more failure: a new count when the window ran out; from ``pause_after`` failures on,
    a pause that doubles with each further one."""
    if state.first_at is None or now - state.first_at >= FAILURE_WINDOW:
        state = _Failures(0, now, None)
    count = state.count + 1
    if count < pause_after:
        return _Failures(count, state.first_at, None)
    return _Failures(count, state.first_at, now + pause_length(count - pause_after))


def pause_length(pauses_before: int) -> timedelta:
    """The pause after a failure, given how many failures already paused: 30 s, 1, 2, 4, 8, 15 min."""
    return min(MAX_PAUSE, FIRST_PAUSE * 2 ** min(pauses_before, 10))


def _clear_failures(user: User) -> None:
    user.failed_logins = 0
    user.first_failed_at = None
    user.locked_until = None
    db.session.flush()


def _prune(now: datetime) -> None:
    stale = sa.delete(SignInThrottle).where(SignInThrottle.touched_at < now - FAILURE_WINDOW - MAX_PAUSE)
    db.session.execute(stale, execution_options={"synchronize_session": False})


def _throttle_row(key: str, now: datetime) -> SignInThrottle:
    """The counter for ``key``, created if missing and locked for this transaction."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    outbox.insert_once(SignInThrottle.__table__, {"key_digest": digest, "failed_logins": 0, "touched_at": now},
                       ["key_digest"])
    # The insert took SQLite's write lock; FOR UPDATE takes PostgreSQL's row lock: workers queue here.
    row = db.session.scalars(sa.select(SignInThrottle).where(SignInThrottle.key_digest == digest)
                             .with_for_update().execution_options(populate_existing=True)).one()
    row.touched_at = now
    return row


# --- trusted browsers -------------------------------------------------------------------

def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="trusted-browser")


def device_token(user: User) -> str:
    """The cookie a browser gets once its holder proved to be the owner (a sign-in, or a
    password set through a link): the account and a random name for this browser."""
    return _device_serializer().dumps([user.id, secrets.token_urlsafe(12)])


def _device_user_id(token: str) -> int | None:
    try:
        user_id, _name = _device_serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    return user_id if isinstance(user_id, int) else None


def user_for_session(session_id: str) -> User | None:
    """Resolve Flask-Login's stored id ('<user id>:<session version>')."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def account_of_director(director_id: int) -> User | None:
    """The sign-in account linked to a director, if any."""
    return db.session.scalar(sa.select(User).where(User.director_id == director_id))


def director_links_allowed(director_id: int) -> bool:
    """Whether links made for a director (calendar feed, invitation answers) still work: not
    once their sign-in account is disabled, the one switch the secretary has to stop them."""
    account = account_of_director(director_id)
    return account is None or account.is_active


def end_sessions(user: User) -> None:
    """Logout: every cookie issued before now stops working."""
    user.session_version += 1
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    if locale not in ("th", "en"):
        raise ValidationFailed({"locale": _l("Choose Thai or English.")})
    user.locale = locale
    db.session.flush()


def issue_token(user: User, now: datetime, lifetime: timedelta) -> str:
    """Create an API token; the raw value is shown once and only its hash is kept."""
    raw = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_hash(raw), created_at=now, expires_at=now + lifetime))
    db.session.flush()
    return raw


def user_for_token(raw: str, now: datetime) -> User | None:
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _hash(raw)))
    if token is None or token.revoked_at is not None or _aware(token.expires_at) <= now:
        return None
    return token.user if token.user.is_active else None


def revoke_token(raw: str, now: datetime) -> None:
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _hash(raw)))
    if token is None:
        raise NotFound(_l("No such token."))
    if token.revoked_at is None:
        token.revoked_at = now
    db.session.flush()


def list_tokens(user: User) -> list[ApiToken]:
    """The user's own API tokens, newest first (their hashes stay inside)."""
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def revoke_token_by_id(token_id: int, actor: User, now: datetime) -> ApiToken:
    """Revoke one token: the actor's own, or anyone's when the actor is an admin.

    Someone else's token is "not found" for a non-admin, so ids tell nothing. A second
    revocation changes nothing.
    """
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and actor.role != Role.ADMIN):
        raise NotFound(_l("No such token."))
    if token.revoked_at is None:
        token.revoked_at = now
        db.session.flush()
    return token


# --- password reset -------------------------------------------------------------------

def _reset_serializer(now: datetime) -> URLSafeTimedSerializer:
    # itsdangerous reads the wall clock itself; the signer is given ``now`` instead.
    class _SignerAt(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(now.timestamp())

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset", signer=_SignerAt)


def password_fingerprint(user: User) -> str:
    # Changes with the password, so a link dies once it has been used.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


#: what a set-password link is for: a reset the holder asked for, or an invitation to a new account
RESET, INVITATION = "reset", "invitation"


def link_max_age(purpose: str) -> timedelta:
    """How long a set-password link works: an hour for a reset, days for an invitation (a new
    director may open their email next week)."""
    setting = "ACCOUNT_INVITATION_MAX_AGE_SECONDS" if purpose == INVITATION else "PASSWORD_RESET_MAX_AGE_SECONDS"
    return timedelta(seconds=current_app.config[setting])


def password_reset_token(user: User, now: datetime, purpose: str = RESET) -> str:
    return _reset_serializer(now).dumps([user.id, password_fingerprint(user), purpose])


def request_password_reset(email: str, now: datetime) -> bool:
    """Queue a reset link for ``email`` in the outbox (caller commits); False, silently, if no
    active account has it: the page answers the same either way."""
    user = db.session.scalar(sa.select(User).where(User.email == _normalise(email)))
    if user is None or not user.is_active:
        return False
    return queue_password_link(user, now, RESET)


def ask_for_password_reset(email: str, now: datetime) -> None:
    """Record what "forgot password" was given (caller commits). The page does only this,
    the same work for any address, so how fast it answers tells nothing; the next outbox
    run (answer_reset_requests) sends the link, within a minute."""
    db.session.add(PasswordResetRequest(email=_normalise(email)[:254], requested_at=now))
    db.session.flush()


def answer_reset_requests(now: datetime) -> int:
    """Each waiting request becomes a link (one per address however often it was asked) or
    nothing; the requests are deleted. Returns how many links were queued."""
    waiting = list(db.session.scalars(sa.select(PasswordResetRequest).order_by(PasswordResetRequest.id)
                                      .with_for_update(skip_locked=True)))
    queued = sum(request_password_reset(email, now) for email in dict.fromkeys(r.email for r in waiting))
    for request in waiting:
        db.session.delete(request)
    db.session.flush()
    return queued


def queue_password_link(user: User, now: datetime, purpose: str) -> bool:
    """Queue a set-password link to ``user``: a reset, or an invitation to a new account."""
    kind = "account_invitation" if purpose == INVITATION else "password_reset"
    link = emails.absolute_url("auth.reset_password", token=password_reset_token(user, now, purpose))
    hours = int(link_max_age(purpose).total_seconds()) // 3600
    context = {"link": link, "minutes": int(link_max_age(purpose).total_seconds()) // 60, "days": max(1, hours // 24),
               "role": user.role.value}
    email_ = emails.render(kind, user.email, user.locale, context)
    # The password's fingerprint in the key lets delivery withdraw a link a later change killed.
    key = f"{kind}|user:{user.id}|{now.isoformat()}|fp-{password_fingerprint(user)}|{secrets.token_hex(8)}"
    return outbox.enqueue(key, kind, f"user:{user.id}", email_, now)


def user_for_reset_token(token: str, now: datetime) -> User:
    """The account a reset link is for; NotFound when forged, expired, or already used."""
    invalid = NotFound(_l("This password-reset link is not valid any more. Ask for a new one."))
    longest = max(link_max_age(RESET), link_max_age(INVITATION))
    try:
        payload, signed_at = _reset_serializer(now).loads(token, max_age=longest.total_seconds(), return_timestamp=True)
        user_id, fingerprint, purpose = (*payload, RESET) if len(payload) == 2 else payload
    except (SignatureExpired, BadSignature, TypeError, ValueError):
        raise invalid from None
    if purpose not in (RESET, INVITATION) or now - _aware(signed_at) > link_max_age(purpose):
        raise invalid
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active or not secrets.compare_digest(str(fingerprint), password_fingerprint(user)):
        raise invalid
    return user


def link_purpose(token: str, now: datetime) -> str:
    """What a valid set-password link is for (RESET or INVITATION): the page words itself by it."""
    payload = _reset_serializer(now).loads(token)  # the signature only: user_for_reset_token checks the rest
    return payload[2] if len(payload) == 3 and payload[2] in (RESET, INVITATION) else RESET


def reset_password(token: str, password: str, now: datetime) -> User:
    """Set a new password through a reset link; the lock lifts, and every existing session
    and API token ends (a reset is what someone does who fears their account is known)."""
    user = user_for_reset_token(token, now)
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ValidationFailed({"password": _l("A password has %(min)s to %(max)s characters.",
                                               min=MIN_PASSWORD, max=MAX_PASSWORD)})
    user.password_hash = generate_password_hash(password)
    user.session_version += 1
    _clear_failures(user)
    live = sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    for api_token in db.session.scalars(live):
        api_token.revoked_at = now
    db.session.flush()
    return user


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _normalise(email: str) -> str:
    return email.strip().lower()


def _maybe_aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else _aware(moment)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored timestamp is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


#: for callers comparing stored timestamps with ``now``
aware = _aware

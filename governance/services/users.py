"""Accounts, sign-in, and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from governance.extensions import db
from governance.models import ApiToken, Role, User
from governance.services.errors import Conflict, NotFound, ValidationFailed

MIN_PASSWORD = 8
MAX_PASSWORD = 128
# A real hash to compare against when the email is unknown, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


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


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.email == _normalise(email)))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.is_active or not check_password_hash(user.password_hash, password):
        return None
    return user


def user_for_session(session_id: str) -> User | None:
    """Resolve Flask-Login's stored id ('<user id>:<session version>')."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


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
    token.revoked_at = now
    db.session.flush()


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _normalise(email: str) -> str:
    return email.strip().lower()


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored timestamp is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

"""Managing who can sign in: invite, link to the roster, change role, disable, unlock.

The admin manages every account; the secretary manages directors' and auditors' accounts
(she onboards and offboards the board) but cannot make or touch an admin or a secretary.
Every change is a change to the ``user`` row, so the audit trail records who did what to
whom without anything written here. Each function flushes; the caller commits.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from governance.extensions import db
from governance.models import ApiToken, Director, Role, User
from governance.services import users
from governance.services.errors import Conflict, Forbidden, NotFound, ValidationFailed

#: the roles the secretary may give and manage
SECRETARY_MANAGES = frozenset({Role.DIRECTOR, Role.AUDITOR})


class _Operator:
    """Whoever runs ``flask users ...`` on the server: they could edit the database directly,
    so the commands act with the admin's rights (the audit trail records them as "cli")."""

    id = None
    role = Role.ADMIN


OPERATOR = _Operator()


class State(StrEnum):
    ACTIVE = "active"
    INVITED = "invited"  # active, never signed in
    LOCKED = "locked"
    DISABLED = "disabled"


def state_of(user: User, now: datetime) -> State:
    if not user.is_active:
        return State.DISABLED
    if user.locked_until is not None and users.aware(user.locked_until) > now:
        return State.LOCKED
    return State.INVITED if user.last_sign_in_at is None else State.ACTIVE


def may_manage(actor: User, role: Role) -> bool:
    return actor.role == Role.ADMIN or (actor.role == Role.SECRETARY and role in SECRETARY_MANAGES)


def list_accounts(actor: User, now: datetime, *, role: str | None = None, state: str | None = None) -> list[User]:
    """Everyone who can sign in (or could), that the actor manages, by email."""
    query = sa.select(User).order_by(User.email)
    if actor.role != Role.ADMIN:
        query = query.where(User.role.in_(SECRETARY_MANAGES))
    if role:
        query = query.where(User.role == _role(role))
    accounts = list(db.session.scalars(query))
    if state:
        wanted = _state(state)
        accounts = [account for account in accounts if state_of(account, now) == wanted]
    return accounts


def get_account(actor: User, user_id: int) -> User:
    """An account the actor manages; another is "not found", so ids tell nothing."""
    user = db.session.get(User, user_id)
    if user is None or not may_manage(actor, user.role):
        raise NotFound(_l("No such account."))
    return user


def find_by_email(actor: User, email: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not may_manage(actor, user.role):
        raise NotFound(_l("No account uses %(email)s.", email=email.strip()))
    return user


def invite(actor: User, now: datetime, *, role: str, email: str | None = None, director_id: int | None = None,
           locale: str = "th") -> User:
    """Open an account and email its holder a link to choose a password (valid for days).

    Nobody knows the account's first password, not even the secretary: until the link is
    used the account cannot be signed in to. With a director picked from the roster, the
    email defaults to the roster's and the account is linked to that director.
    """
    role_ = _role(role)
    _require(actor, role_)
    director = _director(director_id) if director_id is not None else None
    address = (email or (director.email if director else None) or "").strip()
    if not address:
        raise ValidationFailed({"email": _l("Enter the email address the invitation goes to.")})
    if locale not in ("th", "en"):
        raise ValidationFailed({"locale": _l("Choose Thai or English.")})
    if director is not None:
        _ensure_unlinked(director)
    user = users.create_user(address, role_, secrets.token_urlsafe(32), locale=locale)  # a password no one is told
    user.director_id = director.id if director else None
    db.session.flush()
    users.queue_password_link(user, now, users.INVITATION)
    return user


def resend_invitation(actor: User, user: User, now: datetime) -> None:
    _require(actor, user.role)
    if not user.is_active:
        raise Conflict(_l("The account is disabled: enable it first."), {"is_active": _l("The account is disabled.")})
    users.queue_password_link(user, now, users.INVITATION)


def send_password_reset(actor: User, user: User, now: datetime) -> None:
    """A reset link sent on the holder's behalf (they asked the secretariat by phone)."""
    _require(actor, user.role)
    if not user.is_active:
        raise Conflict(_l("The account is disabled: enable it first."), {"is_active": _l("The account is disabled.")})
    users.queue_password_link(user, now, users.RESET)


def link(actor: User, user: User, director_id: int) -> None:
    _require(actor, user.role)
    director = _director(director_id)
    if user.director_id == director.id:
        return
    _ensure_unlinked(director)
    user.director_id = director.id
    db.session.flush()


def unlink(actor: User, user: User) -> None:
    _require(actor, user.role)
    user.director_id = None
    db.session.flush()


def change_role(actor: User, user: User, role: str) -> None:
    new_role = _role(role)
    _require(actor, user.role)
    _require(actor, new_role)
    if user.role == Role.ADMIN and new_role != Role.ADMIN:
        _keep_an_admin(user)
    user.role = new_role
    db.session.flush()


def disable(actor: User, user: User, now: datetime) -> None:
    """Stop the account at once: its sessions, API tokens and calendar-feed address end."""
    _require(actor, user.role)
    if user.id == actor.id:
        raise Conflict(_l("You cannot disable your own account."), {"is_active": _l("This is your own account.")})
    if user.role == Role.ADMIN:
        _keep_an_admin(user)
    _disable(user, now)


def enable(actor: User, user: User) -> None:
    _require(actor, user.role)
    user.is_active = True
    db.session.flush()


def keep_open(actor: User, user: User, keep: bool) -> None:
    """The admin's exception: this director's account stays open after their term ends."""
    if actor.role != Role.ADMIN:
        raise Forbidden(_l("Only an administrator can keep an account open past a director's term."))
    user.keep_open = keep
    db.session.flush()


def unlock(actor: User, user: User) -> None:
    _require(actor, user.role)
    user.failed_logins, user.first_failed_at, user.locked_until = 0, None, None
    db.session.flush()


def disable_departed(as_of: date, now: datetime) -> list[User]:
    """Disable directors' accounts whose term ended before ``as_of`` (so, the day after),
    except those the admin keeps open. The scheduler runs it daily; run twice, it does nothing more."""
    departed = sa.select(User).join(Director, User.director_id == Director.id).where(
        User.role == Role.DIRECTOR, User.is_active.is_(True), User.keep_open.is_(False),
        Director.term_end.is_not(None), Director.term_end < as_of)
    accounts = list(db.session.scalars(departed))
    for user in accounts:
        _disable(user, now)
    return accounts


def _disable(user: User, now: datetime) -> None:
    user.is_active = False
    user.session_version += 1  # every session cookie dies
    live = sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    for token in db.session.scalars(live):
        token.revoked_at = now
    # The calendar feed and RSVP links check users.director_links_allowed: they stop too.
    db.session.flush()


def _require(actor: User, role: Role) -> None:
    if not may_manage(actor, role):
        raise Forbidden(_l("Only an administrator manages administrators' and secretaries' accounts."))


def _keep_an_admin(user: User) -> None:
    others = sa.select(sa.func.count()).select_from(User).where(
        User.role == Role.ADMIN, User.is_active.is_(True), User.id != user.id)
    if not db.session.scalar(others):
        raise Conflict(_l("This is the last active administrator: make another one first."),
                       {"role": _l("The last active administrator.")})


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise ValidationFailed({"role": _l("Role must be one of: %(roles)s.",
                                           roles=", ".join(r.value for r in Role))}) from None


def _state(value: str) -> State:
    try:
        return State(value)
    except ValueError:
        raise ValidationFailed({"state": _l("State must be one of: %(states)s.",
                                            states=", ".join(s.value for s in State))}) from None


def _director(director_id: int) -> Director:
    director = db.session.get(Director, director_id)
    if director is None:
        raise ValidationFailed({"director_id": _l("No such director on the roster.")})
    return director


def _ensure_unlinked(director: Director) -> None:
    if users.account_of_director(director.id) is not None:
        raise Conflict(_l("%(name)s already has an account.", name=director.name),
                       {"director_id": _l("%(name)s already has an account.", name=director.name)})

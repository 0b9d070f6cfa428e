"""Accounts, for the admin: list, invite, change (role, link, active, kept open), unlock, reset."""

from __future__ import annotations

from flask import request
from pydantic import BaseModel, EmailStr, Field

from governance import clock
from governance.api import schemas as s
from governance.api.auth import current_api_user, token_required
from governance.api.blueprint import bp
from governance.api.parsing import StrictModel, parse_body
from governance.models import Role
from governance.services import accounts


class Account(BaseModel):
    """One account that can (or could) sign in."""

    id: int
    email: str
    role: Role
    director_id: int | None
    locale: str
    state: accounts.State = Field(description="`invited`: active but never signed in; `locked`: signing in is "
                                              "paused after failed tries.")
    is_active: bool
    keep_open: bool = Field(description="Stays open after the linked director's term ends.")
    last_sign_in_at: str | None = Field(description="ISO 8601 timestamp with offset (UTC).")
    locked_until: str | None = Field(description="ISO 8601 timestamp with offset (UTC).")

    @classmethod
    def of(cls, user) -> Account:
        return cls(id=user.id, email=user.email, role=user.role, director_id=user.director_id, locale=user.locale,
                   state=accounts.state_of(user, clock.now()), is_active=user.is_active, keep_open=user.keep_open,
                   last_sign_in_at=_iso(user.last_sign_in_at), locked_until=_iso(user.locked_until))


class InvitationRequest(StrictModel):
    email: EmailStr | None = Field(default=None, max_length=254,
                                   description="Default: the linked director's roster email.")
    role: Role = Role.DIRECTOR
    director_id: int | None = Field(default=None, ge=1, le=s.ID_MAX)
    locale: str = Field(default="th", pattern="^(th|en)$")


class AccountChange(StrictModel):
    """Only the fields sent change; `director_id: null` unlinks."""

    role: Role | None = None
    director_id: int | None = Field(default=None, ge=1, le=s.ID_MAX)
    is_active: bool | None = None
    keep_open: bool | None = None


@bp.get("/users")
@token_required(Role.ADMIN)
def list_users():
    found = accounts.list_accounts(current_api_user(), clock.now(), role=request.args.get("role") or None,
                                   state=request.args.get("state") or None)
    return s.respond([Account.of(user) for user in found])


@bp.post("/users")
@token_required(Role.ADMIN)
def invite_user():
    body = parse_body(InvitationRequest)
    user = accounts.invite(current_api_user(), clock.now(), role=body.role, email=body.email,
                           director_id=body.director_id, locale=body.locale)
    answer = Account.of(user)
    s.commit()
    return s.respond(answer, 201)


@bp.get(f"/users/<{s.ID}:user_id>")
@token_required(Role.ADMIN)
def get_user(user_id: int):
    return s.respond(Account.of(accounts.get_account(current_api_user(), user_id)))


@bp.patch(f"/users/<{s.ID}:user_id>")
@token_required(Role.ADMIN)
def change_user(user_id: int):
    actor = current_api_user()
    body = parse_body(AccountChange)
    user = accounts.get_account(actor, user_id)
    sent = body.model_fields_set
    if "role" in sent and body.role is not None:
        accounts.change_role(actor, user, body.role)
    if "director_id" in sent:
        accounts.link(actor, user, body.director_id) if body.director_id else accounts.unlink(actor, user)
    if "keep_open" in sent and body.keep_open is not None:
        accounts.keep_open(actor, user, body.keep_open)
    if "is_active" in sent and body.is_active is not None and body.is_active != user.is_active:
        accounts.enable(actor, user) if body.is_active else accounts.disable(actor, user, clock.now())
    answer = Account.of(user)
    s.commit()
    return s.respond(answer)


@bp.post(f"/users/<{s.ID}:user_id>/unlock")
@token_required(Role.ADMIN)
def unlock_user(user_id: int):
    user = accounts.get_account(current_api_user(), user_id)
    accounts.unlock(current_api_user(), user)
    answer = Account.of(user)
    s.commit()
    return s.respond(answer)


@bp.post(f"/users/<{s.ID}:user_id>/password-reset")
@token_required(Role.ADMIN)
def send_password_reset(user_id: int):
    user = accounts.get_account(current_api_user(), user_id)
    accounts.send_password_reset(current_api_user(), user, clock.now())
    s.commit()
    return s.no_content()


def _iso(moment) -> str | None:
    return None if moment is None else s.utc_iso(moment)

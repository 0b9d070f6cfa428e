"""API tokens: exchange email and password for one, list one's own, revoke them."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, jsonify, request
from pydantic import Field

from governance import clock
from governance.api import schemas as s
from governance.api.auth import READERS, current_api_user, token_required
from governance.api.blueprint import bp
from governance.api.errors import error_response
from governance.api.parsing import StrictModel, parse_body
from governance.extensions import db, limiter
from governance.services import users


class TokenRequest(StrictModel):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=128)


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.post("/auth/token")
@limiter.limit(_login_rate_limit)
def create_token():
    body = parse_body(TokenRequest)
    try:
        user = users.authenticate(body.email, body.password, clock.now(), client=request.remote_addr)
    except users.SignInPaused as paused:
        db.session.commit()  # the failure that locked, and the lock, are kept
        return error_response(401, paused.code, f"{paused.message} Until {paused.until.isoformat()}.")
    db.session.commit()  # the failed-attempt counter, or its reset
    if user is None:
        return error_response(401, "invalid_credentials", "Wrong email or password.")
    now = clock.now()
    lifetime = timedelta(days=current_app.config["API_TOKEN_LIFETIME_DAYS"])
    raw = users.issue_token(user, now, lifetime)
    db.session.commit()
    return jsonify({"token": raw, "expires_at": (now + lifetime).isoformat(), "role": user.role.value}), 201


@bp.delete("/auth/token")
@token_required(*READERS)
def revoke_current_token():
    users.revoke_token(g.api_token, clock.now())
    db.session.commit()
    return s.no_content()


@bp.get("/auth/tokens")
@token_required(*READERS)
def list_tokens():
    tokens = users.list_tokens(current_api_user())
    return s.respond([s.ApiTokenOut.of(token) for token in tokens])


@bp.delete(f"/auth/tokens/<{s.ID}:token_id>")
@token_required(*READERS)
def revoke_token(token_id: int):
    users.revoke_token_by_id(token_id, current_api_user(), clock.now())
    db.session.commit()
    return s.no_content()

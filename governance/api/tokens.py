"""POST /api/v1/auth/token: exchange email and password for a bearer token."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, jsonify
from pydantic import Field

from governance import clock
from governance.api.blueprint import bp
from governance.api.errors import error_response
from governance.api.parsing import StrictModel, parse_body
from governance.extensions import db
from governance.services import users


class TokenRequest(StrictModel):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=128)


@bp.post("/auth/token")
def create_token():
    body = parse_body(TokenRequest)
    user = users.authenticate(body.email, body.password)
    if user is None:
        return error_response(401, "invalid_credentials", "Wrong email or password.")
    now = clock.now()
    lifetime = timedelta(days=current_app.config["API_TOKEN_LIFETIME_DAYS"])
    raw = users.issue_token(user, now, lifetime)
    db.session.commit()
    return jsonify({"token": raw, "expires_at": (now + lifetime).isoformat(), "role": user.role.value}), 201

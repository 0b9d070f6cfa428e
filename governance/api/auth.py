"""Bearer-token authentication and role checks for the API."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from flask import abort, g, request

from governance import clock
from governance.models import Role, User
from governance.services import audit, users

READERS = (Role.ADMIN, Role.SECRETARY, Role.DIRECTOR, Role.AUDITOR)
WRITERS = (Role.ADMIN, Role.SECRETARY)


def current_api_user() -> User:
    return g.api_user


security_log = logging.getLogger("governance.security")


def token_required(*roles: Role) -> Callable:
    """401 without a valid bearer token; 403 when the token's role may not do this."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
            user = users.user_for_token(raw.strip(), clock.now()) if scheme.lower() == "bearer" and raw else None
            if user is None:
                security_log.warning("API refused, no valid token: %s %s ip=%s", request.method, request.path,
                                     request.remote_addr)
                abort(401, description="A valid bearer token is required.")
            if user.role not in roles:
                security_log.warning("API refused: user=%s role=%s %s %s", user.id, user.role.value,
                                     request.method, request.path)
                abort(403, description="Your role may not do this.")
            g.api_user = user
            g.api_token = raw.strip()  # DELETE /auth/token revokes the token that was used
            audit.set_actor(user)  # the audit trail's "who" for this request's changes
            return view(*args, **kwargs)

        wrapped.allowed_roles = tuple(roles)  # read by the permission-matrix test
        return wrapped

    return decorator

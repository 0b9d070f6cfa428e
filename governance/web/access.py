"""Who may open which page: one decorator, declared on every view."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from flask import abort, request
from flask_login import current_user, login_required

from governance.models import Role

security_log = logging.getLogger("governance.security")

READERS = (Role.ADMIN, Role.SECRETARY, Role.DIRECTOR, Role.AUDITOR)
WRITERS = (Role.ADMIN, Role.SECRETARY)


def roles_required(*roles: Role) -> Callable:
    """Signed-in users with one of ``roles``; others get 403 (anonymous: the login page)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                security_log.warning("refused: user=%s role=%s %s %s", current_user.id, current_user.role.value,
                                     request.method, request.path)
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = tuple(roles)  # read by the permission-matrix test
        return wrapped

    return decorator

"""The app with no database work per request, to measure what that work costs (bench only).

``create_app()`` is the real app, except that the signed-in user comes from memory instead of
the ``user`` table and the data's version (the page cache's key, ``audit.data_version``) is a
constant. Served by gunicorn beside the real app, the attendance report's cached page then
shows how fast a signed-in page of its size could be if nothing had to be read per request:
the difference from the real app is the price of checking, on every request, that the session
is still valid (sign-out and disabled accounts end it at once) and that the page is current.
Never for serving users: a signed-out session would still be let in, and a change unseen.
"""

from __future__ import annotations

import os

import sqlalchemy as sa

from governance import create_app as create_real_app
from governance.extensions import db, login_manager
from governance.models import User
from governance.services import audit


def create_app():
    app = create_real_app()
    with app.app_context():
        # The bench's own auditor, read once at start-up (BENCH_FLOOR_EMAIL) and kept in memory.
        user = db.session.scalar(sa.select(User).where(User.email == os.environ["BENCH_FLOOR_EMAIL"]))
        db.session.expunge(user)
        db.session.remove()
    login_manager.user_loader(lambda _session_id: user)
    audit.data_version = lambda: "bench-floor"
    return app

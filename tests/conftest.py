"""Shared fixtures: an app on a fresh database per test, and callable record factories.

SQLite by default; set TEST_DATABASE_URL (e.g. postgresql+psycopg://...) to run the
same suite on PostgreSQL, as .ci/run does.
"""

from __future__ import annotations

import os
from datetime import date

import pytest
from flask import g

from governance import create_app
from governance.extensions import db
from governance.indicators.vocabulary import MeetingBody, MeetingKind, MeetingStatus, Position
from governance.models import Role
from governance.models.audit import create_append_only_triggers, remove_append_only_triggers
from governance.services import directors, meetings, users

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def _config(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "MAIL_SUPPRESS_SEND": True,
        "SERVER_NAME": "localhost",
        # Many tests sign in many accounts from one address; tests/security lowers it again.
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    app = create_app(_config(database_url))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(database_url, _schema, monkeypatch, tmp_path):
    monkeypatch.setenv("GOVERNANCE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(_config(database_url))
    # The test keeps one app context open (so it can use db.session), and Flask reuses it
    # for every request, so ``g`` would outlive a request: Flask-Babel caches the locale
    # there and Flask-Login the signed-in user. Give each request a clean ``g``, as a server does.
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: g.__dict__.clear())
    with app.app_context():
        yield app
        wipe()
        db.engine.dispose()


def wipe() -> None:
    """Empty every table (in the current app context), as after each test."""
    db.session.remove()
    with db.engine.begin() as connection:
        remove_append_only_triggers(connection)  # the audit log refuses DELETE, even a test's wipe
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        create_append_only_triggers(connection)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_director():
    def make(name="กรรมการ ทดสอบ", *, position=Position.DIRECTOR, term_start=date(2019, 1, 1),
             term_end=None, email=None, counts_for_attendance=True):
        director = directors.create_director(directors.DirectorInput(
            name=name, position=position, term_start=term_start, term_end=term_end,
            email=email, counts_for_attendance=counts_for_attendance))
        db.session.commit()
        return director
    return make


@pytest.fixture
def make_meeting():
    counter = iter(range(1, 10_000))

    def make(held_on=date(2019, 11, 20), *, number=None, title="ประชุมคณะกรรมการ",
             status=MeetingStatus.HELD, body=MeetingBody.BOARD, kind=MeetingKind.REGULAR):
        meeting = meetings.create_meeting(meetings.MeetingInput(
            held_on=held_on, kind=kind, number=number or f"{next(counter)}/2563", title=title,
            status=status, body=body))
        db.session.commit()
        return meeting
    return make


@pytest.fixture
def make_user():
    def make(role: Role | str = Role.SECRETARY, email=None, password=PASSWORD, **kwargs):
        role = Role(role)
        user = users.create_user(email or f"{role.value}@example.org", role, password, **kwargs)
        db.session.commit()
        return user
    return make


@pytest.fixture
def login(client, make_user):
    """Sign the test client in with a new account of ``role``; returns the user."""
    def do(role: Role | str = Role.SECRETARY, **kwargs):
        user = make_user(role, **kwargs)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user
    return do


@pytest.fixture
def api_token(client, make_user):
    """A bearer header for a new account of ``role``."""
    def do(role: Role | str = Role.SECRETARY, **kwargs):
        user = make_user(role, **kwargs)
        response = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
        assert response.status_code == 201, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}
    return do

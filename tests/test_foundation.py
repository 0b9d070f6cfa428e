"""The app factory, sign-in/out and the schema migrations."""

from __future__ import annotations

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from governance import create_app
from governance.extensions import db
from tests.conftest import PASSWORD


def test_login_page_is_thai_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="th"' in page


def test_wrong_password_is_refused_next_to_the_field(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "wrong password"})
    assert response.status_code == 200
    assert 'id="password-error"' in response.get_data(as_text=True)


def test_pages_need_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_logout_kills_a_copied_session_cookie(client, make_user, app):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    stolen = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen, domain="localhost")
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_login_does_not_redirect_off_site(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "next": "//evil.example/steal"})
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_users_create_cli(runner):
    result = runner.invoke(args=["users", "create", "Sec@Example.org", "--role", "secretary", "--password", "longenough1"])
    assert result.exit_code == 0, result.output
    assert "sec@example.org" in result.output
    again = runner.invoke(args=["users", "create", "sec@example.org", "--role", "secretary", "--password", "longenough1"])
    assert again.exit_code != 0 and "exists already" in again.output
    short = runner.invoke(args=["users", "create", "x@example.org", "--role", "auditor", "--password", "short"])
    assert short.exit_code != 0 and "password" in short.output


def test_migrations_build_the_same_schema_as_the_models(tmp_path):
    """`flask db upgrade` from nothing must give exactly the tables the models declare.

    On SQLite the test migrates a new file itself; on PostgreSQL .ci/run migrates an empty
    database first and names it in TEST_MIGRATED_DATABASE_URL.
    """
    url = os.environ.get("TEST_MIGRATED_DATABASE_URL")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{tmp_path / 'migrated.sqlite'}",
                      "TESTING": True})
    with app.app_context():
        if url is None:
            upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    assert diff == []

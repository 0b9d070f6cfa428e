"""GET /healthz: 200 while the database answers at the code's schema, 503 otherwise."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from governance import create_app
from governance.extensions import db


@pytest.fixture
def migrated(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'health.sqlite'}", "TESTING": True})
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_a_migrated_database_is_healthy_without_a_session(migrated):
    response = migrated.test_client().get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["schema"] == body["expected"] and body["database"] == "ok"
    assert "Set-Cookie" not in response.headers and response.headers["Cache-Control"] == "no-store"


def test_a_database_behind_the_code_is_unavailable(migrated):
    with db.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0015'"))
    response = migrated.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert (body["status"], body["database"], body["schema"]) == ("unavailable", "ok", "0015")


def test_an_unreachable_database_is_unavailable(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'no.sqlite'}", "TESTING": True})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "OperationalError"

"""The lock-out tells nothing under gunicorn with 2 workers: a known and an unknown address
are paused after the same tries, whichever worker answers each. (The unknown address's
failures once lived in a per-process table: with 2 workers it alternated.)"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request

import pytest

from bench.run import Server
from tests.conftest import PASSWORD


@pytest.fixture
def two_workers(app, database_url, tmp_path):
    env = {"DATABASE_URL": database_url, "SECRET_KEY": secrets.token_urlsafe(48), "LOGIN_RATE_LIMIT": "1000 per minute",
           "GOVERNANCE_INSTANCE_PATH": str(tmp_path / "instance"), "PYTHONPATH": str(app.root_path + "/..")}
    server = Server("governance:create_app()", env, 2, tmp_path / "gunicorn.log")
    try:
        server.wait_ready("/login")
        yield server
    finally:
        server.stop()


def _exchange(port: int, email: str, password: str) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/auth/token", method="POST",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json", "Connection": "close"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return str(answer.status)
    except urllib.error.HTTPError as refused:
        return json.load(refused)["error"]["code"]


def test_known_and_unknown_addresses_are_paused_alike_by_two_workers(two_workers, make_user):
    make_user(email="known@example.org")
    assert len(two_workers.worker_pids()) == 2
    answers = {email: [_exchange(two_workers.port, email, "not the password") for _ in range(8)]
               for email in ("known@example.org", "unknown@example.org")}
    expected = ["invalid_credentials"] * 4 + ["sign_in_paused"] * 4
    assert answers == {"known@example.org": expected, "unknown@example.org": expected}
    # paused means paused: the right password does not get through either
    assert _exchange(two_workers.port, "known@example.org", PASSWORD) == "sign_in_paused"

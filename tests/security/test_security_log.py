"""Sign-ins, failed sign-ins and refused requests reach the operator's log."""

from __future__ import annotations

import logging

from tests.conftest import PASSWORD


def messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "governance.security"]


def test_sign_in_and_a_failed_one_are_logged(client, make_user, caplog):
    caplog.set_level(logging.INFO, logger="governance.security")
    user = make_user("secretary")
    client.post("/login", data={"email": user.email, "password": "wrong password"})
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    logged = messages(caplog)
    assert any(m.startswith("sign-in failed: email=secretary@example.org") for m in logged)
    assert any(m.startswith(f"sign-in: user={user.id} role=secretary") for m in logged)
    assert not any(PASSWORD in m or "wrong password" in m for m in logged)


def test_a_refused_page_and_api_call_are_logged(client, login, caplog):
    caplog.set_level(logging.INFO, logger="governance.security")
    user = login("auditor")
    assert client.post("/meetings", data={}).status_code == 403
    assert client.get("/api/v1/directors").status_code == 401
    logged = messages(caplog)
    assert f"refused: user={user.id} role=auditor POST /meetings" in logged
    assert any(m.startswith("API refused, no valid token: GET /api/v1/directors") for m in logged)

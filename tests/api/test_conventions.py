"""What holds for every endpoint: tokens and roles, the error shape, JSON in and out, Thai text."""

from __future__ import annotations

import re

import pytest

from governance.api.blueprint import bp
from governance.models import Role
from tests.api.conftest import DIRECTOR, MEETING, REPORT

WRITE_BODIES = {
    "/api/v1/directors": DIRECTOR,
    "/api/v1/meetings": MEETING,
    "/api/v1/ministerial-reports": REPORT,
    "/api/v1/fiscal-years/2563/budget": {"months": []},
}


def guarded_routes(app):
    """(method, url, roles) of every API route behind a token, with 1 for each id."""
    out = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        roles = getattr(view, "allowed_roles", None)
        if not rule.endpoint.startswith(bp.name + ".") or roles is None:
            continue
        url = re.sub(r"<[^>]*:fiscal_year>", "2563", rule.rule)
        url = re.sub(r"<[^>]*>", "1", url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, url, roles))
    return out


def test_every_route_wants_a_token_and_the_right_role(app, api, snapshot):
    routes = guarded_routes(app)
    assert len(routes) >= 20
    before = snapshot()
    for method, url, roles in routes:
        body = {"json": WRITE_BODIES.get(url, {})} if method in ("POST", "PUT") else {}
        response = api.open(method, url, role=None, **body)
        assert response.status_code == 401, (method, url)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        for role in Role:
            if role not in roles:
                assert api.open(method, url, role=role.value, **body).status_code == 403, (method, url, role)
    assert snapshot() == before


def test_an_expired_or_malformed_authorization_header_is_401(api):
    for header in ("Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "token abc", "Bearer abc def"):
        assert api.get("/api/v1/directors", role=None, headers={"Authorization": header}).status_code == 401


def test_thai_text_round_trips_byte_for_byte(api, make_meeting):
    # Combining vowels and tone marks, a decomposed sara am (U+0E4D U+0E32), Thai digits
    name = "นางสาวกุลฤดี น้ำใจงาม ณ อยุธยา \u0e19\u0e4d\u0e32 ๑๒๓"
    created = api.post("/api/v1/directors", json={**DIRECTOR, "name": name})
    assert created.status_code == 201
    for response in (created, api.get(f"/api/v1/directors/{created.get_json()['id']}"),
                     api.get("/api/v1/directors")):
        raw = response.get_data()
        assert name.encode("utf-8") in raw  # sent as UTF-8, not \u-escaped
        assert b"\\u0e" not in raw.lower()
    assert created.get_json()["name"] == name

    meeting = make_meeting()
    title = "วาระที่ ๔.๑ รายงานผลการดำเนินงาน — ไตรมาส ๑/๒๕๖๓ (ฉบับแก้ไข)"
    item = api.post(f"/api/v1/meetings/{meeting.id}/agenda-items", json={"topic": "mission_report", "title": title})
    assert item.get_json()["title"] == title and title.encode() in item.get_data()


def test_a_body_sent_as_utf8_bytes_is_read_as_utf8(api):
    raw = ('{"name":"กรรมการ","position":"director","term_start":"2019-01-01"}').encode("utf-8")
    response = api.post("/api/v1/directors", data=raw, content_type="application/json; charset=utf-8")
    assert response.status_code == 201 and response.get_json()["name"] == "กรรมการ"


POST_URLS = ["/api/v1/directors", "/api/v1/meetings", "/api/v1/ministerial-reports"]
MALFORMED = [
    pytest.param(b'{"name": "x",', "application/json", id="truncated-json"),
    pytest.param(b"", "application/json", id="empty"),
    pytest.param(b"name=x", "application/x-www-form-urlencoded", id="form"),
    pytest.param(b'{"name": "x"}', "text/plain", id="wrong-content-type"),
    pytest.param(b"null", "application/json", id="null"),
    pytest.param(b"[]", "application/json", id="array"),
    pytest.param(b"\xff\xfe{}", "application/json", id="not-utf8"),
]


@pytest.mark.parametrize("url", POST_URLS)
@pytest.mark.parametrize(("data", "content_type"), MALFORMED)
def test_a_malformed_body_is_a_422_naming_the_body(api, url, data, content_type, row_counts):
    before = row_counts()
    response = api.post(url, data=data, content_type=content_type)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == "validation_failed" and "body" in error["fields"]
    assert row_counts() == before


def test_every_error_has_the_same_shape(api, client):
    answers = [
        api.get("/api/v1/directors", role=None),                       # 401
        api.post("/api/v1/directors", json=DIRECTOR, role="auditor"),  # 403
        api.get("/api/v1/directors/999"),                              # 404
        api.post("/api/v1/directors", json={}),                        # 422
        client.get("/api/v1/no-such-thing"),                           # 404 from routing
        client.delete("/api/v1/directors"),                            # 405
    ]
    for response in answers:
        assert response.mimetype == "application/json"
        error = response.get_json()["error"]
        assert set(error) == {"code", "message", "fields"}
        assert isinstance(error["code"], str) and isinstance(error["message"], str)
        assert isinstance(error["fields"], dict)


def test_dates_are_iso(api):
    body = api.post("/api/v1/ministerial-reports", json=REPORT).get_json()
    assert (body["sent_on"], body["period_start"], body["period_end"]) == ("2020-01-15", "2019-10-01", "2019-12-31")


def test_an_id_too_large_for_the_database_is_refused_cleanly(api, make_meeting, snapshot):
    huge = 10**30
    for url in (f"/api/v1/directors/{huge}", f"/api/v1/meetings/{huge}/attendance",
                f"/api/v1/meetings/1/agenda-items/{huge}", f"/api/v1/ministerial-reports/{huge}"):
        response = api.get(url)
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    meeting = make_meeting()
    before = snapshot()
    response = api.put(f"/api/v1/meetings/{meeting.id}/attendance",
                       json=[{"director_id": 10**30, "status": "online"}, {"director_id": 0, "status": "online"}])
    assert response.status_code == 422
    assert {"[0].director_id", "[1].director_id"} <= set(response.get_json()["error"]["fields"])
    assert snapshot() == before

"""GET /api/v1/openapi.json: a valid OpenAPI document that every answer keeps to."""

from __future__ import annotations

import re
from datetime import date

from openapi_spec_validator import validate

from governance import clock
from governance.api.auth import READERS, WRITERS
from governance.api.blueprint import bp
from governance.api.openapi import ERROR_STATUSES, SAVED_MEANWHILE
from governance.api.schemas import ID_MAX
from governance.extensions import db
from governance.models import Role
from governance.services import kpis
from tests.api.conftest import DIRECTOR, MEETING, REPORT
from tests.conftest import PASSWORD

#: a body one byte over MAX_CONTENT_LENGTH (2 MiB)
TOO_LARGE = b"x" * (2 * 1024 * 1024 + 1)
SELF_ASSESSMENT = "/api/v1/fiscal-years/{fiscal_year}/self-assessment"
OWN_RESPONSE = SELF_ASSESSMENT + "/responses/mine"
#: The role rule is GET for every role, anything else for admin and secretary; these are the only
#: exceptions: a director's own self-assessment is theirs alone (spec/api.md, "Roles").
ROLE_EXCEPTIONS = {
    ("GET", OWN_RESPONSE): (Role.DIRECTOR,),
    ("PUT", OWN_RESPONSE): (Role.DIRECTOR,),
    # every role manages its own API tokens (an admin anyone's)
    ("DELETE", "/api/v1/auth/token"): READERS,
    ("DELETE", "/api/v1/auth/tokens/{token_id}"): READERS,
    # accounts are the admin's through the API (the secretary manages directors' on the page)
    ("GET", "/api/v1/users"): (Role.ADMIN,),
    ("POST", "/api/v1/users"): (Role.ADMIN,),
    ("GET", "/api/v1/users/{user_id}"): (Role.ADMIN,),
    ("PATCH", "/api/v1/users/{user_id}"): (Role.ADMIN,),
    ("POST", "/api/v1/users/{user_id}/unlock"): (Role.ADMIN,),
    ("POST", "/api/v1/users/{user_id}/password-reset"): (Role.ADMIN,),
}


def api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(bp.name + ".")]


def template_of(rule) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)


def test_the_document_is_served_without_a_token_and_is_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    validate(document)
    assert document["openapi"].startswith("3.")


def test_it_documents_the_bearer_scheme_and_the_error_shape(document):
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "A token from `POST /api/v1/auth/token`."}
    assert document["security"] == [{"bearerAuth": []}]
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    detail = document["components"]["schemas"]["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message", "fields"}
    assert document["paths"]["/api/v1/openapi.json"]["get"]["security"] == []
    assert document["paths"]["/api/v1/auth/token"]["post"]["security"] == []


def test_every_route_is_documented_with_its_roles(app, document):
    exceptions_seen = set()
    for rule in api_rules(app):
        view = app.view_functions[rule.endpoint]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = document["paths"].get(template_of(rule), {}).get(method.lower())
            assert operation is not None, f"{method} {rule.rule} is not in the OpenAPI document"
            roles = getattr(view, "allowed_roles", None)
            if roles is None:
                assert operation["security"] == []
                continue
            assert operation["x-roles"] == [str(r) for r in roles]
            assert "401" in operation["responses"]
            expected = READERS if method == "GET" else WRITERS
            if (method, template_of(rule)) in ROLE_EXCEPTIONS:
                exceptions_seen.add((method, template_of(rule)))
                expected = ROLE_EXCEPTIONS[method, template_of(rule)]
            assert tuple(roles) == expected, f"{method} {rule.rule} allows {roles}"
    assert exceptions_seen == set(ROLE_EXCEPTIONS), "an exception names no route"


def test_money_and_enums_are_documented_as_the_contract_says(document):
    schemas = document["components"]["schemas"]
    planned = schemas["BudgetMonthRequest"]["properties"]["planned"]
    assert planned["type"] == "string"
    assert schemas["BudgetMonth"]["properties"]["planned"]["type"] == "string"
    assert schemas["Position"]["enum"] == ["chair", "vice_chair", "director", "ex_officio", "secretary"]
    assert schemas["AttendanceStatus"]["enum"] == ["in_person", "online", "leave", "absent"]
    assert "performance_review" in schemas["Topic"]["enum"] and "other" in schemas["Topic"]["enum"]
    assert schemas["DirectorRequest"]["additionalProperties"] is False


def test_every_documented_answer_happens_and_validates(api, make_user, make_director, document, monkeypatch):
    """Walk every operation through every status it documents; ``api`` validates each body."""
    monkeypatch.setattr(clock, "today", lambda: date(2020, 3, 9))  # within FY2563: its assessment is open
    user = make_user("admin", email="walker@example.org")
    assert api.post("/api/v1/auth/token", role=None, json={"email": user.email, "password": PASSWORD}).status_code == 201
    assert api.post("/api/v1/auth/token", role=None, json={"email": user.email, "password": "wrong"}).status_code == 401
    assert api.post("/api/v1/auth/token", role=None, json={"email": user.email}).status_code == 422
    assert api.get("/api/v1/openapi.json", role=None).status_code == 200
    api.sign_in("leaving", "director", email="leaving@example.org")
    assert api.delete("/api/v1/auth/token", role=None).status_code == 401
    assert api.delete("/api/v1/auth/token", role="leaving").status_code == 204
    # a spare token of the secretary's own, for DELETE /auth/tokens/{token_id} (newest id: listed first)
    api.headers("secretary")
    assert api.post("/api/v1/auth/token", role=None,
                    json={"email": "secretary@example.org", "password": PASSWORD}).status_code == 201
    spare_token_id = api.get("/api/v1/auth/tokens").get_json()[0]["id"]
    # the per-address limit on the token exchange (lowered for a moment, then lifted)
    config = api.client.application.config
    config["LOGIN_RATE_LIMIT"] = "1 per hour"
    assert api.post("/api/v1/auth/token", role=None, json={"email": user.email, "password": PASSWORD}).status_code == 201
    assert api.post("/api/v1/auth/token", role=None, json={"email": user.email, "password": PASSWORD}).status_code == 429
    config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    assert api.post("/api/v1/auth/token", role=None, data=TOO_LARGE, content_type="application/json").status_code == 413

    kpis.load_fiscal_year(2563)  # FY2563's KPIs 1-9, for POST .../kpis/{number}/progress
    db.session.commit()
    director = api.post("/api/v1/directors", json=DIRECTOR).get_json()
    meeting = api.post("/api/v1/meetings", json=MEETING).get_json()
    item = api.post(f"/api/v1/meetings/{meeting['id']}/agenda-items",
                    json={"topic": "annual_plan", "title": "แผนปฏิบัติการประจำปี"}).get_json()
    report = api.post("/api/v1/ministerial-reports", json=REPORT).get_json()
    other_report = {**REPORT, "sent_on": "2020-01-16"}  # PUT's 409: the first made a copy of this one
    assert api.post("/api/v1/ministerial-reports", json=other_report).status_code == 201
    # FY2563's self-assessment is open and both forms are answered (the individual one by an account linked
    # to the director);
    # FY2562's is not open (the 404s); FY2564's is opened by the walk (POST's 201), its questions replaced
    assessment = api.post("/api/v1/fiscal-years/2563/self-assessment", json={"closing_on": None}).get_json()
    api.sign_in("director", "director", director_id=director["id"])

    def answers(form: str) -> dict:
        return {"answers": [{"question_id": q["id"], "rating": 4} for q in assessment["questions"][form]]}

    assert api.put(OWN_RESPONSE.format(fiscal_year=2563), role="director", json=answers("individual")).status_code == 200
    assert api.put(f"{SELF_ASSESSMENT}/responses/whole-board".format(fiscal_year=2563),
                   json=answers("whole_board")).status_code == 200
    ids = {"director_id": director["id"], "meeting_id": meeting["id"], "item_id": item["id"],
           "report_id": report["id"], "fiscal_year": 2563, "key": "annual_report", "form": "individual",
           "token_id": spare_token_id, "number": 7}
    walked = make_user("director", email="walked@example.org")  # the account the /users operations change
    ids["user_id"] = walked.id
    missing_ids = {"user_id": 999, "director_id": 999, "meeting_id": 999, "item_id": 999, "report_id": 999, "token_id": 999,
                   "fiscal_year": 2562, "key": "no_such_item"}
    # what no route takes: an id past the database integer, a negative year or KPI number (routing's 404s)
    unroutable_ids = {"user_id": ID_MAX + 1, "director_id": ID_MAX + 1, "meeting_id": ID_MAX + 1, "item_id": ID_MAX + 1,
                      "report_id": ID_MAX + 1, "token_id": ID_MAX + 1, "fiscal_year": -1, "number": -1}
    good_bodies = {
        "/api/v1/fiscal-years/{fiscal_year}/kpis/{number}/progress": {
            "reached_on": "2020-03-01", "figures": {"disbursement_percent": "97.50"}, "evidence": "รายงานการเบิกจ่าย"},
        "/api/v1/directors": DIRECTOR, "/api/v1/directors/{director_id}": DIRECTOR,
        "/api/v1/meetings": {**MEETING, "number": "4/2563"}, "/api/v1/meetings/{meeting_id}": MEETING,
        "/api/v1/meetings/{meeting_id}/attendance": [{"director_id": director["id"], "status": "online"}],
        "/api/v1/meetings/{meeting_id}/agenda-items": {"topic": "other", "title": "อื่น ๆ"},
        "/api/v1/meetings/{meeting_id}/agenda-items/{item_id}": {"topic": "other", "title": "อื่น ๆ"},
        "/api/v1/ministerial-reports": {**REPORT, "sent_on": "2020-01-20"},
        "/api/v1/ministerial-reports/{report_id}": REPORT,
        "/api/v1/fiscal-years/{fiscal_year}/budget": {"months": [{"month": "2019-10", "planned": "1.00"}]},
        "/api/v1/fiscal-years/{fiscal_year}/parameters": {"cabinet_plan_deadline": "2019-12-31"},
        "/api/v1/fiscal-years/{fiscal_year}/website-items/{key}": {
            "url": "https://www.example.go.th/annual-report", "last_updated_on": "2020-01-15"},
        SELF_ASSESSMENT: {"closing_on": "2020-08-31", "guidelines": "ส่งเอกสารล่วงหน้า 7 วัน",
                          "guidelines_recorded_on": "2020-03-01"},
        SELF_ASSESSMENT + "/questions/{form}": [{"text_th": "คำถาม", "text_en": "A question", "scale_max": 5}],
        OWN_RESPONSE: answers("individual"),
        SELF_ASSESSMENT + "/responses/whole-board": answers("whole_board"),
        ("post", SELF_ASSESSMENT): {"closing_on": "2021-08-31"},  # a path shared by two bodies: by method
        "/api/v1/users": {"email": "invitee@example.org", "role": "auditor"},
        "/api/v1/users/{user_id}": {"keep_open": True},
    }
    # a secretary's bad body where an unknown key would be a 403 (a criterion only the admin changes)
    bad_bodies = {"/api/v1/fiscal-years/{fiscal_year}/parameters": {"cabinet_plan_deadline": "not a date"}}
    conflicting = {"/api/v1/meetings": MEETING, "/api/v1/meetings/{meeting_id}": {**MEETING, "number": "4/2563"},
                   "/api/v1/ministerial-reports": REPORT, "/api/v1/ministerial-reports/{report_id}": other_report,
                   SELF_ASSESSMENT: {"closing_on": None},  # FY2563's is open already
                   SELF_ASSESSMENT + "/questions/{form}": good_bodies[SELF_ASSESSMENT + "/questions/{form}"],
                   "/api/v1/users": {"email": "walker@example.org"},  # the address has an account
                   "/api/v1/users/{user_id}": {"director_id": director["id"]}}  # linked to another account
    # where the walk's success is elsewhere than its failures (FY2563's individual form is answered)
    success_ids = {("post", SELF_ASSESSMENT): {"fiscal_year": 2564},
                   ("put", SELF_ASSESSMENT + "/questions/{form}"): {"fiscal_year": 2564}}
    queries = {SELF_ASSESSMENT + "/summary": {"form": "individual"}}
    own_role = {OWN_RESPONSE: "director"}  # a director's own assessment: nobody else's role may
    own_role.update({template: "admin" for template in document["paths"] if template.startswith("/api/v1/users")})
    bad_queries = {"/api/v1/users": {"state": "asleep"}}
    forbidden_role = {SELF_ASSESSMENT + "/summary": "director",  # readable by a director once closed
                      SELF_ASSESSMENT + "/responses/whole-board": "director"}
    order = {"get": 0, "post": 1, "put": 2, "patch": 2, "delete": 3}  # deletes last, so the records stay for the rest
    operations = sorted(((template, method, operation)
                         for template, methods in document["paths"].items()
                         for method, operation in methods.items()
                         if template not in ("/api/v1/auth/token", "/api/v1/openapi.json")),
                        key=lambda t: (order[t[1]], -len(t[0])))
    for template, method, operation in operations:
        url = template.format(**ids)
        missing = template.format(**{**ids, **missing_ids})
        statuses = set(operation["responses"])
        body = good_bodies.get((method, template), good_bodies.get(template))
        role = own_role.get(template, "secretary")
        send = {"json": body} if "requestBody" in operation else {}
        query = {"query_string": queries[template]} if template in queries else {}
        if "401" in statuses:
            assert api.open(method, url, role=None, **send, **query).status_code == 401
        if "403" in statuses:
            forbidden = forbidden_role.get(template, "auditor")
            assert api.open(method, url, role=forbidden, **send, **query).status_code == 403, (method, template)
        if "404" in statuses:
            unroutable = template.format(**{**ids, **unroutable_ids})
            assert api.open(method, unroutable, role=role, **send, **query).status_code == 404, (method, template)
            if operation["responses"]["404"]["description"] == ERROR_STATUSES[404]:  # a record can be missing too
                assert api.open(method, missing, role=role, **send, **query).status_code == 404, (method, template)
        if "422" in statuses:
            if "requestBody" in operation:
                bad = bad_bodies.get(template, {"unknown": True} if body != [] else {})
                assert api.open(method, url, role=role, json=bad, **query).status_code == 422, (method, template)
            elif "fiscal_year" in template:
                assert api.open(method, template.format(**{**ids, "fiscal_year": 1999}), role=role,
                                **query).status_code == 422
            else:
                assert api.open(method, url, role=role, query_string=bad_queries.get(template, {"fiscal_year": "x"})
                                ).status_code == 422, (method, template)
        if "413" in statuses:
            assert api.open(method, url, role=role, data=TOO_LARGE, content_type="application/json",
                            **query).status_code == 413, (method, template)
        if "409" in statuses and operation["responses"]["409"]["description"] != SAVED_MEANWHILE \
                and template in conflicting:
            assert api.open(method, url, role=role, json=conflicting[template]).status_code == 409, (method, template)
        success = next(s for s in statuses if s.startswith("2"))
        success_url = template.format(**{**ids, **success_ids.get((method, template), {})})
        assert api.open(method, success_url, role=role, **send, **query).status_code == int(success), (
            method, template)

    # 409s that a record's state brings, not a body
    assert api.patch(f"/api/v1/users/{walked.id}", role="admin", json={"is_active": False}).status_code == 200
    assert api.post(f"/api/v1/users/{walked.id}/password-reset", role="admin").status_code == 409

    # (a 409 that only a change saved at the same moment brings: tests/api/test_concurrent_replacements.py)
    documented = {(template, method.upper(), int(status))
                  for template, methods in document["paths"].items()
                  for method, operation in methods.items() for status, answer in operation["responses"].items()
                  if answer["description"] != SAVED_MEANWHILE}
    assert documented - api.seen == set()


def _is_error_shape(response) -> bool:
    body = response.get_json(silent=True) or {}
    error = body.get("error", {})
    return (response.mimetype == "application/json" and set(body) == {"error"}
            and set(error) == {"code", "message", "fields"} and isinstance(error["fields"], dict))


def test_an_id_past_the_database_integer_is_a_documented_404_not_a_405(client, api_token, document):
    """Found by the fuzz run: DELETE /meetings/2147483648 answered an undocumented 405 (the id
    converter refused the id after the GET and PUT rules of the path had been tried)."""
    headers = api_token("secretary")
    for method in ("DELETE", "PUT", "GET"):
        response = client.open(f"/api/v1/meetings/{ID_MAX + 1}", method=method, headers=headers, json=MEETING)
        assert response.status_code == 404, method
        assert "404" in document["paths"]["/api/v1/meetings/{meeting_id}"][method.lower()]["responses"]
        assert _is_error_shape(response) and response.get_json()["error"]["code"] == "not_found"


def test_a_negative_fiscal_year_is_a_documented_404(client, api_token, document):
    """Found by the fuzz run: GET /fiscal-years/-1/attendance answered a 404 its operation did not list."""
    response = client.get("/api/v1/fiscal-years/-1/attendance", headers=api_token("secretary"))
    assert response.status_code == 404
    assert "404" in document["paths"]["/api/v1/fiscal-years/{fiscal_year}/attendance"]["get"]["responses"]
    assert _is_error_shape(response) and response.get_json()["error"]["code"] == "not_found"


def test_path_parameters_are_bounded_as_the_routes_take_them(document):
    for template, methods in document["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "path":
                    continue
                assert "404" in operation["responses"], (method, template)  # routing refuses what it does not take
                schema = parameter["schema"]
                if parameter["name"].endswith("_id"):
                    assert (schema["minimum"], schema["maximum"]) == (1, ID_MAX), (method, template)
                if parameter["name"] == "fiscal_year":
                    assert (schema["minimum"], schema["maximum"]) == (2400, 2800), (method, template)
                    assert "422" in operation["responses"], (method, template)


def test_a_method_no_route_takes_is_a_json_405_naming_the_allowed_ones(client):
    response = client.patch("/api/v1/meetings/1", json={})
    assert response.status_code == 405 and _is_error_shape(response)
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
    assert client.get("/api/v1/no-such-thing").status_code == 404
    assert _is_error_shape(client.get("/api/v1/no-such-thing"))

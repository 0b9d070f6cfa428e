"""Access control, proven route by route.

Every registered route declares who may use it (``roles_required`` on pages,
``token_required`` on the API: the ``allowed_roles`` they attach is the permission
table).  This test walks every route and method for every role, anonymous included,
and checks that the server answers as declared: a role outside the set is refused
(403, or sign-in for anonymous), a role inside it is never refused.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from governance.extensions import db
from governance.models import Role
from governance.services import meetings, reports
from tests.conftest import PASSWORD

# Routes anyone may reach: signing in, choosing a language, asking for and using a
# password-reset link, the API's token exchange and its published contract, static files,
# and links followed from an email.
PUBLIC = {"static", "auth.login", "auth.language", "auth.forgot_password", "auth.reset_password",
          "api.create_token", "api.openapi_document",
          # A director answers an invitation from the link in their mail: the signature is the permission.
          "rsvp.by_link",
          # For load balancers and uptime checks: says only whether the app can serve.
          "health.healthz"}
# Calendar feeds: fetched by calendar apps, which cannot sign in; the signed URL is the permission.
PUBLIC_PREFIXES = ("unsubscribe", "calendar_feeds")
ROLES = [None, *Role]
# What every role may do to its own sign-in (not a record): sign out, revoke its own API tokens.
OWN_SESSION_ENDPOINTS = {"auth.logout", "api.revoke_current_token", "api.revoke_token"}


def is_public(endpoint: str) -> bool:
    return endpoint in PUBLIC or endpoint.split(".")[0].startswith(PUBLIC_PREFIXES) or ".unsubscribe" in endpoint


def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_declares_its_roles(app):
    undeclared = [rule.endpoint for rule in app.url_map.iter_rules()
                  if not is_public(rule.endpoint)
                  and not getattr(app.view_functions[rule.endpoint], "allowed_roles", None)]
    assert undeclared == []


@pytest.fixture
def records(make_director, make_meeting):
    director = make_director(term_start=date(2019, 1, 1))
    meeting = make_meeting(date(2019, 11, 20))
    item = meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(topic="other", title="เรื่องอื่น"))
    report = reports.create_report(reports.ReportInput(sent_on=date(2020, 4, 30), title="รายงาน",
                                                       period_start=date(2019, 10, 1), period_end=date(2020, 3, 31)))
    db.session.commit()
    return {"director_id": director.id, "meeting_id": meeting.id, "item_id": item.id,
            "report_id": report.id, "fy": 2563, "fiscal_year": 2563, "form_code": "individual",
            "key": "annual_report", "token_id": 999_999}


def build_path(rule, values: dict) -> str:
    def fill(match):
        name = match.group(1).split(":")[-1]
        return str(values.get(name, 1))
    return re.sub(r"<([^>]+)>", fill, rule.rule)


def sign_in(app, role):
    client = app.test_client()
    headers = {}
    if role is not None:
        from governance.services import users
        user = users.create_user(f"{role.value}-perm@example.org", role, PASSWORD)
        db.session.commit()
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        token = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
        headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    return client, headers


@pytest.mark.parametrize("role", ROLES, ids=lambda r: "anonymous" if r is None else r.value)
def test_every_route_answers_each_role_as_declared(app, records, role):
    client, headers = sign_in(app, role)
    wrong = []
    for rule, method in routes(app):
        # logout, and revoking the token in use, would end the walk's session and token
        if is_public(rule.endpoint) or rule.endpoint in ("auth.logout", "api.revoke_current_token"):
            continue
        allowed = app.view_functions[rule.endpoint].allowed_roles
        is_api = rule.rule.startswith("/api/")
        response = client.open(build_path(rule, records), method=method,
                               headers=headers if is_api else {},
                               json={} if is_api and method != "GET" else None)
        code = response.status_code
        if role is None:
            refused = code == 401 if is_api else (code == 302 and "/login" in response.headers.get("Location", ""))
            if not refused:
                wrong.append(f"{method} {rule.rule}: anonymous got {code}")
        elif role in allowed and code in (401, 403):
            wrong.append(f"{method} {rule.rule}: {role.value} is allowed but got {code}")
        elif role not in allowed and code != 403:
            wrong.append(f"{method} {rule.rule}: {role.value} is not allowed but got {code}")
        if code >= 500:
            wrong.append(f"{method} {rule.rule}: {role} got a server error")
    assert wrong == []


def test_auditors_write_nothing(app):
    writable = [f"{method} {rule.rule}" for rule, method in routes(app)
                if method != "GET" and not is_public(rule.endpoint)
                and Role.AUDITOR in app.view_functions[rule.endpoint].allowed_roles
                and rule.endpoint not in OWN_SESSION_ENDPOINTS]
    assert writable == []

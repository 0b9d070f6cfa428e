"""The API tests' client: every answer is checked against the OpenAPI document.

``api.get/post/put/delete(url, role=...)`` sends a request with a bearer token for ``role``
(None: no token; a name given to ``api.sign_in`` for an account of one's own), then asserts that the status is documented for that path and method and
that the body validates against the documented schema (``$ref``s resolved in the
document's components). So every response any API test sees is a documented one.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from jsonschema import Draft202012Validator

from governance.extensions import db
from governance.models import (
    AgendaItem,
    AssessmentAnswer,
    AssessmentQuestion,
    AssessmentResponse,
    Attendance,
    BudgetMonth,
    Director,
    Meeting,
    MinisterialReport,
    SelfAssessment,
    WebsiteItem,
)

DIRECTOR = {
    "name": "นางสาวสมหญิง รักษ์ธรรม",
    "email": "somying@example.org",
    "position": "director",
    "term_start": "2019-01-01",
    "term_end": None,
    "counts_for_attendance": True,
}
MEETING = {
    "held_on": "2019-11-20",
    "kind": "regular",
    "number": "3/2563",
    "title": "การประชุมคณะกรรมการ ครั้งที่ 3/2563",
    "status": "held",
    "body": "board",
}
REPORT = {
    "sent_on": "2020-01-15",
    "title": "รายงานผลการดำเนินงาน ไตรมาสที่ 1",
    "period_start": "2019-10-01",
    "period_end": "2019-12-31",
}


class Api:
    def __init__(self, client, api_token, document):
        self.client = client
        self._api_token = api_token
        self._headers: dict[str, dict] = {}
        self.document = document
        self._templates = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"), template)
            for template in document["paths"]
        ]
        #: (path template, method, status) of every checked answer
        self.seen: set[tuple[str, str, int]] = set()

    def sign_in(self, name: str, role: str, **account) -> dict:
        """A token for a new account of ``role`` (e.g. a director linked with ``director_id=``), used as
        ``role=name`` from now on."""
        self._headers[name] = self._api_token(role, **account)
        return self._headers[name]

    def headers(self, role: str | None) -> dict:
        if role is None:
            return {}
        if role not in self._headers:
            self._headers[role] = self._api_token(role)
        return self._headers[role]

    def open(self, method: str, url: str, *, role: str | None = "secretary", headers=None, **kwargs):
        response = self.client.open(url, method=method, headers={**self.headers(role), **(headers or {})},
                                    **kwargs)
        self.check(method, url, response)
        return response

    def get(self, url, **kwargs):
        return self.open("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.open("POST", url, **kwargs)

    def patch(self, url, **kwargs):
        return self.open("PATCH", url, **kwargs)

    def put(self, url, **kwargs):
        return self.open("PUT", url, **kwargs)

    def delete(self, url, **kwargs):
        return self.open("DELETE", url, **kwargs)

    def operation(self, method: str, url: str) -> tuple[str, dict]:
        path = urlsplit(url).path
        for pattern, template in self._templates:
            if pattern.match(path):
                operation = self.document["paths"][template].get(method.lower())
                assert operation is not None, f"{method} {template} is not documented"
                return template, operation
        raise AssertionError(f"{path} matches no documented path")

    def check(self, method: str, url: str, response) -> None:
        template, operation = self.operation(method, url)
        status = response.status_code
        documented = operation["responses"].get(str(status))
        assert documented is not None, (
            f"{method} {template} answered {status}, which is not documented: {response.get_data(as_text=True)}")
        self.seen.add((template, method.upper(), status))
        if "content" not in documented:
            assert response.get_data() == b"", f"{method} {template} {status} should have no body"
            return
        assert response.mimetype == "application/json"
        schema = documented["content"]["application/json"]["schema"]
        validator = Draft202012Validator({**schema, "components": self.document["components"]},
                                         format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(validator.iter_errors(response.get_json()), key=lambda e: list(e.absolute_path))
        assert not errors, f"{method} {template} {status} breaks its schema: {[e.message for e in errors]}"


@pytest.fixture
def document(client):
    """The document as served (no token needed)."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture
def api(client, api_token, document):
    return Api(client, api_token, document)


MODELS = {
    "directors": Director,
    "meetings": Meeting,
    "attendance": Attendance,
    "agenda_items": AgendaItem,
    "reports": MinisterialReport,
    "budget_months": BudgetMonth,
    "website_items": WebsiteItem,
    "self_assessments": SelfAssessment,
    "assessment_questions": AssessmentQuestion,
    "assessment_responses": AssessmentResponse,
    "assessment_answers": AssessmentAnswer,
}


@pytest.fixture
def row_counts():
    """Rows per table now: compare before and after a refused request."""
    def count() -> dict[str, int]:
        db.session.expire_all()
        return {name: db.session.scalar(sa.select(sa.func.count()).select_from(model))
                for name, model in MODELS.items()}
    return count


@pytest.fixture
def snapshot():
    """Every column of every row of the API's tables: nothing changed means equal snapshots."""
    def take() -> dict[str, list[tuple]]:
        db.session.expire_all()
        out = {}
        for name, model in MODELS.items():
            table = model.__table__
            out[name] = [tuple(row) for row in db.session.execute(sa.select(table).order_by(table.c.id))]
        return out
    return take

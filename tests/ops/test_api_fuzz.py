"""API fuzz run: schemathesis against our own OpenAPI document, in-process, as a secretary.

Every operation in /api/v1/openapi.json gets generated requests (schemathesis's examples,
coverage and fuzzing phases: valid and invalid bodies, path ids and query strings, other
HTTP methods) sent through the WSGI app with a secretary's bearer token (operations only
another role may call, such as a director's own answers, get little past their 403). Each
answer must not be a server error, its status must be one the document lists for the
operation, and its media type and body must match what is documented for that status; a
method the path does not take must be a 405 naming the ones it does (``Allow``).
An exception in a view fails the test with its traceback and the request as a curl command.

A small board is recorded first, and small generated ids are mapped onto its records, so
reads, updates and deletes reach real rows (and their rules) rather than stopping at 404.

Bounded: a few examples per operation, no deadline flakiness, no example database on disk,
the same examples every run (``derandomize``); FUZZ_MAX_EXAMPLES raises the count for a
longer run by hand. The schema is loaded eagerly from an app that only serves the document
(requests go to the test's ``app``): schemathesis's lazy ``from_fixture`` loader (4.32)
breaks on pytest 9.2 (it reads ``request.node._nodeid``, which pytest no longer has).
"""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from governance import clock, create_app
from governance.extensions import db
from governance.indicators.vocabulary import (
    AttendanceStatus,
    MeetingBody,
    MeetingKind,
    MeetingStatus,
    Position,
    Topic,
)
from governance.models import User
from governance.services import directors, meetings, reports, users

pytestmark = pytest.mark.fuzz

#: no 5xx; every status listed for its operation, with the documented media type and body; an
#: undocumented method a 405 with ``Allow``
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          unsupported_method]
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "15"))
#: Generated ids below this are mapped onto the recorded board; larger ones stay (404 paths).
MAPPED_BELOW = 1000

# The document needs no database: this app only serves it to schemathesis at collection.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}))

#: Ids of the current test's board: path parameter name -> ids; item ids per meeting id.
KNOWN: dict[str, list[int]] = {}
ITEMS: dict[int, list[int]] = {}


@schema.hook("map_path_parameters")
def onto_recorded_rows(context, path_parameters: dict | None) -> dict | None:
    if not path_parameters:
        return path_parameters
    mapped = dict(path_parameters)
    for name in ("director_id", "meeting_id", "report_id"):
        value = mapped.get(name)
        if KNOWN.get(name) and isinstance(value, int) and 0 <= value < MAPPED_BELOW:
            mapped[name] = KNOWN[name][value % len(KNOWN[name])]
    items = ITEMS.get(mapped.get("meeting_id"))
    value = mapped.get("item_id")
    if items and isinstance(value, int) and 0 <= value < MAPPED_BELOW:
        mapped["item_id"] = items[value % len(items)]
    return mapped


@pytest.fixture
def board(app):
    """Three directors, two held meetings with attendance and agenda items, a planned one, a report.

    No accounts besides the token's: hashing passwords is what would make this slow.
    """
    roster = [directors.create_director(directors.DirectorInput(
        name=f"กรรมการ ทดสอบ {n}", position=position, term_start=date(2018, 6, 1), term_end=None,
        email=f"fuzz-director{n}@example.org", counts_for_attendance=True))
        for n, position in enumerate((Position.CHAIR, Position.DIRECTOR, Position.DIRECTOR), 1)]
    held = []
    for held_on, number, status in ((date(2019, 11, 18), "11/2562", MeetingStatus.HELD),
                                    (date(2020, 2, 17), "2/2563", MeetingStatus.HELD),
                                    (date(2020, 8, 17), "8/2563", MeetingStatus.PLANNED)):
        meeting = meetings.create_meeting(meetings.MeetingInput(
            held_on=held_on, kind=MeetingKind.REGULAR, number=number, title=f"การประชุมคณะกรรมการ ครั้งที่ {number}",
            status=status, body=MeetingBody.BOARD))
        if status is MeetingStatus.HELD:
            meetings.replace_attendance(meeting.id, [
                meetings.AttendanceRow(director_id=d.id, status=AttendanceStatus.IN_PERSON) for d in roster])
            for topic in (Topic.ANNUAL_PLAN, Topic.RISK_MANAGEMENT):
                meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(topic=topic, title=f"วาระ {topic.value}"))
        held.append(meeting)
    report = reports.create_report(reports.ReportInput(
        sent_on=date(2020, 4, 30), title="รายงานผลการดำเนินงานรอบ 6 เดือน", period_start=date(2019, 10, 1),
        period_end=date(2020, 3, 31)))
    db.session.commit()
    KNOWN.clear()
    ITEMS.clear()
    KNOWN.update(director_id=[d.id for d in roster], meeting_id=[m.id for m in held], report_id=[report.id])
    ITEMS.update({m.id: [item.id for item in m.agenda_items] for m in held})
    yield
    KNOWN.clear()
    ITEMS.clear()


@pytest.fixture
def secretary_headers(board, api_token):
    return api_token("secretary", email="fuzz-secretary@example.org")


#: operations that may revoke the token they are called with
REVOKING = {"revoke_current_token", "revoke_token"}


def _fresh_token(email: str) -> dict:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    raw = users.issue_token(user, clock.now(), timedelta(days=1))
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_error_and_every_answer_keeps_to_the_document(case, app, secretary_headers):
    if case.operation.definition.raw.get("operationId") in REVOKING:
        # Revoking would kill the shared token for the examples that follow: a fresh one each time.
        secretary_headers = _fresh_token("fuzz-secretary@example.org")
    response = case.call_and_validate(app=app, headers=secretary_headers, checks=CHECKS)
    # A refused token would leave the run testing nothing but 401s: where the document lets a
    # secretary in (x-roles), our token (not one the coverage phase replaced) must get past auth.
    roles = case.operation.definition.raw.get("x-roles", [])
    sent = response.request.headers.get("Authorization")
    if "secretary" in roles and sent == secretary_headers["Authorization"]:
        # (a 403 naming fields is past auth: the service refusing what only an admin may change)
        refused = response.status_code == 401 or (response.status_code == 403 and not _error_fields(response))
        assert not refused, f"{case.method} {case.formatted_path}: token refused"


def _error_fields(response) -> dict:
    try:
        return response.json()["error"]["fields"]
    except (ValueError, KeyError, TypeError):
        return {}

"""GET /api/v1/openapi.json: the OpenAPI 3.1 document of the API.

Paths, methods and roles are read from the routes themselves (the URL map and the
``allowed_roles`` that ``token_required`` leaves on each view); what each operation takes
and answers comes from ``OPERATIONS`` below, whose models are the ones the views use
(``schemas.py``), so their JSON Schemas are the document's components. A view missing
from ``OPERATIONS`` is left out of the document (the tests insist there is none).
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from governance.api import schemas as s
from governance.api.blueprint import bp
from governance.api.kpis import KpiProgressCreated, KpiProgressRequest, KpiScorecard
from governance.api.tokens import TokenRequest
from governance.api.users import Account, AccountChange, InvitationRequest
from governance.models import AssessmentForm, Role

REF = "#/components/schemas/{model}"
ERROR_STATUSES = {
    400: "Bad request.",
    401: "No valid bearer token.",
    403: "Your role may not do this.",
    404: "No such record, or a path that names none: a path parameter outside its schema (an id above "
         "2147483647, a negative or non-numeric fiscal year) is a 404 before anything else is checked.",
    409: "A duplicate, or a change that collides with existing records; nothing was written.",
    413: "The body is larger than the API accepts (`MAX_CONTENT_LENGTH`, 2 MiB); nothing was written.",
    422: "Bad input: each offending field is named in `error.fields`; nothing was written.",
    429: "Too many requests from this address: wait a minute (see `LOGIN_RATE_LIMIT`).",
}
#: 404 where the path names no record to miss, only routing can refuse it
NO_SUCH_PATH = ("A path that names nothing: a path parameter outside its schema (a negative or non-numeric "
                "fiscal year, a key with a slash) is a 404 before anything else is checked.")
#: 409 where nothing but a change saved at the same moment can collide
SAVED_MEANWHILE = ("Another change was saved at the same moment (the audit trail's head moved, or a unique "
                   "key was taken): nothing was written; send the request again.")
SUCCESS = {200: "OK.", 201: "Created: the new resource, with its `id`.", 204: "Done; no content."}
FISCAL_YEAR_QUERY = {
    "name": "fiscal_year", "in": "query", "required": False,
    "description": "Only records in this Buddhist-Era fiscal year (e.g. 2563 = 2019-10-01 to 2020-09-30).",
    "schema": {"type": "integer", "minimum": s.FISCAL_YEAR_MIN, "maximum": s.FISCAL_YEAR_MAX, "examples": [2563]},
}
AS_OF_QUERY = {
    "name": "as_of", "in": "query", "required": False,
    "description": "Evaluate as of this date (ISO `YYYY-MM-DD`): only what happened on or before it counts. "
                   "Default: today in Thailand.",
    "schema": {"type": "string", "format": "date", "examples": ["2020-06-30"]},
}
FORM_VALUES = [form.value for form in AssessmentForm]
FORM_PATH = {"description": "The form: each director's own (`individual`) or the board's as a whole (`whole_board`); "
                            "anything else is a 422 naming `form`.",
             "schema": {"type": "string", "enum": FORM_VALUES}}
FORM_QUERY = {"name": "form", "in": "query", "required": True,
              "description": "Which form's results; without it, or with another value, a 422 naming `form`.",
              "schema": {"type": "string", "enum": FORM_VALUES}}
CHECKLIST_KEY_PATH = {"description": "An item's key in the year's checklist parameter, e.g. `annual_report`.",
                      "schema": {"type": "string", "examples": ["annual_report"]}}


@dataclass
class Operation:
    summary: str
    #: success status -> model, ``list[Model]``, or None for no content
    answers: dict[int, Any]
    body: Any = None
    #: error statuses beyond the ones implied: 401 with a token, 403 when some role may not,
    #: 404 with a record id in the path, 422 with a body
    errors: tuple[int, ...] = ()
    query: list[dict] = field(default_factory=list)
    tag: str = ""
    #: said after the roles in the operation's description
    description: str = ""
    #: path parameter name -> its description and schema, instead of the one its converter implies
    path: dict[str, dict] = field(default_factory=dict)


ACCOUNT_QUERIES = [
    {"name": "role", "in": "query", "required": False, "description": "Only accounts with this role.",
     "schema": {"type": "string", "enum": [r.value for r in Role]}},
    {"name": "state", "in": "query", "required": False, "description": "Only accounts in this state.",
     "schema": {"type": "string", "enum": ["active", "invited", "locked", "disabled"]}},
]

OPERATIONS: dict[str, Operation] = {
    "api.list_users": Operation("Every account", {200: list[Account]}, errors=(422,), query=ACCOUNT_QUERIES,
                                tag="accounts"),
    "api.invite_user": Operation(
        "Open an account and email its holder a link to choose a password", {201: Account}, body=InvitationRequest,
        errors=(409,), tag="accounts",
        description="The link works once, for `ACCOUNT_INVITATION_MAX_AGE_SECONDS` (7 days); the email goes "
                    "through the outbox. 409 when the address has an account or the director is linked already."),
    "api.get_user": Operation("One account", {200: Account}, tag="accounts"),
    "api.change_user": Operation(
        "Change an account's role, link, active state or keep-open flag", {200: Account}, body=AccountChange,
        errors=(409,), tag="accounts",
        description="Disabling ends the account's sessions, API tokens and calendar-feed address at once. 409 "
                    "for the last active administrator, one's own account, or a director linked to another."),
    "api.unlock_user": Operation("Lift a sign-in lock-out", {200: Account}, tag="accounts"),
    "api.send_password_reset": Operation(
        "Email the holder a password-reset link", {204: None}, errors=(409,), tag="accounts",
        description="409 when the account is disabled."),
    "api.create_token": Operation(
        "Exchange email and password for a bearer token", {201: s.Token}, body=TokenRequest, errors=(401, 429),
        tag="auth",
        description="A 401 with code `sign_in_paused` after 5 failed sign-ins for an account within "
                    "15 minutes: refused for 15 minutes whatever the password. Per client address, "
                    "at most `LOGIN_RATE_LIMIT` requests (default 20 a minute), then 429."),
    "api.revoke_current_token": Operation(
        "Revoke the bearer token this request uses", {204: None}, tag="auth",
        description="Every role may revoke its own tokens."),
    "api.list_tokens": Operation(
        "The caller's own API tokens (never the tokens themselves)", {200: list[s.ApiTokenOut]}, tag="auth"),
    "api.revoke_token": Operation(
        "Revoke one token by id", {204: None}, tag="auth",
        description="One's own token, any role; anyone's token, admin only. Someone else's token is a 404 "
                    "for everybody else. Revoking a revoked token changes nothing."),
    "api.openapi_document": Operation("This document", {200: dict}, tag="meta"),
    # directors
    "api.list_directors": Operation("List directors", {200: list[s.Director]}, tag="directors"),
    "api.create_director": Operation("Register a director", {201: s.Director}, body=s.DirectorRequest,
                                     tag="directors"),
    "api.get_director": Operation("One director", {200: s.Director}, tag="directors"),
    "api.update_director": Operation(
        "Replace a director's record (a term cannot shrink past recorded attendance)", {200: s.Director},
        body=s.DirectorRequest, tag="directors"),
    # meetings
    "api.list_meetings": Operation("List meetings, by date", {200: list[s.Meeting]}, errors=(422,),
                                   query=[FISCAL_YEAR_QUERY], tag="meetings"),
    "api.create_meeting": Operation("Record a meeting", {201: s.Meeting}, body=s.MeetingRequest, errors=(409,),
                                    tag="meetings"),
    "api.get_meeting": Operation("One meeting", {200: s.Meeting}, tag="meetings"),
    "api.update_meeting": Operation("Replace a meeting's record", {200: s.Meeting}, body=s.MeetingRequest,
                                    errors=(409,), tag="meetings"),
    "api.delete_meeting": Operation("Delete a meeting with its attendance and agenda items", {204: None},
                                    tag="meetings"),
    "api.get_attendance": Operation("A meeting's attendance", {200: list[s.AttendanceRow]}, tag="attendance"),
    "api.replace_attendance": Operation(
        "Replace a meeting's attendance: all rows, or none if one is wrong",
        {200: list[s.AttendanceRow]}, body=list[s.AttendanceRowRequest], tag="attendance"),
    "api.list_agenda_items": Operation("A meeting's agenda items, in order", {200: list[s.AgendaItem]},
                                       tag="agenda items"),
    "api.create_agenda_item": Operation("Add an agenda item", {201: s.AgendaItem}, body=s.AgendaItemRequest,
                                        tag="agenda items"),
    "api.get_agenda_item": Operation("One agenda item", {200: s.AgendaItem}, tag="agenda items"),
    "api.update_agenda_item": Operation("Replace an agenda item", {200: s.AgendaItem}, body=s.AgendaItemRequest,
                                        tag="agenda items"),
    "api.delete_agenda_item": Operation("Delete an agenda item", {204: None}, tag="agenda items"),
    # ministerial reports
    "api.list_reports": Operation("List ministerial reports, by date sent", {200: list[s.MinisterialReport]},
                                  errors=(422,), query=[FISCAL_YEAR_QUERY], tag="ministerial reports"),
    "api.create_report": Operation("Record a report sent to the minister", {201: s.MinisterialReport},
                                   body=s.MinisterialReportRequest, errors=(409,), tag="ministerial reports",
                                   description="409 when a report of the same period sent on the same day "
                                               "is recorded already (it would be counted twice)."),
    "api.get_report": Operation("One ministerial report", {200: s.MinisterialReport}, tag="ministerial reports"),
    "api.update_report": Operation("Replace a ministerial report", {200: s.MinisterialReport},
                                   body=s.MinisterialReportRequest, errors=(409,), tag="ministerial reports"),
    "api.delete_report": Operation("Delete a ministerial report", {204: None}, tag="ministerial reports"),
    # budget (the fiscal year in the path is checked like a body field: 422 naming fiscal_year)
    "api.get_budget": Operation("The year's monthly spending plan and disbursement", {200: s.Budget},
                                errors=(422,), tag="budget"),
    "api.replace_budget": Operation("Replace the year's monthly spending plan and disbursement",
                                    {200: s.Budget}, body=s.BudgetRequest, tag="budget"),
    # indicators (as of a date: 422 naming `as_of` or `fiscal_year`)
    "api.get_indicators": Operation("Indicators 10-18 of the year as of a date, each with its evidence",
                                    {200: s.Indicators}, errors=(422,), query=[AS_OF_QUERY], tag="indicators"),
    "api.get_fiscal_year_attendance": Operation(
        "Attendance at each held board meeting of the year as of a date, with totals (indicator 16)",
        {200: s.AttendanceReport}, errors=(422,), query=[AS_OF_QUERY], tag="indicators"),
    "api.get_parameters": Operation("The year's criteria: thresholds, deadlines and its indicator framework",
                                    {200: s.Parameters}, errors=(422,), tag="parameters"),
    "api.update_parameters": Operation(
        "Change some of the year's criteria (e.g. the secretary enters `cabinet_plan_deadline`); answers the "
        "whole document. A bad value is a 422 naming its path, e.g. `indicators[2].min_quarters`.",
        {200: s.Parameters}, body=s.ParametersUpdate, tag="parameters"),
    # website checklist (indicator 17); an unknown key in a PUT is a 422 naming `key`
    "api.list_website_items": Operation(
        "The year's website checklist as of a date: each required item, where it is published, whether it is "
        "present and current", {200: s.WebsiteChecklist}, errors=(422,), query=[AS_OF_QUERY], tag="website"),
    "api.get_website_item": Operation(
        "One item of the year's website checklist as of a date", {200: s.WebsiteItem}, errors=(404, 422),
        query=[AS_OF_QUERY], tag="website", path={"key": CHECKLIST_KEY_PATH}),
    "api.record_website_item": Operation(
        "Record where a checklist item is published and when it was last updated; answers the item as of today",
        {200: s.WebsiteItem}, body=s.WebsiteItemRequest, tag="website", path={"key": CHECKLIST_KEY_PATH},
        description="A bad address is a 422 naming `url`; a key not on the year's checklist, one naming `key`."),
    # self-assessment (indicator 18); a year whose assessment is not open is a 404
    "api.get_self_assessment": Operation(
        "The year's self-assessment: closing date, guidelines, the questions of both forms, and progress",
        {200: s.SelfAssessment}, errors=(404, 422), tag="self-assessment",
        description="Admins, secretaries and auditors see the roster with when each director submitted and "
                    "who has not; a director sees only the counts, never who submitted."),
    "api.open_self_assessment": Operation(
        "Open the year's self-assessment with the standard questions (editable until a form is answered)",
        {201: s.SelfAssessment}, body=s.OpenSelfAssessmentRequest, errors=(409,), tag="self-assessment",
        description="409 when the year's assessment is open already."),
    "api.update_self_assessment": Operation(
        "Replace the year's settings: closing date and the guidelines the board set, with the day it set them",
        {200: s.SelfAssessment}, body=s.SelfAssessmentRequest, errors=(404,), tag="self-assessment"),
    "api.get_assessment_questions": Operation(
        "One form's questions, in order", {200: list[s.AssessmentQuestion]}, errors=(404, 422),
        tag="self-assessment", path={"form": FORM_PATH}),
    "api.replace_assessment_questions": Operation(
        "Replace one form's questions; refused (409) once anyone has answered that form",
        {200: list[s.AssessmentQuestion]}, body=list[s.QuestionRequest], errors=(404, 409), tag="self-assessment",
        path={"form": FORM_PATH}),
    "api.get_own_assessment_response": Operation(
        "Your own individual self-assessment, as you last submitted it", {200: s.AssessmentResponse},
        errors=(404, 422), tag="self-assessment",
        description="A director account linked to a director; only ever its own answers. 403 when the account "
                    "is linked to no director, 404 when it has not submitted."),
    "api.submit_own_assessment_response": Operation(
        "Submit your own individual self-assessment: a rating for every question of the individual form; "
        "a resubmission (until the fiscal year ends) replaces the answers",
        {200: s.AssessmentResponse}, body=s.AssessmentResponseRequest, errors=(404,), tag="self-assessment",
        description="A director account linked to a director, for that director only (403 when linked to none). "
                    "A rating out of range is a 422 naming e.g. `answers[0].rating`; an unknown question "
                    "`answers[0].question_id`; a question left out `answers`."),
    "api.get_whole_board_response": Operation(
        "The board's whole-board assessment as filled in", {200: s.AssessmentResponse}, errors=(403, 404, 422),
        tag="self-assessment",
        description="A director reads it once the assessment is closed (its closing date has passed or the "
                    "fiscal year has ended): 403 before. 404 until it is filled in."),
    "api.submit_whole_board_response": Operation(
        "Fill in the board's whole-board assessment (replacing an earlier one)", {200: s.AssessmentResponse},
        body=s.AssessmentResponseRequest, errors=(404,), tag="self-assessment"),
    "api.get_assessment_summary": Operation(
        "One form's anonymous results: per question the average rating, the number of responses and the "
        "comments, never who gave them", {200: s.AssessmentSummary}, errors=(403, 404, 422),
        query=[FORM_QUERY], tag="self-assessment",
        description="A director reads it once the assessment is closed (its closing date has passed or the "
                    "fiscal year has ended): 403 before."),
    # organisation KPIs 1-9 (OPDC components 1-4), scored 50/75/100 by milestone
    "api.get_kpi_scorecard": Operation(
        "The year's KPIs 1-9 as of a date: each with its level reached, score, owner, figures, evidence and "
        "what the next level needs", {200: KpiScorecard}, errors=(422,), query=[AS_OF_QUERY], tag="kpis"),
    "api.record_kpi_progress": Operation(
        "Record an owner's update on a KPI: a milestone reached and/or figures, with the evidence; answers the "
        "KPI scored as of today", {201: KpiProgressCreated}, body=KpiProgressRequest, errors=(404,), tag="kpis",
        path={"number": {"description": "The KPI's number in the year's set, 1-9.",
                         "schema": {"type": "integer", "minimum": 1, "maximum": 9, "examples": [7]}}},
        description="404 when the year has no such KPI (its set is loaded with `flask kpis load`). A level "
                    "reached through figures, an unknown figure or a date in the future is a 422 naming the field."),
}

_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _models(spec: Any) -> list[type[BaseModel]]:
    if typing.get_origin(spec) is list:
        return _models(typing.get_args(spec)[0])
    return [spec] if isinstance(spec, type) and issubclass(spec, BaseModel) else []


def _schema(spec: Any) -> dict:
    if typing.get_origin(spec) is list:
        return {"type": "array", "items": _schema(typing.get_args(spec)[0])}
    if spec is dict:
        return {"type": "object"}
    return {"$ref": REF.format(model=spec.__name__)}


def _path_schema(converter: str, name: str) -> dict:
    if converter != "int":
        return {"type": "string"}
    if name.endswith("_id"):
        # ids start at 1; above ID_MAX the route's converter refuses it (a 404)
        return {"type": "integer", "minimum": 1, "maximum": s.ID_MAX}
    if name == "fiscal_year":
        return {"type": "integer", "minimum": s.FISCAL_YEAR_MIN, "maximum": s.FISCAL_YEAR_MAX, "examples": [2563]}
    return {"type": "integer", "minimum": 0}


FISCAL_YEAR_PATH = ("A Buddhist-Era fiscal year (2563 = 2019-10-01 to 2020-09-30); a number outside "
                    f"{s.FISCAL_YEAR_MIN}-{s.FISCAL_YEAR_MAX} is a 422 naming `fiscal_year`, anything but "
                    "digits (e.g. `-1`) a 404.")
ID_PATH = f"A record's id, 1-{s.ID_MAX}; any other number, or anything but digits, is a 404."


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _components() -> dict[str, dict]:
    requests: set[type[BaseModel]] = {s.Error}
    answers: set[type[BaseModel]] = set()
    for op in OPERATIONS.values():
        requests.update(_models(op.body))
        for spec in op.answers.values():
            answers.update(_models(spec))
    pairs = [(m, "validation") for m in sorted(requests, key=lambda m: m.__name__)]
    pairs += [(m, "serialization") for m in sorted(answers, key=lambda m: m.__name__)]
    _, top = models_json_schema(pairs, ref_template=REF)
    return dict(sorted(top.get("$defs", {}).items()))


def _path_parameter(converter: str, name: str) -> dict:
    description = FISCAL_YEAR_PATH if name == "fiscal_year" else ID_PATH if name.endswith("_id") else None
    return {**({"description": description} if description else {}), "schema": _path_schema(converter, name)}


def _operation(endpoint: str, method: str, rule_text: str, op: Operation, roles: tuple[str, ...] | None) -> dict:
    out: dict[str, Any] = {"operationId": endpoint.removeprefix("api."), "summary": op.summary}
    if op.tag:
        out["tags"] = [op.tag]
    parameters = [
        {"name": name, "in": "path", "required": True,
         **op.path.get(name, _path_parameter(converter, name))}
        for converter, name in _ARGUMENT.findall(rule_text)
    ]
    out["parameters"] = parameters + list(op.query)
    if not out["parameters"]:
        del out["parameters"]
    if op.body is not None:
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": _schema(op.body)}}}
    errors = set(op.errors)
    if roles is None:
        out["security"] = []
    else:
        out["description"] = "Roles: " + ", ".join(str(r) for r in roles) + "."
        out["x-roles"] = [str(r) for r in roles]
        errors.add(401)
        if set(roles) != set(Role):
            errors.add(403)
    record_404 = 404 in errors or any(p["name"].endswith("_id") for p in parameters)
    if parameters:
        errors.add(404)  # routing: a path parameter its converter refuses (or a record that is not there)
    if any(p["name"] == "fiscal_year" for p in parameters):
        errors.add(422)  # a year outside FISCAL_YEAR_MIN..MAX names `fiscal_year`
    collides = 409 in errors
    if method != "get":
        errors.add(409)  # every write is audited and committed: a concurrent one may collide
    if op.body is not None:
        errors.update((413, 422))
    if op.description:
        out["description"] = (out.get("description", "") + " " + op.description).strip()
    responses: dict[str, Any] = {}
    for status, spec in sorted(op.answers.items()):
        responses[str(status)] = ({"description": SUCCESS[status]} if spec is None
                                  else _json(_schema(spec), SUCCESS[status]))
    descriptions = {**ERROR_STATUSES, **({} if record_404 else {404: NO_SUCH_PATH}),
                    **({} if collides else {409: SAVED_MEANWHILE})}
    for status in sorted(errors):
        responses[str(status)] = _json(_schema(s.Error), descriptions[status])
    out["responses"] = responses
    return out


def build_document(app: Flask) -> dict:
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        op = OPERATIONS.get(rule.endpoint)
        if op is None:
            continue
        roles = getattr(app.view_functions[rule.endpoint], "allowed_roles", None)
        path = _ARGUMENT.sub(lambda m: "{" + m.group(2) + "}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(rule.endpoint, method.lower(), rule.rule, op, roles)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Board governance tracker API",
            "version": "1",
            "description": (
                "JSON in and out, UTF-8. Dates are ISO `YYYY-MM-DD`; fiscal years are Buddhist-Era "
                "numbers (2563); money is a decimal string with two places, never a number. Every "
                "4xx answers `{\"error\": {\"code\", \"message\", \"fields\"}}` and writes nothing."
            ),
        },
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http", "scheme": "bearer",
                    "description": "A token from `POST /api/v1/auth/token`.",
                },
            },
            "schemas": _components(),
        },
    }


@bp.get("/openapi.json")
def openapi_document():
    body = current_app.json.dumps(build_document(current_app), ensure_ascii=False, indent=1, sort_keys=False)
    return current_app.response_class(body + "\n", mimetype="application/json")

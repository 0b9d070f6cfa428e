"""The API's error shape: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import re

from flask import current_app, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from governance.extensions import db
from governance.services.errors import ServiceError

#: a rule's ``<converter(args):name>`` or ``<name>`` placeholder
_PLACEHOLDER = re.compile(r"<(?:[^<>:]+:)?([^<>:]+)>")
NO_SUCH_PATH = ("No such record or resource: nothing in the API answers this path (a value in it may be "
                "outside the range its parameter accepts, e.g. an id above 2147483647 or a negative fiscal year).")


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    body = {"error": {"code": code, "message": str(message), "fields": {k: str(v) for k, v in (fields or {}).items()}}}
    return jsonify(body), status


def json_http_error(error: HTTPException):
    db.session.rollback()
    if isinstance(error, MethodNotAllowed) and _refused_by_a_converter():
        error = NotFound(NO_SUCH_PATH)
    elif isinstance(error, NotFound) and request.url_rule is None:
        error = NotFound(NO_SUCH_PATH)  # routing's 404, not a view's: said in the API's words
    code = (error.name or "error").lower().replace(" ", "_")
    response = error_response(error.code or 500, code, error.description or error.name)
    if error.code == 401:
        response[0].headers["WWW-Authenticate"] = 'Bearer realm="governance"'
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response[0].headers["Allow"] = ", ".join(sorted(error.valid_methods))  # RFC 9110: a 405 lists them
    return response


def _refused_by_a_converter() -> bool:
    """Whether a rule for this method has this path's shape, and only a converter refused a value.

    Werkzeug answers such a request (``DELETE /meetings/2147483648``: ``int(max=...)`` refuses the
    id) 405 when other methods' rules for the path were tried first, 404 otherwise: for the API it
    is always the 404 of a record that cannot exist.
    """
    for rule in current_app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or request.method not in (rule.methods or ()):
            continue
        if _shape(rule).fullmatch(request.path):
            return True
    return False


def _shape(rule) -> re.Pattern:
    parts, last = [], 0
    for match in _PLACEHOLDER.finditer(rule.rule):
        parts.append(re.escape(rule.rule[last:match.start()]))
        parts.append(f"(?:{rule._converters[match.group(1)].regex})")
        last = match.end()
    parts.append(re.escape(rule.rule[last:]))
    return re.compile("".join(parts))


def service_error(error: ServiceError):
    # Nothing half-written: the whole operation is undone before answering.
    db.session.rollback()
    return error_response(error.http_status, error.code, error.message, error.fields)

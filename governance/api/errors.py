"""The API's error shape: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from flask import jsonify
from werkzeug.exceptions import HTTPException

from governance.extensions import db
from governance.services.errors import ServiceError


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    body = {"error": {"code": code, "message": str(message), "fields": {k: str(v) for k, v in (fields or {}).items()}}}
    return jsonify(body), status


def json_http_error(error: HTTPException):
    db.session.rollback()
    code = (error.name or "error").lower().replace(" ", "_")
    response = error_response(error.code or 500, code, error.description or error.name)
    if error.code == 401:
        response[0].headers["WWW-Authenticate"] = 'Bearer realm="governance"'
    return response


def service_error(error: ServiceError):
    # Nothing half-written: the whole operation is undone before answering.
    db.session.rollback()
    return error_response(error.http_status, error.code, error.message, error.fields)

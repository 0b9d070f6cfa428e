"""Errors a service raises; adapters turn them into a form error or a 4xx JSON error."""

from __future__ import annotations


class ServiceError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(str(message))
        self.message = message
        self.fields = dict(fields or {})


class ValidationFailed(ServiceError):
    """Input that breaks a rule; ``fields`` names each offending field."""

    code = "validation_failed"
    http_status = 422

    def __init__(self, fields: dict[str, str], message: str | None = None):
        super().__init__(message or "; ".join(f"{k}: {v}" for k, v in fields.items()), fields)


class NotFound(ServiceError):
    code = "not_found"
    http_status = 404


class Conflict(ServiceError):
    """A duplicate, or a change that collides with existing records."""

    code = "conflict"
    http_status = 409

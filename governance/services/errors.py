"""Errors a service raises; adapters turn them into a form error or a 4xx JSON error."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

# Far outside these years a date is a typing slip (0001-01-01, 9999-12-31), not a board record.
EARLIEST = date(1950, 1, 1)
LATEST = date(2200, 12, 31)


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


def plausible_dates(**days: date | None) -> dict[str, str]:
    """Field errors for dates outside any board's lifetime; empty when all are plausible."""
    return {
        name: _l("Enter a date between %(first)s and %(last)s.", first=EARLIEST.isoformat(), last=LATEST.isoformat())
        for name, day in days.items()
        if day is not None and not EARLIEST <= day <= LATEST
    }

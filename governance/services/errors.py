"""Errors a service raises; adapters turn them into a form error or a 4xx JSON error."""

from __future__ import annotations

import re
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


class Forbidden(ServiceError):
    """The user's role may not make this change (``fields`` names what they may not change)."""

    code = "forbidden"
    http_status = 403


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


# CR, LF, tab and the other C0/C1 controls, and Unicode's line and paragraph separators.
#: what one-line text may not hold (also the outbox's last guard on headers, and the API's check)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def single_line(**texts: str | None) -> dict[str, str]:
    """Field errors for one-line text (a title, a place, a name) holding a line break or another
    control character; empty when all are clean.

    Such text goes into email subjects, calendar lines and spreadsheet cells, where a line
    break can forge a header (``Bcc:``) or cut the text short; refused at the service, every
    entrance (API, form, import) gets the same message naming the field.
    """
    return {
        name: _l("Keep this to one line: remove the line break or control character.")
        for name, text in texts.items()
        if text and CONTROL_CHARACTERS.search(text)
    }

"""One log line per request and per job run, to stderr, each with an id that ties it to the
lines written while it ran (``X-Request-ID``, or a job run's id); text or JSON (LOG_FORMAT).

The web and the scheduler log the same way, so one search finds a request or a run in
either.  Tests keep their own logging (pytest captures it): nothing is configured when testing.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, g, has_request_context, request
from flask_login import current_user

request_log = logging.getLogger("governance.request")
job_log = logging.getLogger("governance.job")

#: the id of the job run in progress (the scheduler has no request to hang it on)
_run_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("run_id", default=None)
#: an id a proxy or a client sent, if it is a plain token (anything else is replaced)
_GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "client", "job", "outcome")


def current_id() -> str:
    if has_request_context() and "request_id" in g:
        return g.request_id
    return _run_id.get() or "-"


class _WithId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, id, message and the line's own fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                 "logger": record.name, "request_id": getattr(record, "request_id", "-"),
                 "message": record.getMessage()}
        entry |= {name: getattr(record, name) for name in _FIELDS if hasattr(record, name)}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def handler(log_format: str) -> logging.Handler:
    out = logging.StreamHandler(sys.stderr)
    out.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(_TEXT))
    out.addFilter(_WithId())
    return out


def configure(app: Flask) -> None:
    """The request id on every request and response, and the log lines; stderr's handler once."""
    app.before_request(_start)
    app.after_request(_finish)
    if app.testing:
        return
    root = logging.getLogger()
    if not any(getattr(h, "governance", False) for h in root.handlers):
        out = handler(app.config.get("LOG_FORMAT", "text"))
        out.governance = True  # type: ignore[attr-defined]
        root.addHandler(out)
        root.setLevel(app.config.get("LOG_LEVEL", "INFO"))


def _start() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex[:16]
    g.request_started = time.perf_counter()


def _finish(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    duration = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
    user_id = current_user.get_id() if current_user and current_user.is_authenticated else None
    request_log.info("%s %s %s %.1f ms %s", request.method, request.path, response.status_code, duration,
                     request.remote_addr, extra={
                         "method": request.method, "path": request.path, "status": response.status_code,
                         "duration_ms": round(duration, 1), "user_id": user_id, "client": request.remote_addr})
    return response


@contextmanager
def job_run(name: str) -> Iterator[str]:
    """A job's run: its id on every line it logs, and one line when it ends."""
    run_id = uuid.uuid4().hex[:16]
    token = _run_id.set(run_id)
    started = time.perf_counter()
    outcome = "failed"
    try:
        yield run_id
        outcome = "done"
    finally:
        duration = (time.perf_counter() - started) * 1000
        job_log.info("%s %s %.1f ms", name, outcome, duration,
                     extra={"job": name, "outcome": outcome, "duration_ms": round(duration, 1)})
        _run_id.reset(token)

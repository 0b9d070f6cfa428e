"""One log line per request and per job run, each with an id that ties the lines together."""

from __future__ import annotations

import io
import json
import logging

import pytest

from governance import logs


@pytest.fixture
def captured():
    """The app's handler, as production installs it, on a buffer (JSON lines)."""
    buffer = io.StringIO()
    out = logs.handler("json")
    out.stream = buffer
    root = logging.getLogger()
    root.addHandler(out)
    level = root.level
    root.setLevel(logging.INFO)  # setLevel, not .level: it clears the loggers' cached levels
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    root.removeHandler(out)
    root.setLevel(level)


def test_each_request_is_one_line_with_its_id_on_the_response(client, captured):
    response = client.get("/login", headers={"X-Request-ID": "lb-7f3a"})
    assert response.headers["X-Request-ID"] == "lb-7f3a"
    lines = [entry for entry in captured() if entry["logger"] == "governance.request"]
    assert len(lines) == 1
    line = lines[0]
    assert (line["method"], line["path"], line["status"], line["request_id"]) == ("GET", "/login", 200, "lb-7f3a")
    assert isinstance(line["duration_ms"], float)


def test_an_id_that_is_not_a_plain_token_is_replaced(client, captured):
    response = client.get("/login", headers={"X-Request-ID": "bad id; with spaces"})
    given = response.headers["X-Request-ID"]
    assert given != "bad id; with spaces" and len(given) == 16


def test_a_job_run_logs_its_lines_under_one_id_and_a_closing_line(app, captured):
    work = logging.getLogger("jobs.tasks")
    with logs.job_run("deliver_outbox") as run_id:
        work.info("outbox: 1 sent")
    lines = captured()
    assert [entry["request_id"] for entry in lines] == [run_id, run_id]
    assert lines[-1]["job"] == "deliver_outbox" and lines[-1]["outcome"] == "done"


def test_the_text_format_carries_the_id_too():
    record = logging.LogRecord("governance.request", logging.INFO, __file__, 1, "GET / 200", None, None)
    out = logs.handler("text")
    out.filter(record)
    assert "[-] GET / 200" in out.format(record)

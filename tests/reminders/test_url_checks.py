"""The daily website-checklist URL check, against a server on loopback only."""

from __future__ import annotations

import socket
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from governance import clock
from governance.extensions import db
from governance.services import url_checks, website
from jobs import tasks
from tests.reminders.conftest import at


class _Site(BaseHTTPRequestHandler):
    def do_HEAD(self):
        status = {"/ok": 200, "/gone": 404, "/no-head": 405}.get(self.path, 500)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self.send_response(200 if self.path == "/no-head" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def record(items: dict[str, str]) -> None:
    for key, url in items.items():
        website.record_website_item(2563, key, url, date(2020, 1, 10))
    db.session.commit()


def test_each_url_is_asked_and_its_answer_recorded(app, site, closed_port):
    record({"annual_report": f"{site}/ok", "contact": f"{site}/gone", "founding_law": f"{site}/no-head",
            "executives": f"http://127.0.0.1:{closed_port}/down"})
    checks = url_checks.check_website_urls(2563, at(date(2020, 9, 1)), timeout=2)
    db.session.commit()
    found = {c.item.key: (c.status, c.error) for c in checks}
    assert found["annual_report"] == (200, None)
    assert found["contact"] == (404, None)
    assert found["founding_law"] == (200, None)  # HEAD refused, GET answered
    assert found["executives"][0] is None and "refused" in found["executives"][1].lower()
    stored = {r.record.key: r.record for r in website.checklist(2563, date(2020, 9, 1)) if r.record}
    assert stored["annual_report"].last_check_status == 200 and stored["annual_report"].last_checked_at
    assert stored["executives"].last_check_status is None and stored["executives"].last_checked_at


def test_only_web_addresses_are_fetched():
    assert url_checks.url_status("file:///etc/passwd", timeout=1) == (None, "not an http(s) address")


def test_the_daily_job_checks_the_current_years_urls(app, site, monkeypatch):
    record({"annual_report": f"{site}/ok"})
    monkeypatch.setattr(clock, "today", lambda: date(2020, 9, 1))
    monkeypatch.setattr(clock, "now", lambda: at(date(2020, 9, 1)))
    tasks.bind(app)
    try:
        tasks.check_website_urls()
    finally:
        tasks.bind(None)
    db.session.expire_all()
    row = next(r for r in website.checklist(2563, date(2020, 9, 1)) if r.item.key == "annual_report")
    assert row.record.last_check_status == 200

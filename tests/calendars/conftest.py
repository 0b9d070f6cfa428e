"""A fixed clock and a public BASE_URL for the calendar tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import icalendar
import pytest

from governance import clock

TODAY = date(2020, 1, 15)
NOW = datetime(2020, 1, 15, 3, 0, tzinfo=UTC)
BASE_URL = "https://governance.example.org"


@pytest.fixture(autouse=True)
def fixed_clock(app, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(clock, "now", lambda: NOW)
    app.config["BASE_URL"] = BASE_URL


@pytest.fixture
def fetch(client):
    """GET a feed by the absolute URL the page shows; returns (response, parsed calendar or None)."""
    def get(url: str):
        response = client.get(urlsplit(url).path)
        calendar = icalendar.Calendar.from_ical(response.data) if response.status_code == 200 else None
        return response, calendar
    return get


def events(calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}

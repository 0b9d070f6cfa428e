"""Helpers for the page tests: a fixed today, the records' snapshot, the language switch."""

from __future__ import annotations

from datetime import date

import pytest

from governance import clock
from governance.extensions import db

TODAY = date(2020, 1, 15)  # fiscal year 2563, quarter 2
RECORD_TABLES = ("director", "meeting", "attendance", "agenda_item", "ministerial_report", "budget_month")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """Pages read the wall clock through ``clock.today()``; pin it to 15 Jan 2020."""
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def snapshot(app):
    """Every row of the board-record tables, to show a refused form changed nothing."""
    def take() -> dict[str, list[tuple]]:
        tables = db.metadata.tables
        return {name: sorted(tuple(row) for row in db.session.execute(tables[name].select()).all())
                for name in RECORD_TABLES}
    return take


@pytest.fixture
def english(client):
    """Switch the signed-in client to English, as the header's button does."""
    def switch() -> None:
        response = client.post("/language", data={"locale": "en", "next": "/"})
        assert response.status_code == 302
    return switch

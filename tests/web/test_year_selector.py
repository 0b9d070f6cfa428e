"""The fiscal-year selector offers every year with records, the current one and the next.

It listed a window around today (2565–2571 in FY2570), so the demo year 2563, which holds
all the data, could be reached only by typing a URL.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from governance import clock
from governance.models import Role

TODAY = date(2026, 12, 7)  # fiscal year 2570


@pytest.fixture
def records(monkeypatch, make_director, make_meeting):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    make_director(term_start=date(2019, 1, 1))
    make_meeting(date(2019, 11, 20), number="1/2563")  # FY2563
    make_meeting(date(2020, 10, 19), number="1/2564")  # FY2564


def offered(page: str) -> list[int]:
    """The years of the page's selector: a select, or a row of links (budget, self-assessment)."""
    select = re.search(r'<select name="fy".*?</select>', page, re.S)
    if select:
        return [int(y) for y in re.findall(r'<option value="(\d+)"', select.group(0))]
    links = re.search(r'<nav class="fy-links".*?</nav>', page, re.S).group(0)
    return [int(y) for y in re.findall(r'>(\d{4})</a>', links)]


@pytest.mark.parametrize("path", ["/dashboard", "/meetings", "/budget", "/self-assessment", "/attendance",
                                  "/reports"])
def test_every_year_with_records_the_current_and_the_next(client, login, records, path):
    login(Role.SECRETARY)
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200
    assert offered(response.get_data(as_text=True)) == [2571, 2570, 2564, 2563]


def test_the_year_shown_is_offered_even_without_records(client, login, records):
    login(Role.SECRETARY)
    page = client.get("/meetings?fy=2566").get_data(as_text=True)
    assert offered(page) == [2571, 2570, 2566, 2564, 2563]

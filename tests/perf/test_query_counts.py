"""Every main page issues the same number of SQL statements with 1 and with 10 years of history.

The two histories differ in every dimension a page could loop over: years, meetings per
year, agenda items per meeting, directors, meetings whose attendance is not yet entered.
A page that queried per row would issue more statements for the larger one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from bench.history import PASSWORD, History, Shape, generate
from governance.extensions import cache, db
from governance.services import fiscal_years, meetings
from tests.conftest import wipe

SMALL = Shape(years=1, directors=5, meetings_per_year=4, items_per_meeting=3, emails_per_year=5, unrecorded=1)
LARGE = Shape(years=10, directors=9, meetings_per_year=9, items_per_meeting=8, emails_per_year=5, unrecorded=3)

PAGES = {
    "dashboard": "/dashboard?fy={fy}&as_of={as_of}",
    "attendance report": "/attendance?fy={fy}&as_of={as_of}",
    "meetings of the year": "/meetings?fy={fy}",
    "meeting page": "/meetings/{meeting}",
    "audit log": "/audit",
    "mail log": "/mail-log",
    "API indicators": "/api/v1/fiscal-years/{fy}/indicators?as_of={as_of}",
    "API attendance": "/api/v1/fiscal-years/{fy}/attendance?as_of={as_of}",
}


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def page_counts(app, history: History) -> dict[str, tuple[int, int]]:
    """(status, statements) per page, signed in as the secretary, after one warm-up request
    (with the page cache emptied in between)."""
    client = app.test_client()
    email = history.logins["secretary"]
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD}).get_json()["token"]
    counts = {}
    for name, template in PAGES.items():
        path = template.format(fy=history.shape.last_fy, as_of=history.shape.as_of.isoformat(),
                               meeting=history.last_meeting_id)
        headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {}
        client.get(path, headers=headers)
        db.session.expire_all()
        cache.clear()  # count the work of building the page, not a cached copy of it
        with statements() as seen:
            response = client.get(path, headers=headers)
        counts[name] = (response.status_code, len(seen))
    return counts


def test_page_queries_do_not_grow_with_the_years_of_history(app):
    small = page_counts(app, generate(SMALL))
    wipe()
    large_history = generate(LARGE)
    large = page_counts(app, large_history)
    assert all(status == 200 for status, _ in small.values()), small
    assert all(status == 200 for status, _ in large.values()), large
    assert large == small, {name: (small[name][1], large[name][1]) for name in PAGES if small[name] != large[name]}
    # and the large history really is larger where the pages look
    assert len(large_history.meeting_ids) > 10 * SMALL.meetings_per_year


@pytest.mark.parametrize("shape", [SMALL, LARGE], ids=["1 year", "10 years"])
def test_the_attendance_report_names_the_meetings_without_attendance(app, shape):
    history = generate(shape)
    report = fiscal_years.fiscal_year_attendance(shape.last_fy, shape.as_of)
    assert len(report.unrecorded_meeting_ids) == shape.unrecorded
    client = app.test_client()
    assert client.post("/login", data={"email": history.logins["auditor"], "password": PASSWORD}).status_code == 302
    body = client.get(f"/attendance?fy={shape.last_fy}&as_of={shape.as_of.isoformat()}").get_data(as_text=True)
    for meeting_id in report.unrecorded_meeting_ids:
        assert meetings.get_meeting(meeting_id).number in body

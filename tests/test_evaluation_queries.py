"""Evaluating a fiscal year issues a fixed number of SQL statements, however many meetings it has."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus, Topic
from governance.services import fiscal_years, meetings

TOPICS = (Topic.PERFORMANCE_REVIEW, Topic.INTERNAL_CONTROL, Topic.FINANCIAL_REPORT, Topic.ANNUAL_PLAN)
STATUSES = (AttendanceStatus.IN_PERSON, AttendanceStatus.ONLINE, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT)


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


@pytest.fixture
def add_meetings(make_director, make_meeting):
    directors = [make_director(f"กรรมการ {n}") for n in range(1, 8)]
    made = []

    def add(count: int) -> None:
        for _ in range(count):
            meeting = make_meeting(date(2019, 10, 2) + timedelta(days=12 * len(made)))
            for topic in TOPICS:
                meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(
                    topic=topic, title=f"วาระ {topic}", states_problems_and_remedies=True))
            meetings.replace_attendance(meeting.id, [
                meetings.AttendanceRow(director_id=d.id, status=STATUSES[i % len(STATUSES)])
                for i, d in enumerate(directors)])
            db.session.commit()
            made.append(meeting)

    return add


def count_statements(evaluate) -> int:
    db.session.rollback()  # each count starts from the same place
    db.session.expire_all()
    with statements() as seen:
        evaluate()
    db.session.rollback()
    return len(seen)


@pytest.mark.parametrize("evaluate", [
    pytest.param(lambda: fiscal_years.evaluate_fiscal_year(2563, date(2020, 9, 30)), id="indicators"),
    pytest.param(lambda: fiscal_years.fiscal_year_attendance(2563, date(2020, 9, 30)), id="attendance"),
])
def test_the_number_of_queries_does_not_grow_with_the_meetings(app, add_meetings, evaluate):
    add_meetings(2)
    evaluate()  # anything done once per process is done before counting
    few = count_statements(evaluate)
    add_meetings(18)
    many = count_statements(evaluate)
    assert 0 < few == many, (few, many)
    # and the 20 meetings were all evaluated
    assert fiscal_years.fiscal_year_attendance(2563, date(2020, 9, 30)).meetings_held == 20

"""The dashboard and the attendance report reuse their rendered content (web/page_cache.py).

What a user would notice if the cache were wrong: a change they just saved missing from
the page, another reader's name in the header, the wrong language or date. So each test
changes something the way the app's users do (through the services, committed) and
checks that the page served equals the page rendered from scratch.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from governance import clock
from governance.extensions import cache, db
from governance.models import Role
from governance.indicators.vocabulary import AttendanceStatus, MeetingStatus, Position, Topic
from governance.services import budget, directors, fiscal_years, meetings, reports, website
from tests.conftest import PASSWORD

IN, LEAVE, ABSENT = AttendanceStatus.IN_PERSON, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT
DASHBOARD = "/dashboard?fy=2563&as_of=2020-01-15"
ATTENDANCE = "/attendance?fy=2563&as_of=2020-01-15"


@pytest.fixture
def board(make_director, make_meeting):
    roster = [make_director("ประธาน ใจดี", position=Position.CHAIR)] + [
        make_director(name) for name in ("สมศรี มีสุข", "วิชัย ตั้งใจ", "มานะ อดทน")]
    first = make_meeting(date(2019, 11, 20), number="1/2563")
    meetings.replace_attendance(first.id, [meetings.AttendanceRow(d.id, IN) for d in roster])
    meetings.add_agenda_item(first.id, meetings.AgendaItemInput(
        topic=Topic.PERFORMANCE_REVIEW, title="ทบทวนผลการดำเนินงาน", states_problems_and_remedies=True))
    second = make_meeting(date(2019, 12, 18), number="2/2563")
    meetings.replace_attendance(second.id, [meetings.AttendanceRow(d.id, s)
                                            for d, s in zip(roster, [IN, IN, IN, LEAVE], strict=True)])
    planned = make_meeting(date(2020, 2, 19), number="3/2563", status=MeetingStatus.PLANNED)
    db.session.commit()
    return {"roster": roster, "first": first, "second": second, "planned": planned}


def main(page: str) -> str:
    """The page's content: what the cache holds (the header around it is per request)."""
    found = re.search(r'<main class="page">(.*)</main>', page, re.S)
    assert found, page[:500]
    return found.group(1)


def fetch(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def fresh(client, path: str) -> str:
    """The page as it would be without any cache."""
    cache.clear()
    return fetch(client, path)


def _report(board) -> None:
    reports.create_report(reports.ReportInput(sent_on=date(2020, 1, 6), title="รายงานต่อรัฐมนตรี ไตรมาส 1",
                                              period_start=date(2019, 10, 1), period_end=date(2019, 12, 31)))


def _attendance(board) -> None:
    meetings.replace_attendance(board["second"].id, [meetings.AttendanceRow(d.id, s) for d, s in
                                                     zip(board["roster"], [IN, ABSENT, ABSENT, LEAVE], strict=True)])


def _agenda_item(board) -> None:
    meetings.add_agenda_item(board["second"].id, meetings.AgendaItemInput(
        topic=Topic.RISK_MANAGEMENT, title="รายงานการบริหารความเสี่ยง", states_problems_and_remedies=True))


def _budget(board) -> None:
    budget.replace_budget(2563, [budget.BudgetMonthInput("2019-10", Decimal("1000000"), Decimal("990000"))])


def _website(board) -> None:
    website.record_website_item(2563, "contact", "https://example.go.th/contact", date(2020, 1, 10))


def _criteria(board) -> None:
    fiscal_years.update_parameters(2563, {"cabinet_plan_deadline": "2020-03-31"}, by=Role.SECRETARY)


def _not_counted(board) -> None:
    director = board["roster"][3]
    directors.update_director(director.id, directors.DirectorInput(
        name=director.name, position=director.position, term_start=director.term_start,
        counts_for_attendance=False))


def _meeting_cancelled(board) -> None:
    meeting = meetings.get_meeting(board["planned"].id)
    meetings.update_meeting(meeting.id, meetings.MeetingInput(
        held_on=meeting.held_on, kind=meeting.kind, number=meeting.number, title=meeting.title,
        status=MeetingStatus.CANCELLED, body=meeting.body))


CHANGES: dict[str, tuple[Callable, tuple[str, ...]]] = {
    "a report sent to the minister": (_report, (DASHBOARD,)),
    "attendance re-entered": (_attendance, (DASHBOARD, ATTENDANCE)),
    "an agenda item added": (_agenda_item, (DASHBOARD,)),
    "budget months entered": (_budget, (DASHBOARD,)),
    "a website item recorded": (_website, (DASHBOARD,)),
    "the year's criteria changed": (_criteria, (DASHBOARD,)),
    "a director no longer counted for attendance": (_not_counted, (DASHBOARD, ATTENDANCE)),
    "a planned meeting cancelled": (_meeting_cancelled, (DASHBOARD, ATTENDANCE)),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_saved_change_shows_at_once(client, login, board, change):
    login("secretary")
    apply, paths = CHANGES[change]
    before = {path: main(fetch(client, path)) for path in paths}
    assert {path: main(fetch(client, path)) for path in paths} == before  # served again from the cache
    apply(board)
    db.session.commit()
    for path in paths:
        served = main(fetch(client, path))
        assert served != before[path], f"{path} still shows the page from before: {change}"
        assert served == main(fresh(client, path)), path


def test_a_repeat_visit_does_not_evaluate_the_year_again(client, login, board):
    login("auditor")
    statements: list[str] = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    for path in (DASHBOARD, ATTENDANCE):
        fetch(client, path)
        statements.clear()
        fetch(client, path)
        # the signed-in user and the data's version; nothing about meetings or attendance
        assert not [s for s in statements if re.search(r"\bFROM (meeting|attendance|director)\b", s)], statements
        assert len(statements) <= 3, statements


def test_the_header_is_the_readers_own(client, app, make_user, board):
    for email in ("first.secretary@example.org", "second.secretary@example.org"):
        make_user("secretary", email=email)
    pages = {}
    for email in ("first.secretary@example.org", "second.secretary@example.org"):
        reader = app.test_client()
        assert reader.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
        pages[email] = fetch(reader, DASHBOARD)
    assert "first.secretary@example.org" not in pages["second.secretary@example.org"]
    assert "second.secretary@example.org" in pages["second.secretary@example.org"]
    assert main(pages["first.secretary@example.org"]) == main(pages["second.secretary@example.org"])


def test_each_language_gets_its_own_content(client, login, board):
    login("secretary")
    thai = main(fetch(client, DASHBOARD))
    assert "ปีงบประมาณ" in thai
    # The language kept in the session alone (no saved change moves the data's version).
    with client.session_transaction() as session:
        session["locale"] = "en"
    in_english = main(fetch(client, DASHBOARD))
    assert "fiscal year 2563" in in_english and "ปีงบประมาณ" not in in_english
    with client.session_transaction() as session:
        session["locale"] = "th"
    assert main(fetch(client, DASHBOARD)) == thai


def as_of_text(page: str) -> str:
    return re.search(r'data-testid="as-of-text">([^<]*)<', page).group(1)


def test_the_default_date_follows_today(client, login, board, monkeypatch):
    login("secretary")
    assert as_of_text(fetch(client, "/dashboard")) == "ข้อมูล ณ วันที่ 15 มกราคม 2563"
    monkeypatch.setattr(clock, "today", lambda: date(2020, 1, 16))
    assert as_of_text(fetch(client, "/dashboard")) == "ข้อมูล ณ วันที่ 16 มกราคม 2563"


def test_flashed_messages_still_show_on_a_cached_page(client, login, board):
    login("secretary")
    fetch(client, DASHBOARD)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "บันทึกแล้ว")]
    assert "บันทึกแล้ว" in fetch(client, DASHBOARD)
    assert "บันทึกแล้ว" not in fetch(client, DASHBOARD)


def test_with_the_cache_off_the_pages_still_answer(app, client, login, board):
    from cachelib import NullCache

    app.extensions["cache"][cache] = NullCache()  # what CACHE_TYPE=NullCache configures
    login("secretary")
    before = main(fetch(client, DASHBOARD))
    assert main(fetch(client, DASHBOARD)) == before
    _report(board)
    db.session.commit()
    assert main(fetch(client, DASHBOARD)) != before


def test_the_navigation_fits_the_reader_and_the_page(app, make_user, board):
    for role in ("secretary", "auditor"):
        make_user(role)
    pages = {}
    for role in ("secretary", "auditor"):
        reader = app.test_client()
        assert reader.post("/login", data={"email": f"{role}@example.org", "password": PASSWORD}).status_code == 302
        pages[role] = {path: fetch(reader, path) for path in (DASHBOARD, ATTENDANCE)}
    assert 'data-testid="nav-imports"' in pages["secretary"][DASHBOARD]
    assert 'data-testid="nav-imports"' not in pages["auditor"][DASHBOARD]
    for role in pages:
        assert re.search(r'data-testid="nav-dashboard"\s+class="active"', pages[role][DASHBOARD])
        assert re.search(r'data-testid="nav-attendance_report"\s+class="active"', pages[role][ATTENDANCE])
        assert not re.search(r'data-testid="nav-dashboard"\s+class="active"', pages[role][ATTENDANCE])


def test_nothing_is_reused_while_templates_reload(app, client, login, board):
    """`flask run --debug`: a template just edited shows on the next request."""
    app.config["TEMPLATES_AUTO_RELOAD"] = True
    login("secretary")
    fetch(client, DASHBOARD)
    statements: list[str] = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    fetch(client, DASHBOARD)
    assert [s for s in statements if re.search(r"\bFROM meeting\b", s)], "the year was not evaluated again"


def test_a_new_release_does_not_reuse_the_old_ones_fragments(app, client, login, board):
    """A cache shared across a deployment (Redis) outlives the processes of the old release."""
    login("secretary")
    fetch(client, DASHBOARD)
    app.extensions["page_cache_release"] = "the next release"
    statements: list[str] = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    fetch(client, DASHBOARD)
    assert [s for s in statements if re.search(r"\bFROM meeting\b", s)], "the old release's fragment was served"

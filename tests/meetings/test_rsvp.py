"""RSVP: directors answer, the secretary sees the quorum and the 80 % line before the meeting,
and the answers pre-fill the attendance grid afterwards."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from governance.extensions import db
from governance.indicators.expected_attendance import Outlook
from governance.indicators.vocabulary import MeetingBody, MeetingStatus
from governance.models import Attendance, Role, Rsvp, RsvpResponse
from governance.services import meetings, rsvps
from governance.services.errors import ValidationFailed

NOW = datetime(2020, 3, 1, 3, tzinfo=UTC)


@pytest.fixture
def board(make_director):
    return [make_director(f"กรรมการ {n}") for n in range(1, 6)]  # quorum 3, the 80 % line 4


@pytest.fixture
def planned(make_meeting):
    return make_meeting(date(2020, 3, 10), status=MeetingStatus.PLANNED)


def answer_all(meeting, board, *codes):
    for director, code in zip(board, codes):
        if code:
            rsvps.answer(meeting.id, director.id, RsvpResponse(code), NOW)
    db.session.commit()


def test_expected_attendance_counts_answers_against_quorum_and_line(board, planned):
    answer_all(planned, board, "in_person", "online", "apologies", None, None)
    seen = rsvps.expected(meetings.get_meeting(planned.id))
    assert (seen.expected, seen.no_answer, seen.quorum, seen.line) == (2, 2, 3, 4)
    assert seen.quorum_outlook is Outlook.OPEN and seen.line_outlook is Outlook.OPEN
    answer_all(planned, board, None, None, None, "apologies", None)
    seen = rsvps.expected(meetings.get_meeting(planned.id))
    assert seen.quorum_outlook is Outlook.OPEN and seen.line_outlook is Outlook.OUT_OF_REACH


def test_changing_an_answer_keeps_one_row(board, planned):
    answer_all(planned, board, "in_person")
    answer_all(planned, board, "apologies")
    assert [r.response.value for r in db.session.scalars(sa.select(Rsvp))] == ["apologies"]


def test_no_answers_for_a_held_meeting_or_someone_not_in_office(make_director, make_meeting, board):
    held = make_meeting(date(2020, 2, 10))
    with pytest.raises(ValidationFailed) as refused:
        rsvps.answer(held.id, board[0].id, RsvpResponse.IN_PERSON, NOW)
    assert "response" in refused.value.fields
    retired = make_director("อดีตกรรมการ", term_start=date(2018, 1, 1), term_end=date(2019, 12, 31))
    planned = make_meeting(date(2020, 3, 10), status=MeetingStatus.PLANNED)
    with pytest.raises(ValidationFailed) as refused:
        rsvps.answer(planned.id, retired.id, RsvpResponse.IN_PERSON, NOW)
    assert "director_id" in refused.value.fields


def test_a_committee_meeting_has_no_board_quorum_check(board, make_meeting):
    committee = make_meeting(date(2020, 3, 12), status=MeetingStatus.PLANNED, body=MeetingBody.COMMITTEE)
    assert rsvps.expected(committee) is None


def test_a_director_answers_from_the_meeting_page(client, login, board, planned):
    login(Role.DIRECTOR, director_id=board[0].id)
    page = client.get(f"/meetings/{planned.id}").get_data(as_text=True)
    assert 'data-testid="rsvp-form"' in page
    assert 'data-testid="rsvp-answers"' not in page  # directors do not see who else answered what
    response = client.post(f"/meetings/{planned.id}/rsvp", data={"response": "online"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Rsvp.response)) is RsvpResponse.ONLINE


def test_a_director_account_without_a_director_cannot_answer(client, login, planned):
    login(Role.DIRECTOR)
    response = client.post(f"/meetings/{planned.id}/rsvp", data={"response": "online"}, follow_redirects=True)
    assert "ไม่ได้ผูกกับกรรมการ" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Rsvp.id))) == 0


@pytest.mark.parametrize("role", ["secretary", "auditor", "admin"])
def test_only_directors_answer_for_themselves(client, login, planned, role):
    login(role)
    assert client.post(f"/meetings/{planned.id}/rsvp", data={"response": "online"}).status_code == 403


def test_the_secretary_sees_a_quorum_warning(client, login, board, planned):
    answer_all(planned, board, "apologies", "apologies", "apologies", "in_person", None)
    login("secretary")
    page = client.get(f"/meetings/{planned.id}").get_data(as_text=True)
    assert 'data-testid="quorum-check" data-outlook="out_of_reach"' in page
    assert 'data-testid="line-check" data-outlook="out_of_reach"' in page
    assert 'data-testid="rsvp-answers"' in page and "กรรมการ 5" in page


def test_a_forged_link_is_not_found(client, planned, board):
    token = rsvps.token_for(planned.id, board[0].id)
    assert client.get(f"/rsvp/{token}x").status_code == 404
    assert client.post(f"/rsvp/{token[:-2]}", data={"response": "online"}).status_code == 404


def test_the_link_refuses_once_the_meeting_is_held(client, planned, board):
    token = rsvps.token_for(planned.id, board[0].id)
    planned.status = MeetingStatus.HELD
    db.session.commit()
    response = client.post(f"/rsvp/{token}", data={"response": "online"})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(Rsvp.id))) == 0


def test_after_the_meeting_the_answers_prefill_the_grid_until_it_is_saved(client, login, board, planned):
    answer_all(planned, board, "in_person", "online", "apologies", None, None)
    planned.status = MeetingStatus.HELD
    db.session.commit()
    login("secretary")
    page = client.get(f"/meetings/{planned.id}").get_data(as_text=True)
    assert 'data-testid="attendance-prefilled"' in page
    grid = page[page.index('data-testid="attendance-form"'):]
    for director, code in zip(board[:3], ("in_person", "online", "leave")):
        select = grid[grid.index(f'data-testid="attendance-status-{director.id}"'):]
        select = select[:select.index("</select>")]
        assert f'selected value="{code}"' in select or f'value="{code}" selected' in select
    assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 0  # nothing saved yet
    meetings.replace_attendance(planned.id, [meetings.AttendanceRow(board[0].id, "absent")])
    db.session.commit()
    page = client.get(f"/meetings/{planned.id}").get_data(as_text=True)
    assert 'data-testid="attendance-prefilled"' not in page


def test_a_planned_meeting_grid_is_not_prefilled(client, login, board, planned):
    answer_all(planned, board, "in_person", "online")
    login("secretary")
    page = client.get(f"/meetings/{planned.id}").get_data(as_text=True)
    assert 'data-testid="attendance-prefilled"' not in page


def test_a_director_who_has_not_answered_is_told_so_and_nothing_is_preselected(client, login, board, planned):
    login(Role.DIRECTOR, director_id=board[0].id)
    page = client.get(f"/meetings/{planned.id}").get_data(as_text=True)
    own = page[page.index('data-testid="own-answer"'):]
    assert "ยังไม่ตอบ" in own[:own.index("</p>")]
    select = page[page.index('data-testid="rsvp-response"'):]
    assert "selected" not in select[:select.index("</select>")]


def test_no_forecast_once_the_meeting_is_held(client, login, board, planned):
    answer_all(planned, board, "in_person")
    planned.status = MeetingStatus.HELD
    db.session.commit()
    login("secretary")
    assert 'data-testid="quorum-check"' not in client.get(f"/meetings/{planned.id}").get_data(as_text=True)


def test_a_link_for_an_unknown_director_is_not_found(client, planned):
    assert client.get(f"/rsvp/{rsvps.token_for(planned.id, 999_999)}").status_code == 404


def test_an_answer_by_link_names_the_director_in_the_audit_trail(client, board, planned):
    from governance.models import AuditEntry
    client.post(f"/rsvp/{rsvps.token_for(planned.id, board[0].id)}", data={"response": "online"})
    actor = db.session.scalar(sa.select(AuditEntry.actor).where(AuditEntry.record_type == "rsvp"))
    assert actor == f"director {board[0].id} (invitation link)"


def test_the_link_stops_working_once_the_directors_account_is_disabled(client, make_user, planned, board):
    account = make_user(Role.DIRECTOR, email="director1@example.org", director_id=board[0].id)
    token = rsvps.token_for(planned.id, board[0].id)
    assert client.get(f"/rsvp/{token}").status_code == 200
    account.is_active = False
    db.session.commit()
    assert client.get(f"/rsvp/{token}").status_code == 404
    assert client.post(f"/rsvp/{token}", data={"response": "online"}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Rsvp.id))) == 0

"""/api/v1/meetings/{id}/attendance: replaced all-or-nothing."""

from __future__ import annotations

from datetime import date

import pytest

from governance.indicators.vocabulary import MeetingStatus


@pytest.fixture
def board(make_director, make_meeting):
    """A meeting on 2019-11-20, three directors in office then, one whose term ended before."""
    meeting = make_meeting(date(2019, 11, 20))
    present = [make_director(f"กรรมการ {n}") for n in ("หนึ่ง", "สอง", "สาม")]
    retired = make_director("กรรมการ พ้นวาระ", term_start=date(2016, 1, 1), term_end=date(2019, 10, 31))
    return meeting, present, retired


def url(meeting) -> str:
    return f"/api/v1/meetings/{meeting.id}/attendance"


def test_replace_and_read(api, board):
    meeting, (a, b, c), _ = board
    assert api.get(url(meeting)).get_json() == []
    rows = [{"director_id": b.id, "status": "online"}, {"director_id": a.id, "status": "in_person"}]
    response = api.put(url(meeting), json=rows)
    assert response.status_code == 200
    expected = sorted(rows, key=lambda r: r["director_id"])
    assert response.get_json() == expected
    assert api.get(url(meeting)).get_json() == expected

    # replaced, not merged: a is dropped, b changes, c is added
    rows = [{"director_id": b.id, "status": "leave"}, {"director_id": c.id, "status": "absent"}]
    assert api.put(url(meeting), json=rows).status_code == 200
    assert api.get(url(meeting)).get_json() == sorted(rows, key=lambda r: r["director_id"])

    assert api.put(url(meeting), json=[]).get_json() == []


def bad_rows(board, kind):
    meeting, (a, b, c), retired = board
    good = [{"director_id": a.id, "status": "in_person"}, {"director_id": b.id, "status": "online"}]
    third = {
        "out_of_office": {"director_id": retired.id, "status": "in_person"},
        "unknown": {"director_id": 9999, "status": "in_person"},
        "duplicate": {"director_id": a.id, "status": "leave"},
        "bad_status": {"director_id": c.id, "status": "late"},
        "string_id": {"director_id": str(c.id), "status": "absent"},
        "extra_field": {"director_id": c.id, "status": "absent", "note": "x"},
    }[kind]
    return good + [third]


@pytest.mark.parametrize(("kind", "field"), [
    ("out_of_office", "[2].director_id"),
    ("unknown", "[2].director_id"),
    ("duplicate", "[2].director_id"),
    ("bad_status", "[2].status"),
    ("string_id", "[2].director_id"),
    ("extra_field", "[2].note"),
])
def test_one_bad_row_rejects_all_and_keeps_the_previous_attendance(api, board, kind, field, snapshot):
    meeting, (a, b, c), _ = board
    previous = [{"director_id": c.id, "status": "in_person"}]
    api.put(url(meeting), json=previous)
    before = snapshot()
    response = api.put(url(meeting), json=bad_rows(board, kind))
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert field in fields, fields
    assert snapshot() == before
    assert api.get(url(meeting)).get_json() == previous


@pytest.mark.parametrize("body", [{"director_id": 1, "status": "online"}, {"rows": []}, "[]", None])
def test_the_body_must_be_an_array(api, board, body, snapshot):
    meeting = board[0]
    before = snapshot()
    response = api.put(url(meeting), json=body)
    assert response.status_code == 422
    assert "body" in response.get_json()["error"]["fields"]
    assert snapshot() == before


def test_a_cancelled_meeting_has_no_attendance(api, make_director, make_meeting, snapshot):
    director = make_director()
    meeting = make_meeting(status=MeetingStatus.CANCELLED)
    before = snapshot()
    response = api.put(url(meeting), json=[{"director_id": director.id, "status": "in_person"}])
    assert response.status_code == 422 and "status" in response.get_json()["error"]["fields"]
    assert snapshot() == before


def test_missing_meeting_is_404(api):
    assert api.get("/api/v1/meetings/999/attendance").status_code == 404
    assert api.put("/api/v1/meetings/999/attendance", json=[]).status_code == 404


@pytest.mark.parametrize("role", ["director", "auditor"])
def test_readers_read_but_may_not_write(api, board, role, snapshot):
    meeting, (a, *_), _ = board
    assert api.get(url(meeting), role=role).status_code == 200
    before = snapshot()
    assert api.put(url(meeting), json=[{"director_id": a.id, "status": "in_person"}], role=role).status_code == 403
    assert snapshot() == before


def test_without_a_token_is_401(api, board):
    meeting = board[0]
    assert api.get(url(meeting), role=None).status_code == 401
    assert api.put(url(meeting), json=[], role=None).status_code == 401

"""/api/v1/meetings."""

from __future__ import annotations

from datetime import date

import pytest

from governance.indicators.vocabulary import MeetingBody
from tests.api.conftest import MEETING


def test_create_list_get_update_delete(api, row_counts):
    created = api.post("/api/v1/meetings", json={**MEETING, "starts_at": "09:30", "ends_at": "12:15",
                                                  "place": "ห้องประชุม 1"})
    assert created.status_code == 201
    body = created.get_json()
    assert body == {**MEETING, "starts_at": "09:30", "ends_at": "12:15", "place": "ห้องประชุม 1", "id": body["id"],
                    "fiscal_year": 2563, "quarter": 1}
    assert created.headers["Location"].endswith(f"/api/v1/meetings/{body['id']}")

    assert api.get("/api/v1/meetings").get_json() == [body]
    assert api.get(f"/api/v1/meetings/{body['id']}").get_json() == body

    replacement = {**MEETING, "held_on": "2020-10-28", "number": "10/2563", "kind": "special", "status": "planned",
                   "body": "committee"}
    updated = api.put(f"/api/v1/meetings/{body['id']}", json=replacement)
    assert updated.status_code == 200
    # the fiscal year comes from the date, never from the number; optional fields reset
    assert updated.get_json() == {**replacement, "id": body["id"], "starts_at": None, "ends_at": None, "place": None,
                                  "fiscal_year": 2564, "quarter": 1}

    deleted = api.delete(f"/api/v1/meetings/{body['id']}")
    assert deleted.status_code == 204
    assert api.get(f"/api/v1/meetings/{body['id']}").status_code == 404
    assert row_counts()["meetings"] == 0


@pytest.mark.parametrize("times, field", [({"ends_at": "12:00"}, "ends_at"),
                                          ({"starts_at": "13:00", "ends_at": "12:00"}, "ends_at"),
                                          ({"starts_at": "13:00", "ends_at": "13:00"}, "ends_at"),
                                          ({"starts_at": "13:00", "ends_at": "25:00"}, "ends_at")])
def test_an_end_needs_a_start_before_it(api, row_counts, times, field):
    response = api.post("/api/v1/meetings", json={**MEETING, **times})
    assert response.status_code in (400, 422)
    assert field in str(response.get_json())
    assert row_counts()["meetings"] == 0


def test_body_defaults_to_board(api):
    body = {k: v for k, v in MEETING.items() if k != "body"}
    assert api.post("/api/v1/meetings", json=body).get_json()["body"] == "board"


def test_list_by_fiscal_year(api, make_meeting):
    early = make_meeting(date(2019, 9, 30))   # FY2562
    first = make_meeting(date(2019, 10, 1))   # FY2563
    last = make_meeting(date(2020, 9, 30))    # FY2563
    make_meeting(date(2020, 10, 1))           # FY2564
    listed = api.get("/api/v1/meetings?fiscal_year=2563").get_json()
    assert [m["id"] for m in listed] == [first.id, last.id]
    assert [m["quarter"] for m in listed] == [1, 4]
    assert [m["id"] for m in api.get("/api/v1/meetings?fiscal_year=2562").get_json()] == [early.id]
    assert len(api.get("/api/v1/meetings").get_json()) == 4


@pytest.mark.parametrize("value", ["abc", "", "2563.0", "-1", "1999", "25630", "๒๕๖๓"])
def test_a_bad_fiscal_year_filter_is_refused(api, value):
    response = api.get("/api/v1/meetings", query_string={"fiscal_year": value})
    assert response.status_code == 422
    assert "fiscal_year" in response.get_json()["error"]["fields"]


def test_duplicate_board_number_is_a_conflict(api, make_meeting, snapshot):
    existing = make_meeting(number="3/2563")
    other = make_meeting(number="4/2563")
    before = snapshot()
    created = api.post("/api/v1/meetings", json={**MEETING, "number": "3/2563"})
    assert created.status_code == 409
    assert created.get_json()["error"]["code"] == "conflict"
    assert "number" in created.get_json()["error"]["fields"]
    updated = api.put(f"/api/v1/meetings/{other.id}", json={**MEETING, "number": " 3/2563 "})
    assert updated.status_code == 409 and "number" in updated.get_json()["error"]["fields"]
    assert snapshot() == before
    # the meeting keeps its own number; committees reuse numbers freely
    assert api.put(f"/api/v1/meetings/{existing.id}", json={**MEETING, "number": "3/2563"}).status_code == 200
    assert api.post("/api/v1/meetings", json={**MEETING, "body": MeetingBody.COMMITTEE}).status_code == 201


def test_moving_a_meeting_out_of_its_attendees_terms_is_refused(api, make_director, make_meeting, snapshot):
    director = make_director(term_start=date(2019, 1, 1), term_end=date(2019, 12, 31))
    meeting = make_meeting(date(2019, 11, 20))
    api.put(f"/api/v1/meetings/{meeting.id}/attendance", json=[{"director_id": director.id, "status": "online"}])
    before = snapshot()
    response = api.put(f"/api/v1/meetings/{meeting.id}", json={**MEETING, "held_on": "2020-01-15"})
    assert response.status_code == 422 and "held_on" in response.get_json()["error"]["fields"]
    assert snapshot() == before


def test_delete_takes_attendance_and_agenda_items_with_it(api, make_director, make_meeting, row_counts):
    director = make_director()
    meeting = make_meeting()
    api.put(f"/api/v1/meetings/{meeting.id}/attendance", json=[{"director_id": director.id, "status": "leave"}])
    api.post(f"/api/v1/meetings/{meeting.id}/agenda-items", json={"topic": "other", "title": "เรื่องอื่น ๆ"})
    assert api.delete(f"/api/v1/meetings/{meeting.id}").status_code == 204
    counts = row_counts()
    assert (counts["meetings"], counts["attendance"], counts["agenda_items"], counts["directors"]) == (0, 0, 0, 1)


def test_missing_meeting_is_404(api):
    assert api.get("/api/v1/meetings/999").status_code == 404
    assert api.put("/api/v1/meetings/999", json=MEETING).status_code == 404
    assert api.delete("/api/v1/meetings/999").status_code == 404


@pytest.mark.parametrize("role", ["director", "auditor"])
def test_readers_read_but_may_not_write(api, make_meeting, role, snapshot):
    meeting = make_meeting()
    assert api.get("/api/v1/meetings", role=role).status_code == 200
    assert api.get(f"/api/v1/meetings/{meeting.id}", role=role).status_code == 200
    before = snapshot()
    assert api.post("/api/v1/meetings", json=MEETING, role=role).status_code == 403
    assert api.put(f"/api/v1/meetings/{meeting.id}", json=MEETING, role=role).status_code == 403
    assert api.delete(f"/api/v1/meetings/{meeting.id}", role=role).status_code == 403
    assert snapshot() == before


def test_without_a_token_is_401(api, make_meeting):
    meeting = make_meeting()
    assert api.get("/api/v1/meetings", role=None).status_code == 401
    assert api.post("/api/v1/meetings", json=MEETING, role=None).status_code == 401
    assert api.delete(f"/api/v1/meetings/{meeting.id}", role=None).status_code == 401


BAD_BODIES = [
    ({**MEETING, "held_on": "2020-02-30"}, "held_on"),
    ({**MEETING, "held_on": ""}, "held_on"),
    ({**MEETING, "held_on": None}, "held_on"),
    ({**MEETING, "held_on": 20191120}, "held_on"),
    ({**MEETING, "kind": "extraordinary"}, "kind"),
    ({**MEETING, "status": "done"}, "status"),
    ({**MEETING, "body": "subcommittee"}, "body"),
    ({**MEETING, "number": ""}, "number"),
    ({**MEETING, "number": "  "}, "number"),
    ({**MEETING, "number": 3}, "number"),
    ({**MEETING, "title": "   "}, "title"),
    ({**MEETING, "starts_at": "9.30"}, "starts_at"),
    ({**MEETING, "starts_at": "24:00"}, "starts_at"),
    ({**MEETING, "starts_at": "๐๙:๓๐"}, "starts_at"),
    ({**MEETING, "place": "ห" * 301}, "place"),
    ({**MEETING, "title": "ประชุม\u0000"}, "title"),  # PostgreSQL cannot store NUL
    ({**MEETING, "number": "3/2563\x1b"}, "number"),
    ({**MEETING, "fiscal_year": 2563}, "fiscal_year"),  # derived, not writable
    ({**MEETING, "id": 1}, "id"),
    ({k: v for k, v in MEETING.items() if k != "status"}, "status"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD_BODIES)])
def test_bad_input_is_refused_naming_the_field(api, body, field, make_meeting, snapshot):
    existing = make_meeting(number="1/2563")
    before = snapshot()
    for response in (api.post("/api/v1/meetings", json=body),
                     api.put(f"/api/v1/meetings/{existing.id}", json=body)):
        assert response.status_code == 422, response.get_json()
        assert field in response.get_json()["error"]["fields"], response.get_json()
    assert snapshot() == before


def test_a_meeting_after_today_is_not_held(api, snapshot):
    before = snapshot()
    refused = api.post("/api/v1/meetings", json={**MEETING, "held_on": "2031-02-20", "status": "held"})
    assert refused.status_code == 422 and "status" in refused.get_json()["error"]["fields"]
    assert snapshot() == before
    assert api.post("/api/v1/meetings", json={**MEETING, "held_on": "2031-02-20", "status": "planned"}
                    ).status_code == 201

"""/api/v1/directors."""

from __future__ import annotations

import pytest

from tests.api.conftest import DIRECTOR


def test_create_list_get_update(api, row_counts):
    created = api.post("/api/v1/directors", json=DIRECTOR)
    assert created.status_code == 201
    body = created.get_json()
    assert body == {**DIRECTOR, "id": body["id"]}
    assert created.headers["Location"].endswith(f"/api/v1/directors/{body['id']}")
    assert row_counts()["directors"] == 1

    listed = api.get("/api/v1/directors")
    assert listed.status_code == 200 and listed.get_json() == [body]
    assert api.get(f"/api/v1/directors/{body['id']}").get_json() == body

    replacement = {**DIRECTOR, "name": "นายประเสริฐ ศรีสุข", "email": None, "position": "chair",
                   "term_end": "2022-12-31", "counts_for_attendance": False}
    updated = api.put(f"/api/v1/directors/{body['id']}", json=replacement)
    assert updated.status_code == 200
    assert updated.get_json() == {**replacement, "id": body["id"]}
    assert api.get(f"/api/v1/directors/{body['id']}").get_json() == {**replacement, "id": body["id"]}
    assert row_counts()["directors"] == 1


def test_put_is_a_full_replace_optional_fields_reset(api):
    director_id = api.post("/api/v1/directors", json={**DIRECTOR, "term_end": "2022-12-31"}).get_json()["id"]
    minimal = {"name": "ก", "position": "ex_officio", "term_start": "2019-01-01"}
    updated = api.put(f"/api/v1/directors/{director_id}", json=minimal).get_json()
    assert updated["email"] is None and updated["term_end"] is None and updated["counts_for_attendance"] is True


def test_missing_director_is_404(api):
    assert api.get("/api/v1/directors/999").status_code == 404
    assert api.put("/api/v1/directors/999", json=DIRECTOR).status_code == 404


@pytest.mark.parametrize("role", ["admin", "secretary"])
def test_writers_may_write(api, role):
    assert api.post("/api/v1/directors", json=DIRECTOR, role=role).status_code == 201


@pytest.mark.parametrize("role", ["director", "auditor"])
def test_readers_read_but_may_not_write(api, make_director, role, row_counts):
    director = make_director()
    assert api.get("/api/v1/directors", role=role).status_code == 200
    assert api.get(f"/api/v1/directors/{director.id}", role=role).status_code == 200
    before = row_counts()
    assert api.post("/api/v1/directors", json=DIRECTOR, role=role).status_code == 403
    assert api.put(f"/api/v1/directors/{director.id}", json=DIRECTOR, role=role).status_code == 403
    assert row_counts() == before


def test_without_a_token_is_401(api, make_director):
    director = make_director()
    for response in (api.get("/api/v1/directors", role=None),
                     api.get(f"/api/v1/directors/{director.id}", role=None),
                     api.post("/api/v1/directors", json=DIRECTOR, role=None),
                     api.put(f"/api/v1/directors/{director.id}", json=DIRECTOR, role=None),
                     api.get("/api/v1/directors", role=None, headers={"Authorization": "Bearer not-a-token"})):
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"


BAD_BODIES = [
    ({**DIRECTOR, "position": "president"}, "position"),
    ({**DIRECTOR, "term_start": "2020-02-30"}, "term_start"),
    ({**DIRECTOR, "term_start": ""}, "term_start"),
    ({**DIRECTOR, "term_start": "01/01/2019"}, "term_start"),
    ({**DIRECTOR, "term_end": "2018-12-31"}, "term_end"),  # before term_start
    ({**DIRECTOR, "email": "not an email"}, "email"),
    ({**DIRECTOR, "counts_for_attendance": "yes"}, "counts_for_attendance"),
    ({**DIRECTOR, "counts_for_attendance": 1}, "counts_for_attendance"),
    ({**DIRECTOR, "name": 42}, "name"),
    ({**DIRECTOR, "name": ""}, "name"),
    ({**DIRECTOR, "name": "   "}, "name"),
    ({**DIRECTOR, "name": "ก" * 201}, "name"),
    ({**DIRECTOR, "name": "สมชาย\u0000"}, "name"),
    ({**DIRECTOR, "email": "a" * 250 + "@example.org"}, "email"),
    ({**DIRECTOR, "id": 7}, "id"),  # no mass assignment
    ({**DIRECTOR, "is_admin": True}, "is_admin"),
    ({k: v for k, v in DIRECTOR.items() if k != "term_start"}, "term_start"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES, ids=[f for _, f in BAD_BODIES])
def test_bad_input_is_refused_naming_the_field(api, body, field, make_director, snapshot):
    existing = make_director()
    before = snapshot()
    for response in (api.post("/api/v1/directors", json=body),
                     api.put(f"/api/v1/directors/{existing.id}", json=body)):
        assert response.status_code == 422, response.get_json()
        error = response.get_json()["error"]
        assert error["code"] == "validation_failed"
        assert field in error["fields"], error
    assert snapshot() == before


def test_shortening_a_term_past_recorded_attendance_is_refused(api, make_director, make_meeting, snapshot):
    director = make_director()
    meeting = make_meeting()  # 2019-11-20
    assert api.put(f"/api/v1/meetings/{meeting.id}/attendance",
                   json=[{"director_id": director.id, "status": "in_person"}]).status_code == 200
    before = snapshot()
    response = api.put(f"/api/v1/directors/{director.id}", json={**DIRECTOR, "term_end": "2019-10-31"})
    assert response.status_code == 422
    assert "term_end" in response.get_json()["error"]["fields"]
    assert snapshot() == before

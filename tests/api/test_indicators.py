"""GET /api/v1/fiscal-years/{fy}/indicators?as_of=: indicators 10-18 as spec/api.md shows them."""

from __future__ import annotations

from datetime import date

import pytest

from governance import clock
from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus, MeetingBody, MeetingStatus, Topic
from governance.services import fiscal_years, meetings

URL = "/api/v1/fiscal-years/2563/indicators"
RESULT_KEYS = {"number", "status", "value", "target", "detail", "evidence", "deadline", "needed"}
STATUSES = {"met", "on_track", "at_risk", "missed"}


def add_items(meeting, *topics: str, states: bool = False) -> list:
    items = [meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(
        topic=Topic(topic), title=f"วาระ {topic}", states_problems_and_remedies=states)) for topic in topics]
    db.session.commit()
    return items


def mark(meeting, statuses: dict) -> None:
    meetings.replace_attendance(meeting.id, [meetings.AttendanceRow(director_id=d.id, status=AttendanceStatus(s))
                                             for d, s in statuses.items()])
    db.session.commit()


def by_number(body: dict) -> dict[int, dict]:
    return {result["number"]: result for result in body["indicators"]}


@pytest.fixture
def year(make_director, make_meeting):
    """A small FY2563: five directors, two held board meetings, a committee and a planned meeting."""
    directors = [make_director(f"กรรมการ {n}") for n in range(1, 6)]
    first = make_meeting(date(2019, 11, 20))
    add_items(first, "performance_review", "internal_control", "five_year_plan")
    add_items(first, "financial_report", states=True)
    mark(first, {d: "in_person" for d in directors})
    second = make_meeting(date(2020, 3, 10))
    add_items(second, "internal_control", "annual_plan")
    mark(second, {**{d: "online" for d in directors[:4]}, directors[4]: "leave"})
    committee = make_meeting(date(2020, 2, 1), body=MeetingBody.COMMITTEE)
    add_items(committee, "performance_review")
    make_meeting(date(2020, 8, 20), status=MeetingStatus.PLANNED)
    return {"directors": directors, "first": first, "second": second, "committee": committee}


def test_nine_indicators_in_the_api_shape(api, year):
    response = api.get(URL, query_string={"as_of": "2020-06-30"})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"fiscal_year", "as_of", "indicators"}
    assert (body["fiscal_year"], body["as_of"]) == (2563, "2020-06-30")
    assert [r["number"] for r in body["indicators"]] == list(range(10, 19))
    for result in body["indicators"]:
        assert set(result) == RESULT_KEYS
        assert result["status"] in STATUSES
        assert result["value"] is None or type(result["value"]) in (int, float)
        assert type(result["target"]) in (int, float)
        assert all("kind" in evidence for evidence in result["evidence"])
    # exactly the engine's answer, passed through unchanged
    expected = [r.to_dict() for r in fiscal_years.evaluate_fiscal_year(2563, date(2020, 6, 30))]
    assert body["indicators"] == expected

    results = by_number(body)
    assert type(results[10]["value"]) is int and type(results[15]["value"]) is int
    # 10: one review at a held board meeting (the committee's does not count)
    assert (results[10]["status"], results[10]["value"], results[10]["target"]) == ("met", 1, 1)
    [evidence] = results[10]["evidence"]
    assert evidence["kind"] == "agenda_item" and evidence["meeting_id"] == year["first"].id
    assert evidence["held_on"] == "2019-11-20"
    # 16: 5 of 5 and 4 of 5 present: both qualify
    assert results[16]["value"] == 100.0 and results[16]["target"] == 90
    assert results[16]["detail"]["meetings_held"] == 2 and results[16]["detail"]["meetings_qualifying"] == 2
    assert [e["id"] for e in results[16]["evidence"]] == [year["first"].id, year["second"].id]
    assert {e["kind"] for e in results[16]["evidence"]} == {"meeting"}
    # 11: the Cabinet's deadline is not entered: no guess
    assert results[11]["value"] is None and results[11]["deadline"] is None
    assert results[11]["needed"] == [{"code": "deadline_unset", "parameter": "cabinet_plan_deadline"}]
    # 12: internal control in Q1 and Q2, the other subjects nowhere yet
    assert results[12]["detail"]["subjects"]["internal_control"]["quarters"] == [1, 2]


def test_a_meeting_after_as_of_is_not_counted(api, year):
    before = by_number(api.get(URL, query_string={"as_of": "2020-03-09"}).get_json())
    on = by_number(api.get(URL, query_string={"as_of": "2020-03-10"}).get_json())
    assert before[16]["detail"]["meetings_held"] == 1 and on[16]["detail"]["meetings_held"] == 2
    assert [e["id"] for e in before[16]["evidence"]] == [year["first"].id]
    assert before[12]["detail"]["subjects"]["internal_control"]["quarters"] == [1]
    assert on[12]["detail"]["subjects"]["internal_control"]["quarters"] == [1, 2]
    # and before the first meeting, nothing has happened yet
    early = by_number(api.get(URL, query_string={"as_of": "2019-11-19"}).get_json())
    assert (early[10]["value"], early[10]["evidence"]) == (0, [])
    assert early[16]["value"] is None and early[16]["detail"]["meetings_held"] == 0


def test_as_of_defaults_to_today_in_thailand(api, year, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2020, 3, 9))
    body = api.get(URL).get_json()
    assert body["as_of"] == "2020-03-09"
    assert body["indicators"] == api.get(URL, query_string={"as_of": "2020-03-09"}).get_json()["indicators"]


def test_another_year_sees_none_of_it(api, year):
    body = api.get("/api/v1/fiscal-years/2564/indicators", query_string={"as_of": "2021-06-30"}).get_json()
    assert body["fiscal_year"] == 2564
    results = by_number(body)
    assert results[10]["value"] == 0 and results[16]["detail"]["meetings_held"] == 0


BAD_AS_OF = ["2020-13-01", "2020-02-30", "yesterday", "", "20200630", "2020-6-30", "2020-06-30T00:00",
             "๒๐๒๐-๐๖-๓๐", "0001-01-01", "9999-12-31"]


@pytest.mark.parametrize("resource", ["indicators", "attendance"])
@pytest.mark.parametrize("as_of", BAD_AS_OF)
def test_a_bad_as_of_is_a_422_naming_it(api, resource, as_of):
    response = api.get(f"/api/v1/fiscal-years/2563/{resource}", query_string={"as_of": as_of})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed" and set(error["fields"]) == {"as_of"}


@pytest.mark.parametrize("resource", ["indicators", "attendance"])
@pytest.mark.parametrize("number", [1999, 2019, 9999])
def test_a_fiscal_year_is_a_buddhist_era_number(api, resource, number):
    response = api.get(f"/api/v1/fiscal-years/{number}/{resource}", query_string={"as_of": "2020-06-30"})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"fiscal_year"}


@pytest.mark.parametrize("resource", ["indicators", "attendance"])
@pytest.mark.parametrize("role", ["admin", "secretary", "director", "auditor"])
def test_every_role_may_read(api, resource, role):
    assert api.get(f"/api/v1/fiscal-years/2563/{resource}", role=role).status_code == 200


@pytest.mark.parametrize("resource", ["indicators", "attendance"])
def test_without_a_token_is_401(api, resource):
    response = api.get(f"/api/v1/fiscal-years/2563/{resource}", role=None)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_document_describes_a_result(document):
    schemas = document["components"]["schemas"]
    result = schemas["IndicatorResult"]
    assert set(result["required"]) == RESULT_KEYS
    assert set(result["properties"]["status"]["enum"]) == STATUSES
    assert {"type": "null"} in result["properties"]["value"]["anyOf"]
    assert {"type": "null"} in result["properties"]["deadline"]["anyOf"]
    assert result["properties"]["detail"]["additionalProperties"] is True
    assert schemas["Evidence"]["required"] == ["kind"] and schemas["Evidence"]["additionalProperties"] is True
    operation = document["paths"]["/api/v1/fiscal-years/{fiscal_year}/indicators"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["fiscal_year", "as_of"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Indicators"}

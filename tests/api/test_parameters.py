"""/api/v1/fiscal-years/{fy}/parameters: the year's criteria as data.

A PUT sends only the top-level keys that change (the secretary enters the Cabinet's
deadline); the engine validates the whole result, names the offending field, and
nothing is stored when it refuses.
"""

from __future__ import annotations

import copy
from datetime import date

import pytest
import sqlalchemy as sa

from governance.extensions import db
from governance.indicators import default_parameters
from governance.indicators.vocabulary import Topic
from governance.models import AuditEntry
from governance.services import meetings

URL = "/api/v1/fiscal-years/2563/parameters"
INDICATORS = "/api/v1/fiscal-years/2563/indicators"


def add_items(meeting, *topics: str) -> None:
    for topic in topics:
        meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(topic=Topic(topic), title=f"วาระ {topic}"))
    db.session.commit()


def indicator(api, number: int, as_of: str = "2020-06-30") -> dict:
    body = api.get(INDICATORS, query_string={"as_of": as_of}).get_json()
    return next(r for r in body["indicators"] if r["number"] == number)


def test_a_year_starts_with_the_fy2563_framework(api):
    response = api.get(URL)
    assert response.status_code == 200
    body = response.get_json()
    assert body == default_parameters(2563)
    assert body["cabinet_plan_deadline"] is None
    assert [i["number"] for i in body["indicators"]] == list(range(10, 19))
    # Thai titles as they are, not \u-escaped
    assert "คณะกรรมการ".encode() in response.get_data()


def test_the_cabinet_deadline_decides_indicator_11(api, make_meeting):
    """Both plans considered on or before the deadline: met; one the day after it: not met."""
    add_items(make_meeting(date(2019, 12, 20)), "five_year_plan")
    add_items(make_meeting(date(2020, 1, 15)), "annual_plan")

    unset = indicator(api, 11)
    assert (unset["status"], unset["value"], unset["deadline"]) == ("on_track", None, None)
    assert unset["needed"] == [{"code": "deadline_unset", "parameter": "cabinet_plan_deadline"}]

    # the annual plan is considered on the deadline itself
    response = api.put(URL, json={"cabinet_plan_deadline": "2020-01-15"})
    assert response.status_code == 200
    document = response.get_json()
    assert document == {**default_parameters(2563), "cabinet_plan_deadline": "2020-01-15"}
    assert api.get(URL).get_json() == document
    met = indicator(api, 11)
    assert (met["status"], met["value"], met["deadline"], met["needed"]) == ("met", 100.0, "2020-01-15", [])
    assert [e["in_time"] for e in met["evidence"]] == [True, True]

    # the deadline a day earlier: the annual plan came the day after it
    assert api.put(URL, json={"cabinet_plan_deadline": "2020-01-14"}).status_code == 200
    late = indicator(api, 11)
    assert (late["status"], late["value"], late["deadline"]) == ("missed", 50.0, "2020-01-14")
    assert [e["in_time"] for e in late["evidence"]] == [True, False]
    assert late["needed"] == [{"code": "topic_by_deadline", "topic": "annual_plan", "deadline": "2020-01-14"}]

    # and unset again
    assert api.put(URL, json={"cabinet_plan_deadline": None}).get_json()["cabinet_plan_deadline"] is None
    assert indicator(api, 11)["value"] is None


def test_only_the_keys_sent_change(api):
    api.put(URL, json={"cabinet_plan_deadline": "2019-12-31"})
    response = api.put(URL, json={"warning_days": 14}, role="admin")
    assert response.status_code == 200
    assert response.get_json() == {**default_parameters(2563), "cabinet_plan_deadline": "2019-12-31",
                                   "warning_days": 14}
    # the whole document back is accepted as is
    document = api.get(URL).get_json()
    assert api.put(URL, json=document).get_json() == document
    assert api.put(URL, json={}).get_json() == document


def test_a_changed_threshold_changes_the_evaluation(api, make_meeting):
    add_items(make_meeting(date(2019, 11, 20)), "internal_control")
    add_items(make_meeting(date(2020, 2, 20)), "internal_control")
    document = api.get(URL).get_json()
    before = indicator(api, 12)["detail"]
    assert before["min_quarters"] == 3 and not before["subjects"]["internal_control"]["done"]
    document["indicators"][2]["min_quarters"] = 2
    assert api.put(URL, json={"indicators": document["indicators"]}, role="admin").status_code == 200
    after = indicator(api, 12)["detail"]
    assert after["min_quarters"] == 2 and after["subjects"]["internal_control"]["done"]


def test_years_are_kept_apart(api):
    api.put(URL, json={"cabinet_plan_deadline": "2019-12-31"})
    other = api.get("/api/v1/fiscal-years/2564/parameters").get_json()
    assert other == default_parameters(2564)
    assert other["fiscal_year"] == 2564 and other["cabinet_plan_deadline"] is None


def _indicators_with(change) -> list[dict]:
    indicators = copy.deepcopy(default_parameters(2563)["indicators"])
    change(indicators)
    return indicators


BAD = [
    ({"cabinet_plan_deadline": "31/12/2019"}, "cabinet_plan_deadline"),
    ({"cabinet_plan_deadline": "2019-02-30"}, "cabinet_plan_deadline"),
    ({"cabinet_plan_deadline": 20191231}, "cabinet_plan_deadline"),
    ({"warning_days": -1}, "warning_days"),
    ({"warning_days": True}, "warning_days"),
    ({"warning_days": "30"}, "warning_days"),
    ({"fiscal_year": 2564}, "fiscal_year"),
    ({"attendance": {**default_parameters(2563)["attendance"], "meeting_threshold_percent": 0}},
     "attendance.meeting_threshold_percent"),
    ({"attendance": {**default_parameters(2563)["attendance"], "quorum_fraction": "half"}},
     "attendance.quorum_fraction"),
    ({"indicators": _indicators_with(lambda i: i[2].update(min_quarters=5))}, "indicators[2].min_quarters"),
    ({"indicators": _indicators_with(lambda i: i[0].update(topics=["gossip"]))}, "indicators[0].topics[0]"),
    ({"indicators": _indicators_with(lambda i: i[1].update(number=10))}, "indicators[1].number"),
    ({"indicators": _indicators_with(lambda i: i[3].update(kind="vibes"))}, "indicators[3].kind"),
    ({"indicators": []}, "indicators"),
    ({"colour": "blue"}, "colour"),
    # the good key is not stored either: nothing is half-written
    ({"cabinet_plan_deadline": "2020-03-31", "warning_days": -5}, "warning_days"),
]


@pytest.mark.parametrize(("body", "field"), BAD, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD)])
def test_a_bad_parameter_is_refused_naming_it(api, body, field):
    assert api.put(URL, json={"cabinet_plan_deadline": "2019-12-31"}).status_code == 200
    before = api.get(URL).get_json()
    response = api.put(URL, json=body, role="admin")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed" and field in error["fields"], error
    assert api.get(URL).get_json() == before
    assert before["cabinet_plan_deadline"] == "2019-12-31"


@pytest.mark.parametrize(("data", "content_type"), [
    (b'{"cabinet_plan_deadline": "2019-12-31"', "application/json"),
    (b"", "application/json"),
    (b"null", "application/json"),
    (b"[]", "application/json"),
    (b'"2019-12-31"', "application/json"),
    (b'{"cabinet_plan_deadline": "2019-12-31"}', "text/plain"),
])
def test_a_malformed_body_is_a_422_naming_the_body(api, data, content_type):
    response = api.put(URL, data=data, content_type=content_type)
    assert response.status_code == 422
    assert "body" in response.get_json()["error"]["fields"]
    assert api.get(URL).get_json()["cabinet_plan_deadline"] is None


@pytest.mark.parametrize("number", [1999, 2019, 9999])
def test_a_fiscal_year_is_a_buddhist_era_number(api, number):
    for response in (api.get(f"/api/v1/fiscal-years/{number}/parameters"),
                     api.put(f"/api/v1/fiscal-years/{number}/parameters", json={"cabinet_plan_deadline": None})):
        assert response.status_code == 422
        assert set(response.get_json()["error"]["fields"]) == {"fiscal_year"}


@pytest.mark.parametrize("role", ["director", "auditor"])
def test_readers_read_but_may_not_write(api, role):
    api.put(URL, json={"cabinet_plan_deadline": "2019-12-31"})
    assert api.get(URL, role=role).get_json()["cabinet_plan_deadline"] == "2019-12-31"
    response = api.put(URL, json={"cabinet_plan_deadline": "2020-06-30"}, role=role)
    assert response.status_code == 403
    assert api.get(URL).get_json()["cabinet_plan_deadline"] == "2019-12-31"


@pytest.mark.parametrize("role", ["admin", "secretary"])
def test_admin_and_secretary_may_write(api, role):
    response = api.put(URL, json={"cabinet_plan_deadline": "2020-06-30"}, role=role)
    assert response.status_code == 200 and response.get_json()["cabinet_plan_deadline"] == "2020-06-30"


def test_without_a_token_is_401(api):
    assert api.get(URL, role=None).status_code == 401
    assert api.put(URL, json={"cabinet_plan_deadline": "2019-12-31"}, role=None).status_code == 401
    assert api.get(URL).get_json()["cabinet_plan_deadline"] is None


def test_the_document_describes_the_parameters(document):
    schemas = document["components"]["schemas"]
    parameters = schemas["Parameters"]
    assert parameters["additionalProperties"] is False
    assert set(parameters["required"]) == {"fiscal_year", "warning_days", "cabinet_plan_deadline",
                                           "attendance", "indicators"}
    kinds = parameters["properties"]["indicators"]["items"]["discriminator"]["mapping"]
    assert set(kinds) == {"meeting_topic_count", "topics_by_deadline", "quarters_per_subject", "budget_ratio",
                          "record_count", "attendance", "checklist", "self_assessment"}
    update = schemas["ParametersUpdate"]
    assert "required" not in update and update["additionalProperties"] is False
    assert update["properties"]["warning_days"]["type"] == "integer"  # optional, but never null
    assert {"type": "null"} in update["properties"]["cabinet_plan_deadline"]["anyOf"]
    put = document["paths"]["/api/v1/fiscal-years/{fiscal_year}/parameters"]["put"]
    assert put["x-roles"] == ["admin", "secretary"]


# --- who may move the bar ---------------------------------------------------------------

@pytest.mark.parametrize("change, field, as_admin", [
    ({"attendance": {"meeting_threshold_percent": 50, "year_threshold_percent": 50, "quorum_fraction": "1/3",
                     "one_place_fraction_of_quorum": "1/3", "electronic_meetings_from": "2020-04-19"}},
     "attendance", 200),
    ({"indicators": []}, "indicators", 422),  # the admin's to change, and an empty list is no criteria
])
def test_the_secretary_may_not_change_the_thresholds_or_the_indicators(api, change, field, as_admin):
    before = api.get(URL).get_json()
    response = api.put(URL, json=change, role="secretary")
    assert response.status_code == 403
    assert list(response.get_json()["error"]["fields"]) == [field]
    assert api.get(URL).get_json() == before
    assert api.put(URL, json=change, role="admin").status_code == as_admin


def test_the_secretary_keeps_the_cabinet_deadline_and_the_warning_window(api):
    response = api.put(URL, json={"cabinet_plan_deadline": "2020-01-31", "warning_days": 21}, role="secretary")
    assert response.status_code == 200
    # Sending the whole document back unchanged, beside her change, is no change of the rest.
    document = {**response.get_json(), "cabinet_plan_deadline": "2020-02-28"}
    assert api.put(URL, json=document, role="secretary").status_code == 200


def test_every_change_to_the_criteria_is_in_the_audit_trail_and_on_the_dashboard(api, client, login):
    login("auditor", locale="en")
    page = client.get("/dashboard?fy=2563&as_of=2020-06-30").get_data(as_text=True)
    assert "The year's criteria are the standard ones; nobody has changed them." in page
    api.sign_in("boss", "admin", email="boss@example.org")
    assert api.put(URL, json={"warning_days": 20}, role="boss").status_code == 200
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.record_type == "fiscal_year_parameters",
                                                             AuditEntry.record_id == "2563")).all()
    assert [e.actor for e in entries] == ["boss@example.org"]
    page = client.get("/dashboard?fy=2563&as_of=2020-06-30").get_data(as_text=True)
    assert "The year's criteria were last changed on" in page and "by boss@example.org." in page

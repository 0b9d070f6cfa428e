"""/api/v1/fiscal-years/{fy}/website-items: the website checklist (indicator 17)."""

from __future__ import annotations

from datetime import date

import pytest

from governance import clock
from governance.indicators import default_parameters

URL = "/api/v1/fiscal-years/2563/website-items"
INDICATORS = "/api/v1/fiscal-years/2563/indicators"
TODAY = date(2020, 6, 15)
ITEM_KEYS = {"id", "key", "title_th", "title_en", "freshness", "url", "last_updated_on", "present", "current"}
#: FY2563's checklist, as the default parameters seed it
CHECKLIST = next(spec for spec in default_parameters(2563)["indicators"] if spec["kind"] == "checklist")["items"]
GOOD = {"url": "https://www.example.go.th/annual-report", "last_updated_on": "2020-01-15"}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def indicator_17(api, as_of: str) -> dict:
    body = api.get(INDICATORS, query_string={"as_of": as_of}).get_json()
    return next(r for r in body["indicators"] if r["number"] == 17)


def test_every_required_item_is_listed_with_its_titles_and_freshness(api):
    response = api.get(URL, query_string={"as_of": "2020-06-30"})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["fiscal_year"], body["as_of"]) == (2563, "2020-06-30")
    assert [item["key"] for item in body["items"]] == [item["key"] for item in CHECKLIST]
    for item, spec in zip(body["items"], CHECKLIST, strict=True):
        assert set(item) == ITEM_KEYS
        assert (item["title_th"], item["title_en"], item["freshness"]) == (
            spec["title_th"], spec["title_en"], spec["freshness"])
        assert (item["id"], item["url"], item["last_updated_on"], item["present"], item["current"]) == (
            None, None, None, False, False)
    assert api.get(URL).get_json()["as_of"] == TODAY.isoformat()  # as of today by default


def test_record_an_item_and_read_it_back(api):
    response = api.put(f"{URL}/annual_report", json=GOOD)
    assert response.status_code == 200
    item = response.get_json()
    assert item["key"] == "annual_report" and item["title_en"] == "Annual report"
    assert (item["url"], item["last_updated_on"], item["present"], item["current"]) == (
        GOOD["url"], "2020-01-15", True, True)
    assert isinstance(item["id"], int)
    assert api.get(f"{URL}/annual_report").get_json() == item
    listed = {i["key"]: i for i in api.get(URL).get_json()["items"]}
    assert listed["annual_report"] == item
    assert sum(i["present"] for i in listed.values()) == 1

    # replaced, not added: a second PUT keeps the record and its id
    again = api.put(f"{URL}/annual_report", json={"url": "https://www.example.go.th/ar-2563",
                                                  "last_updated_on": "2020-02-01"}).get_json()
    assert again["id"] == item["id"] and again["url"] == "https://www.example.go.th/ar-2563"
    # null (or empty) address: no longer present
    cleared = api.put(f"{URL}/annual_report", json={"url": "", "last_updated_on": None}).get_json()
    assert (cleared["url"], cleared["present"], cleared["current"]) == (None, False, False)


def test_current_follows_the_item_freshness_and_as_of(api):
    # updated before the fiscal year began: present, but not current for a `current_fy` item
    stale = api.put(f"{URL}/annual_report", json={**GOOD, "last_updated_on": "2019-09-30"}).get_json()
    assert (stale["present"], stale["current"]) == (True, False)
    # `any`: an address is enough
    assert api.put(f"{URL}/contact", json={"url": "https://www.example.go.th/contact",
                                           "last_updated_on": None}).get_json()["current"] is True
    # `days:90`: updated on 2020-04-01 is current on 2020-06-15 (as of today) but not on 2020-09-01
    api.put(f"{URL}/procurement_results", json={**GOOD, "last_updated_on": "2020-04-01"})
    assert api.get(f"{URL}/procurement_results").get_json()["current"] is True
    late = api.get(f"{URL}/procurement_results", query_string={"as_of": "2020-09-01"}).get_json()
    assert (late["present"], late["current"]) == (True, False)
    # and an update dated after as_of had not happened on it
    early = api.get(f"{URL}/procurement_results", query_string={"as_of": "2020-03-01"}).get_json()
    assert early["current"] is False


def test_years_are_kept_apart(api):
    api.put(f"{URL}/annual_report", json=GOOD)
    other = api.get("/api/v1/fiscal-years/2564/website-items").get_json()
    assert not any(item["present"] for item in other["items"])


def test_indicator_17_reflects_the_checklist(api):
    result = indicator_17(api, "2020-09-30")
    assert result["status"] == "at_risk" and result["value"] == 0
    assert indicator_17(api, "2020-10-01")["status"] == "missed"
    assert {n["key"] for n in result["needed"]} == {item["key"] for item in CHECKLIST}

    for spec in CHECKLIST:
        response = api.put(f"{URL}/{spec['key']}", json={"url": f"https://www.example.go.th/{spec['key']}",
                                                         "last_updated_on": "2020-09-01"})
        assert response.status_code == 200 and response.get_json()["present"] is True
    result = indicator_17(api, "2020-09-30")
    assert (result["status"], result["value"], result["needed"]) == ("met", 100.0, [])
    records = {item["key"]: item["id"] for item in api.get(URL).get_json()["items"]}
    assert {e["key"]: e["id"] for e in result["evidence"] if e["kind"] == "website_item"} == records

    # one item goes stale: no longer met, and that item is what is needed
    api.put(f"{URL}/executives", json={"url": "https://www.example.go.th/executives",
                                       "last_updated_on": "2019-05-01"})
    result = indicator_17(api, "2020-09-30")
    assert result["status"] != "met"
    assert result["needed"] == [{"code": "website_item", "key": "executives", "problem": "not_current"}]


BAD = [
    ({**GOOD, "url": "www.example.go.th/annual-report"}, "url"),
    ({**GOOD, "url": "ftp://example.go.th/annual-report"}, "url"),
    ({**GOOD, "url": "https://"}, "url"),
    ({**GOOD, "url": "https://example.go.th/" + "a" * 1000}, "url"),
    ({**GOOD, "url": 42}, "url"),
    ({**GOOD, "url": "https://example.go.th/\x00"}, "url"),
    ({**GOOD, "last_updated_on": "2020-13-01"}, "last_updated_on"),
    ({**GOOD, "last_updated_on": "15/01/2563"}, "last_updated_on"),
    ({**GOOD, "last_updated_on": "0001-01-01"}, "last_updated_on"),
    ({"url": GOOD["url"]}, "last_updated_on"),
    ({"last_updated_on": "2020-01-15"}, "url"),
    ({**GOOD, "title": "x"}, "title"),
]


@pytest.mark.parametrize(("body", "field"), BAD, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD)])
def test_bad_input_is_a_422_naming_the_field_and_stores_nothing(api, body, field, snapshot):
    api.put(f"{URL}/contact", json={"url": "https://www.example.go.th/contact", "last_updated_on": None})
    before = snapshot()
    response = api.put(f"{URL}/annual_report", json=body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed" and field in error["fields"], error
    assert snapshot() == before


def test_a_key_not_on_the_checklist(api, snapshot):
    before = snapshot()
    response = api.put(f"{URL}/facebook_page", json=GOOD)
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"key"}
    assert snapshot() == before
    assert api.get(f"{URL}/facebook_page").status_code == 404


@pytest.mark.parametrize("year", [1999, 2019, 9999])
def test_a_fiscal_year_is_a_buddhist_era_number(api, year):
    for response in (api.get(f"/api/v1/fiscal-years/{year}/website-items"),
                     api.get(f"/api/v1/fiscal-years/{year}/website-items/annual_report"),
                     api.put(f"/api/v1/fiscal-years/{year}/website-items/annual_report", json=GOOD)):
        assert response.status_code == 422
        assert set(response.get_json()["error"]["fields"]) == {"fiscal_year"}


def test_a_bad_as_of_is_a_422_naming_it(api):
    for url in (URL, f"{URL}/annual_report"):
        response = api.get(url, query_string={"as_of": "2020-02-30"})
        assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"as_of"}


@pytest.mark.parametrize("role", ["director", "auditor"])
def test_readers_read_but_may_not_write(api, role, snapshot):
    api.put(f"{URL}/annual_report", json=GOOD)
    assert api.get(URL, role=role).status_code == 200
    assert api.get(f"{URL}/annual_report", role=role).get_json()["url"] == GOOD["url"]
    before = snapshot()
    response = api.put(f"{URL}/annual_report", json={**GOOD, "url": "https://evil.example/"}, role=role)
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("role", ["admin", "secretary"])
def test_admin_and_secretary_write(api, role):
    assert api.put(f"{URL}/annual_report", json=GOOD, role=role).status_code == 200


def test_without_a_token_is_401(api):
    assert api.get(URL, role=None).status_code == 401
    assert api.get(f"{URL}/annual_report", role=None).status_code == 401
    assert api.put(f"{URL}/annual_report", json=GOOD, role=None).status_code == 401


def test_thai_titles_round_trip_unescaped(api):
    raw = api.get(URL).get_data()
    assert "รายงานประจำปี".encode() in raw and b"\\u0e" not in raw.lower()

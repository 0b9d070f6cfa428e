"""/api/v1/fiscal-years/{fy}/budget: money is a decimal string, never a float."""

from __future__ import annotations

import pytest

URL = "/api/v1/fiscal-years/2563/budget"


def test_replace_and_read(api, row_counts):
    assert api.get(URL).get_json() == {
        "fiscal_year": 2563, "months": [],
        "totals": {"planned": "0.00", "actual": "0.00", "planned_for_months_with_actual": "0.00",
                   "months_with_actual": 0},
    }
    months = [
        {"month": "2019-10", "planned": "1234567.89", "actual": "1000000"},
        {"month": "2019-11", "planned": "0.1", "actual": None},
        {"month": "2020-09", "planned": "500"},
    ]
    response = api.put(URL, json={"months": months})
    assert response.status_code == 200
    expected = {
        "fiscal_year": 2563,
        "months": [
            {"month": "2019-10", "planned": "1234567.89", "actual": "1000000.00"},
            {"month": "2019-11", "planned": "0.10", "actual": None},
            {"month": "2020-09", "planned": "500.00", "actual": None},
        ],
        "totals": {"planned": "1235067.99", "actual": "1000000.00",
                   "planned_for_months_with_actual": "1234567.89", "months_with_actual": 1},
    }
    assert response.get_json() == expected
    assert api.get(URL).get_json() == expected
    assert row_counts()["budget_months"] == 3

    # replaced, not merged
    response = api.put(URL, json={"months": [{"month": "2019-11", "planned": "99999999999999.99", "actual": "0"}]})
    assert response.get_json()["months"] == [{"month": "2019-11", "planned": "99999999999999.99", "actual": "0.00"}]
    assert row_counts()["budget_months"] == 1
    assert api.put(URL, json={"months": []}).get_json()["months"] == []


def test_money_is_never_a_json_number(api):
    api.put(URL, json={"months": [{"month": "2019-10", "planned": "10.50"}]})
    raw = api.get(URL).get_data(as_text=True)
    assert '"planned":"10.50"' in raw.replace(" ", "")


def test_years_are_kept_apart(api):
    api.put(URL, json={"months": [{"month": "2019-10", "planned": "1"}]})
    assert api.get("/api/v1/fiscal-years/2564/budget").get_json()["months"] == []


GOOD = {"month": "2019-10", "planned": "100.00", "actual": "50.00"}
BAD_MONTHS = [
    ({**GOOD, "planned": 100.5}, "months[1].planned"),
    ({**GOOD, "planned": 100}, "months[1].planned"),
    ({**GOOD, "actual": 0.1}, "months[1].actual"),
    ({**GOOD, "planned": "-1.00"}, "months[1].planned"),
    ({**GOOD, "actual": "-0.01"}, "months[1].actual"),
    ({**GOOD, "planned": "1.005"}, "months[1].planned"),
    ({**GOOD, "planned": "1e5"}, "months[1].planned"),
    ({**GOOD, "planned": "1,000.00"}, "months[1].planned"),
    ({**GOOD, "planned": ""}, "months[1].planned"),
    ({**GOOD, "planned": "NaN"}, "months[1].planned"),
    ({**GOOD, "planned": "๑๐๐"}, "months[1].planned"),
    ({**GOOD, "planned": "1000000000000000"}, "months[1].planned"),
    ({**GOOD, "planned": None}, "months[1].planned"),
    ({**GOOD, "month": "2020-10"}, "months[1].month"),  # FY2564
    ({**GOOD, "month": "2019-9"}, "months[1].month"),
    ({**GOOD, "month": "2019-11"}, "months[1].month"),  # listed twice
    ({**GOOD, "note": "x"}, "months[1].note"),
]


@pytest.mark.parametrize(("month", "field"), BAD_MONTHS, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD_MONTHS)])
def test_one_bad_month_rejects_them_all(api, month, field, snapshot):
    api.put(URL, json={"months": [{"month": "2020-01", "planned": "7.00"}]})
    before = snapshot()
    response = api.put(URL, json={"months": [{"month": "2019-11", "planned": "1.00"}, month]})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"], response.get_json()
    assert snapshot() == before
    assert [m["month"] for m in api.get(URL).get_json()["months"]] == ["2020-01"]


@pytest.mark.parametrize("body", [{"months": "all"}, {}, {"months": [], "year": 2563}, [GOOD]])
def test_a_malformed_body_is_refused(api, body, snapshot):
    before = snapshot()
    response = api.put(URL, json=body)
    assert response.status_code == 422 and response.get_json()["error"]["fields"]
    assert snapshot() == before


@pytest.mark.parametrize("year", [1999, 2019, 9999])
def test_a_fiscal_year_is_a_buddhist_era_number(api, year):
    for response in (api.get(f"/api/v1/fiscal-years/{year}/budget"),
                     api.put(f"/api/v1/fiscal-years/{year}/budget", json={"months": []})):
        assert response.status_code == 422
        assert "fiscal_year" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("role", ["director", "auditor"])
def test_readers_read_but_may_not_write(api, role, snapshot):
    assert api.get(URL, role=role).status_code == 200
    before = snapshot()
    assert api.put(URL, json={"months": [GOOD]}, role=role).status_code == 403
    assert snapshot() == before


def test_without_a_token_is_401(api):
    assert api.get(URL, role=None).status_code == 401
    assert api.put(URL, json={"months": [GOOD]}, role=None).status_code == 401

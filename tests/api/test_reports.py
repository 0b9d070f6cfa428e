"""/api/v1/ministerial-reports."""

from __future__ import annotations

import pytest

from tests.api.conftest import REPORT

URL = "/api/v1/ministerial-reports"


def test_create_list_get_update_delete(api, row_counts):
    created = api.post(URL, json=REPORT)
    assert created.status_code == 201
    body = created.get_json()
    assert body == {**REPORT, "id": body["id"], "fiscal_year": 2563}
    assert created.headers["Location"].endswith(f"{URL}/{body['id']}")
    assert api.get(URL).get_json() == [body]
    assert api.get(f"{URL}/{body['id']}").get_json() == body

    # the sent date decides the fiscal year it counts for
    replacement = {**REPORT, "sent_on": "2020-10-05", "title": "รายงานประจำปี"}
    updated = api.put(f"{URL}/{body['id']}", json=replacement)
    assert updated.status_code == 200
    assert updated.get_json() == {**replacement, "id": body["id"], "fiscal_year": 2564}

    assert api.delete(f"{URL}/{body['id']}").status_code == 204
    assert api.get(f"{URL}/{body['id']}").status_code == 404
    assert row_counts()["reports"] == 0


def test_list_by_fiscal_year(api):
    in_2563 = api.post(URL, json={**REPORT, "sent_on": "2020-09-30"}).get_json()
    in_2564 = api.post(URL, json={**REPORT, "sent_on": "2020-10-01"}).get_json()
    assert api.get(f"{URL}?fiscal_year=2563").get_json() == [in_2563]
    assert api.get(f"{URL}?fiscal_year=2564").get_json() == [in_2564]
    assert api.get(f"{URL}?fiscal_year=2565").get_json() == []
    bad = api.get(f"{URL}?fiscal_year=FY2563")
    assert bad.status_code == 422 and "fiscal_year" in bad.get_json()["error"]["fields"]


def test_missing_report_is_404(api):
    assert api.get(f"{URL}/999").status_code == 404
    assert api.put(f"{URL}/999", json=REPORT).status_code == 404
    assert api.delete(f"{URL}/999").status_code == 404


BAD_BODIES = [
    ({**REPORT, "sent_on": "2020-02-30"}, "sent_on"),
    ({**REPORT, "sent_on": ""}, "sent_on"),
    ({**REPORT, "period_start": "2019-13-01"}, "period_start"),
    ({**REPORT, "period_end": "2019-09-30"}, "period_end"),  # before period_start
    ({**REPORT, "title": ""}, "title"),
    ({**REPORT, "title": " "}, "title"),
    ({**REPORT, "fiscal_year": 2563}, "fiscal_year"),
    ({k: v for k, v in REPORT.items() if k != "period_end"}, "period_end"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD_BODIES)])
def test_bad_input_is_refused_naming_the_field(api, body, field, snapshot):
    report_id = api.post(URL, json=REPORT).get_json()["id"]
    before = snapshot()
    for response in (api.post(URL, json=body), api.put(f"{URL}/{report_id}", json=body)):
        assert response.status_code == 422
        assert field in response.get_json()["error"]["fields"], response.get_json()
    assert snapshot() == before


@pytest.mark.parametrize("role", ["director", "auditor"])
def test_readers_read_but_may_not_write(api, role, snapshot):
    report_id = api.post(URL, json=REPORT).get_json()["id"]
    assert api.get(URL, role=role).status_code == 200
    assert api.get(f"{URL}/{report_id}", role=role).status_code == 200
    before = snapshot()
    assert api.post(URL, json=REPORT, role=role).status_code == 403
    assert api.put(f"{URL}/{report_id}", json=REPORT, role=role).status_code == 403
    assert api.delete(f"{URL}/{report_id}", role=role).status_code == 403
    assert snapshot() == before


def test_without_a_token_is_401(api):
    assert api.get(URL, role=None).status_code == 401
    assert api.post(URL, json=REPORT, role=None).status_code == 401

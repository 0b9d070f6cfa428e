"""The website checklist (indicator 17): every required item, its address and last update, its verdict."""

from __future__ import annotations

import re
from datetime import date

import pytest

from governance.extensions import db
from governance.models import Role
from governance.services import website
from governance.web.access import READERS, WRITERS
from tests.web.pagetools import error_for

# The FY2563 seed's checklist, in order (governance/indicators/parameters.py).
ANNUAL_REPORT = 10  # its row, so its fields are item10-url, item10-last_updated_on


def _recorded() -> dict[str, tuple]:
    return {row.item.key: (row.record.url, row.record.last_updated_on)
            for row in website.checklist(2563, date(2020, 1, 15)) if row.record is not None}


def _row(page: str, key: str) -> str:
    return re.search(rf'data-testid="item-{key}"(.*?)</tr>', page, re.S).group(1)


def test_without_a_year_the_current_one_opens(client, login):
    login("auditor")
    response = client.get("/website")
    assert response.status_code == 302 and response.headers["Location"].endswith("/website/2563")
    assert client.get("/website/1999").status_code == 404


def test_every_required_item_is_listed_in_thai(client, login):
    login("secretary")
    page = client.get("/website/2563").get_data(as_text=True)
    assert 'lang="th"' in page
    assert page.count('data-testid="item-form-') == 14
    row = _row(page, "annual_report")
    assert "รายงานประจำปี" in row
    assert "1 ต.ค. 2562" in row  # the freshness rule names the start of the year, in the Buddhist Era
    assert 'badge-missed' in row
    assert 'id="item10-url"' in row and 'id="item10-last_updated_on"' in row


def test_secretary_records_an_items_address_and_update(client, login):
    login("secretary")
    response = client.post("/website/2563/items/annual_report", data={
        "item10-url": " https://example.go.th/annual-report-2562 ", "item10-last_updated_on": "2020-01-10"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/website/2563#item10")
    assert _recorded() == {"annual_report": ("https://example.go.th/annual-report-2562", date(2020, 1, 10))}
    row = _row(client.get("/website/2563").get_data(as_text=True), "annual_report")
    assert '<a href="https://example.go.th/annual-report-2562" rel="noopener noreferrer"' in row
    assert "10 ม.ค. 2563" in row
    assert row.count("badge-met") == 2  # present and current


def test_an_item_updated_before_the_year_is_present_but_not_current(client, login):
    login("secretary")
    client.post("/website/2563/items/annual_report", data={
        "item10-url": "https://example.go.th/ar", "item10-last_updated_on": "2019-06-30"})
    row = _row(client.get("/website/2563").get_data(as_text=True), "annual_report")
    assert row.count("badge-met") == 1 and "badge-at_risk" in row


def test_a_script_address_is_refused_beside_the_field_and_nothing_is_stored(client, login):
    login("secretary")
    response = client.post("/website/2563/items/annual_report", data={
        "item10-url": "javascript:alert(1)", "item10-last_updated_on": "2020-01-10"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, "item10-url") == "กรุณากรอกที่อยู่เว็บเพจแบบเต็ม โดยขึ้นต้นด้วย https://"
    assert error_for(page, "item9-url") == ""
    assert 'href="javascript:' not in page
    assert 'value="javascript:alert(1)"' in page  # kept in the box, to correct
    assert _recorded() == {}


def test_an_implausible_date_is_refused_beside_the_field(client, login):
    login("admin")
    response = client.post("/website/2563/items/annual_report", data={
        "item10-url": "https://example.go.th/ar", "item10-last_updated_on": "0201-01-10"})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "item10-last_updated_on") == \
        "กรุณากรอกวันที่ระหว่าง 1950-01-01 ถึง 2200-12-31"
    assert _recorded() == {}


def test_an_item_not_on_the_checklist_is_404(client, login):
    login("secretary")
    assert client.post("/website/2563/items/no_such_item", data={}).status_code == 404


def test_the_checklist_in_english(client, login, english):
    website.record_website_item(2563, "procurement_results", "https://example.go.th/p", date(2019, 12, 1))
    db.session.commit()
    login("auditor")
    english()
    page = client.get("/website/2563").get_data(as_text=True)
    assert "Website checklist, fiscal year 2563" in page
    row = _row(page, "procurement_results")
    assert "Procurement results" in row and "1 Dec 2019" in row and "90 days" in row


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.AUDITOR])
def test_readers_see_the_checklist_but_may_not_change_it(client, login, role):
    website.record_website_item(2563, "contact", "https://example.go.th/contact", None)
    db.session.commit()
    login(role)
    page = client.get("/website/2563").get_data(as_text=True)
    assert page.count('method="post"') == 2  # the header's language switch and sign-out
    assert 'href="https://example.go.th/contact"' in page
    response = client.post("/website/2563/items/contact", data={"item13-url": "https://evil.example/"})
    assert response.status_code == 403
    assert _recorded() == {"contact": ("https://example.go.th/contact", None)}


def test_every_view_declares_its_roles(app):
    expected = {"current": READERS, "show": READERS, "record": WRITERS}
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("website.")]
    assert {rule.endpoint.split(".")[1] for rule in rules} == set(expected)
    for rule in rules:
        assert set(app.view_functions[rule.endpoint].allowed_roles) == set(expected[rule.endpoint.split(".")[1]])


def test_with_csrf_a_rows_form_needs_the_token_that_row_carries(app, client, login):
    login("secretary")
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/website/2563").get_data(as_text=True)
    token = re.search(r'name="item10-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"item10-url": "https://example.go.th/ar", "item10-last_updated_on": "2020-01-10"}
    assert client.post("/website/2563/items/annual_report", data=data).status_code == 400
    assert _recorded() == {}
    response = client.post("/website/2563/items/annual_report", data={**data, "item10-csrf_token": token})
    assert response.status_code == 302
    assert _recorded() == {"annual_report": ("https://example.go.th/ar", date(2020, 1, 10))}

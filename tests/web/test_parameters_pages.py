"""The fiscal year's criteria: readable by everyone, the deadlines set by the secretary, the rest by the admin."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from governance.extensions import db
from governance.indicators.parameters import default_parameters
from governance.models import FiscalYearParameters, Role
from governance.services import fiscal_years
from governance.web.access import READERS, WRITERS
from tests.web.pagetools import error_for, form_errors

FY = 2563
ADMIN_ONLY = ["/fiscal-years/2563/parameters/attendance", "/fiscal-years/2563/parameters/indicators",
              "/fiscal-years/2563/parameters/website-items"]


def _stored() -> list:
    return list(db.session.scalars(sa.select(FiscalYearParameters)))


def _items_form(items: list[dict]) -> dict:
    data = {}
    for i, item in enumerate(items):
        data |= {f"items-{i}-{name}": value for name, value in item.items()}
    return data


def _titles(fy: int = FY) -> dict:
    """The indicators' wording as the criteria form posts it (its title fields)."""
    return {f"ind{i}_{name}": item[name] for i, item in enumerate(default_parameters(fy)["indicators"])
            for name in ("title_th", "title_en")}


def _seed_items() -> list[dict]:
    items = []
    for item in default_parameters(FY)["indicators"][7]["items"]:
        kind, _, days = item["freshness"].partition(":")
        items.append({"key": item["key"], "title_th": item["title_th"], "title_en": item["title_en"],
                      "freshness_kind": kind, "freshness_days": days})
    return items


def test_without_a_year_the_current_one_opens(client, login):
    login("director")
    response = client.get("/parameters")
    assert response.status_code == 302 and response.headers["Location"].endswith("/fiscal-years/2563/parameters")
    assert client.get("/fiscal-years/1999/parameters").status_code == 404


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.AUDITOR])
def test_everyone_reads_the_criteria_in_thai(client, login, role):
    login(role)
    page = client.get("/fiscal-years/2563/parameters").get_data(as_text=True)
    assert 'lang="th"' in page
    assert "เว็บไซต์ขององค์การมหาชนมีข้อมูลสำคัญครบถ้วนและเป็นปัจจุบัน" in page  # indicator 17's title
    assert "แผนปฏิบัติการ 5 ปี" in page  # indicator 11's topics, as the reader's words
    assert "19 เมษายน 2563" in page  # electronic meetings count from this day
    assert "ข้อมูลการติดต่อ" in page  # a website checklist item
    assert page.count('method="post"') == 2  # no form: the header's language switch and sign-out


def test_the_criteria_in_english(client, login, english):
    login("auditor")
    english()
    page = client.get("/fiscal-years/2563/parameters").get_data(as_text=True)
    assert "Criteria of fiscal year 2563" in page
    assert "The organisation&#39;s website has complete and current key information" in page
    assert "at least 3 quarters" in page and "96 per cent" in page and "Contact details" in page


def test_secretary_sets_the_cabinets_deadline_and_indicator_11_uses_it(client, login):
    login("secretary")
    page = client.get("/fiscal-years/2563/parameters").get_data(as_text=True)
    assert 'data-testid="deadlines-form"' in page
    assert 'data-testid="attendance-form"' not in page and 'data-testid="indicators-form"' not in page

    response = client.post("/fiscal-years/2563/parameters/deadlines",
                           data={"cabinet_plan_deadline": "2020-03-31", "warning_days": "45"})
    assert response.status_code == 302
    document = fiscal_years.parameters_document(FY)
    assert (document["cabinet_plan_deadline"], document["warning_days"]) == ("2020-03-31", 45)
    indicator_11 = next(s for s in fiscal_years.get_parameters(FY).indicators if s.number == 11)
    assert indicator_11.rule.deadline == "cabinet_plan_deadline"  # so it reads the date just set
    result = {r.number: r for r in fiscal_years.evaluate_fiscal_year(FY, date(2020, 1, 15))}[11]
    assert result.deadline == date(2020, 3, 31) and result.detail["deadline_set"] is True
    page = client.get("/fiscal-years/2563/parameters").get_data(as_text=True)
    assert "31 มีนาคม 2563" in page


def test_the_deadline_may_be_cleared_again(client, login):
    fiscal_years.update_parameters(FY, {"cabinet_plan_deadline": "2020-03-31"}, by=Role.SECRETARY)
    db.session.commit()
    login("admin")
    response = client.post("/fiscal-years/2563/parameters/deadlines",
                           data={"cabinet_plan_deadline": "", "warning_days": "30"})
    assert response.status_code == 302
    assert fiscal_years.parameters_document(FY)["cabinet_plan_deadline"] is None


def test_a_negative_warning_window_is_refused_beside_the_field(client, login, english):
    login("secretary")
    english()
    response = client.post("/fiscal-years/2563/parameters/deadlines",
                           data={"cabinet_plan_deadline": "2020-03-31", "warning_days": "-1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, "warning_days") == "Enter a number of at least 0."
    assert error_for(page, "cabinet_plan_deadline") == ""
    assert _stored() == []

    response = client.post("/fiscal-years/2563/parameters/deadlines", data={"warning_days": "thirty"})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "warning_days") == "Enter a whole number, such as 3."
    assert _stored() == []


def test_secretary_may_not_change_what_only_the_admin_changes(client, login):
    login("secretary")
    for path in ADMIN_ONLY:
        assert client.post(path, data={"meeting_threshold_percent": "50", "year_threshold_percent": "50"}
                           ).status_code == 403, path
    assert client.get("/fiscal-years/2563/parameters/website-items").status_code == 403
    assert _stored() == []


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.AUDITOR])
def test_readers_may_not_change_the_criteria(client, login, role):
    login(role)
    assert client.post("/fiscal-years/2563/parameters/deadlines",
                       data={"cabinet_plan_deadline": "2020-03-31", "warning_days": "30"}).status_code == 403
    for path in ADMIN_ONLY:
        assert client.post(path, data={}).status_code == 403, path
    assert _stored() == []


def test_admin_sets_the_attendance_thresholds(client, login):
    login("admin")
    response = client.post("/fiscal-years/2563/parameters/attendance",
                           data={"meeting_threshold_percent": "75", "year_threshold_percent": "85.5"})
    assert response.status_code == 302
    attendance = fiscal_years.parameters_document(FY)["attendance"]
    assert (attendance["meeting_threshold_percent"], attendance["year_threshold_percent"]) == (75, "85.5")
    assert attendance["quorum_fraction"] == "1/2"  # the rest of the object is kept


def test_a_negative_meeting_threshold_is_refused_beside_the_field(client, login, english):
    login("admin")
    english()
    response = client.post("/fiscal-years/2563/parameters/attendance",
                           data={"meeting_threshold_percent": "-5", "year_threshold_percent": "90"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, "meeting_threshold_percent") == "Enter a percentage above 0 and at most 100."
    assert error_for(page, "year_threshold_percent") == ""
    assert 'value="-5"' in page
    assert _stored() == []
    assert fiscal_years.parameters_document(FY) == default_parameters(FY)


def test_a_threshold_that_is_not_a_number_is_refused_in_thai(client, login):
    login("admin")
    response = client.post("/fiscal-years/2563/parameters/attendance",
                           data={"meeting_threshold_percent": "", "year_threshold_percent": "80"})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "meeting_threshold_percent") == "กรุณากรอกข้อมูลช่องนี้"
    assert _stored() == []


def test_admin_sets_the_indicators_numbers(client, login, english):
    login("admin")
    english()
    data = {"ind0_target": "2", "ind2_min_quarters": "4", "ind3_min_quarters": "3",
            "ind4_threshold_percent": "95.5", "ind5_target": "3", **_titles()}
    response = client.post("/fiscal-years/2563/parameters/indicators", data=data | {"ind2_min_quarters": "5"})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "ind2_min_quarters") == "A fiscal year has only 4 quarters."
    assert _stored() == []

    assert client.post("/fiscal-years/2563/parameters/indicators", data=data).status_code == 302
    indicators = {i["number"]: i for i in fiscal_years.parameters_document(FY)["indicators"]}
    assert (indicators[10]["target"], indicators[12]["min_quarters"], indicators[14]["threshold_percent"],
            indicators[15]["target"]) == (2, 4, "95.5", 3)
    assert indicators[12]["subjects"] == default_parameters(FY)["indicators"][2]["subjects"]


def test_admin_words_a_title_over_the_years_figures(client, login):
    login("admin")
    numbers = {"ind0_target": "1", "ind2_min_quarters": "3", "ind3_min_quarters": "3",
               "ind4_threshold_percent": "96", "ind5_target": "2"}
    page = client.get("/fiscal-years/2570/parameters").get_data(as_text=True)
    assert "(พ.ศ. 2566 - 2570) และแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2570" in page  # its own year, not 2563
    bad = client.post("/fiscal-years/2570/parameters/indicators",
                      data={**numbers, **_titles(2570), "ind0_title_th": "ทบทวนผลงานปี {ปี}"})
    assert bad.status_code == 422
    assert "{fiscal_year}" in error_for(bad.get_data(as_text=True), "ind0_title_th")
    assert _stored() == []
    saved = client.post("/fiscal-years/2570/parameters/indicators",
                        data={**numbers, **_titles(2570), "ind0_title_th": "ทบทวนผลการดำเนินงานปี {fiscal_year}"})
    assert saved.status_code == 302
    assert fiscal_years.parameters_document(2570)["indicators"][0]["title_th"] == "ทบทวนผลการดำเนินงานปี {fiscal_year}"
    page = client.get("/fiscal-years/2570/parameters").get_data(as_text=True)
    assert "<strong>ทบทวนผลการดำเนินงานปี 2570</strong>" in page


def test_admin_edits_the_website_checklist(client, login):
    login("admin")
    page = client.get("/fiscal-years/2563/parameters/website-items").get_data(as_text=True)
    assert 'value="annual_report"' in page and page.count('name="items-') // 6 == 17  # 14 items, 3 blank rows

    items = _seed_items()
    items[13]["remove"] = "y"  # contact details dropped
    items[12] |= {"freshness_kind": "days", "freshness_days": "30"}
    items.append({"key": "ita", "title_th": "การเปิดเผยข้อมูลสาธารณะ (ITA)", "title_en": "Public disclosure (ITA)",
                  "freshness_kind": "current_fy", "freshness_days": ""})
    items.append({"key": "", "title_th": "", "title_en": "", "freshness_kind": "current_fy", "freshness_days": ""})
    response = client.post("/fiscal-years/2563/parameters/website-items", data=_items_form(items))
    assert response.status_code == 302
    saved = fiscal_years.parameters_document(FY)["indicators"][7]["items"]
    assert [i["key"] for i in saved][-2:] == ["procurement_results", "ita"]
    assert "contact" not in [i["key"] for i in saved]
    assert saved[12]["freshness"] == "days:30"
    page = client.get("/website/2563").get_data(as_text=True)
    assert "การเปิดเผยข้อมูลสาธารณะ (ITA)" in page and "ข้อมูลการติดต่อ" not in page


def test_checklist_errors_are_shown_beside_the_row(client, login, english):
    login("admin")
    english()
    items = _seed_items()
    items[3]["key"] = "financial_analysis"  # the same key as row 0
    response = client.post("/fiscal-years/2563/parameters/website-items", data=_items_form(items))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, "items-3-key") == "The key “financial_analysis” appears twice."
    assert _stored() == []

    items = _seed_items()
    items[1]["remove"] = "y"
    items[5] |= {"freshness_kind": "days", "freshness_days": ""}
    response = client.post("/fiscal-years/2563/parameters/website-items", data=_items_form(items))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    # the fifth item kept is row 5 (row 1 was removed): the error is on row 5's number of days
    assert error_for(page, "items-5-freshness_days").startswith("Choose how current the item must be")
    assert _stored() == []

    items = [{**item, "remove": "y"} for item in _seed_items()]
    response = client.post("/fiscal-years/2563/parameters/website-items", data=_items_form(items))
    assert response.status_code == 422
    assert "Keep at least one item." in form_errors(response.get_data(as_text=True))
    assert _stored() == []


def test_every_view_declares_its_roles(app):
    expected = {"current": READERS, "show": READERS, "save_deadlines": WRITERS, "save_attendance": (Role.ADMIN,),
                "save_indicators": (Role.ADMIN,), "website_items": (Role.ADMIN,)}
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("parameters.")]
    assert {rule.endpoint.split(".")[1] for rule in rules} == set(expected)
    for rule in rules:
        assert set(app.view_functions[rule.endpoint].allowed_roles) == set(expected[rule.endpoint.split(".")[1]])


# --- two people editing the criteria ---------------------------------------------------

def _hidden_version(page: str, action: str) -> str:
    form = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', page, re.S)
    assert form, action
    found = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', form.group(0))
    assert found, form.group(0)[:300]
    return found.group(1) or found.group(2)


def test_a_deadlines_form_opened_before_someone_elses_save_is_refused(client, login):
    login("secretary")
    page = client.get("/fiscal-years/2563/parameters").get_data(as_text=True)
    opened = _hidden_version(page, "/fiscal-years/2563/parameters/deadlines")
    # meanwhile, in another browser, the admin sets the deadline
    fiscal_years.update_parameters(FY, {"cabinet_plan_deadline": "2020-03-31"}, by=Role.SECRETARY)
    db.session.commit()
    response = client.post("/fiscal-years/2563/parameters/deadlines",
                           data={"version": opened, "cabinet_plan_deadline": "", "warning_days": "45"})
    assert response.status_code == 422
    assert "มีผู้อื่นแก้ไข" in form_errors(response.get_data(as_text=True))
    document = fiscal_years.parameters_document(FY)
    assert (document["cabinet_plan_deadline"], document["warning_days"]) == ("2020-03-31", 30)  # theirs kept
    # reloaded, the form carries the new version and saves
    page = client.get("/fiscal-years/2563/parameters").get_data(as_text=True)
    response = client.post("/fiscal-years/2563/parameters/deadlines", data={
        "version": _hidden_version(page, "/fiscal-years/2563/parameters/deadlines"),
        "cabinet_plan_deadline": "2020-03-31", "warning_days": "45"})
    assert response.status_code == 302
    assert fiscal_years.parameters_document(FY)["warning_days"] == 45


def test_the_website_checklist_form_is_refused_after_someone_elses_save(client, login):
    login("admin")
    page = client.get("/fiscal-years/2563/parameters/website-items").get_data(as_text=True)
    opened = _hidden_version(page, "/fiscal-years/2563/parameters/website-items")
    fiscal_years.update_parameters(FY, {"warning_days": 10}, by=Role.SECRETARY)
    db.session.commit()
    items = _seed_items()[:-1]  # would remove the last item
    response = client.post("/fiscal-years/2563/parameters/website-items",
                           data={"version": opened, **_items_form(items)})
    assert response.status_code == 422
    stored = fiscal_years.parameters_document(FY)
    assert len(stored["indicators"][7]["items"]) == len(_seed_items())
    assert stored["warning_days"] == 10


def test_two_first_saves_of_a_years_criteria_refuse_the_second(client, login, monkeypatch):
    """Both forms were opened while the year had only the defaults (version 0)."""
    login("secretary")
    real = fiscal_years.parse_parameters

    def meanwhile_another_first_save(*args, **kwargs):
        monkeypatch.setattr(fiscal_years, "parse_parameters", real)
        with db.engine.begin() as other:  # another worker's save commits in between
            other.execute(sa.insert(FiscalYearParameters.__table__).values(
                fiscal_year=FY, document=default_parameters(FY), version=1, updated_at=datetime.now(UTC)))
        return real(*args, **kwargs)

    monkeypatch.setattr(fiscal_years, "parse_parameters", meanwhile_another_first_save)
    response = client.post("/fiscal-years/2563/parameters/deadlines",
                           data={"version": "0", "cabinet_plan_deadline": "2020-03-31", "warning_days": "45"})
    assert response.status_code == 422
    assert "มีผู้อื่นแก้ไข" in form_errors(response.get_data(as_text=True))
    assert fiscal_years.parameters_document(FY)["warning_days"] == 30

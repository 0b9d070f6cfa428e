"""Indicator 17: every required website item present and current."""

from __future__ import annotations

from datetime import date

import pytest

from governance.indicators import Status, default_parameters, parse_parameters

from .builders import FY_END, FY_START, Year, evaluate, params

AS_OF = date(2020, 6, 30)


def checklist_params(*items: tuple[str, str]):
    raw = default_parameters(2563)
    raw["indicators"][7]["items"] = [{"key": k, "title_th": k, "title_en": k, "freshness": f} for k, f in items]
    return parse_parameters(raw)


def test_default_checklist_is_met_when_every_item_is_present_and_current():
    year = Year()
    for item in params().indicators[7].rule.items:
        year.page(item.key, updated=date(2020, 6, 1))
    result = evaluate(year, AS_OF, 17)
    assert (result.status, result.value, result.needed) == (Status.MET, 100, [])
    assert len(result.evidence) == 14


def test_missing_item_url_and_record():
    year = Year()
    year.page("a", url=None, updated=date(2020, 6, 1))
    year.page("b", url="", updated=date(2020, 6, 1))
    result = evaluate(year, AS_OF, 17, checklist_params(("a", "any"), ("b", "any"), ("c", "any")))
    assert result.status == Status.ON_TRACK
    assert result.value == 0
    assert result.needed == [{"code": "website_item", "key": "a", "problem": "missing_url"},
                             {"code": "website_item", "key": "b", "problem": "missing_url"},
                             {"code": "website_item", "key": "c", "problem": "no_record"}]


@pytest.mark.parametrize("updated, current", [
    (FY_START, True),
    (date(2019, 9, 30), False),  # last year's update
    (AS_OF, True),
    (date(2020, 7, 1), False),  # after as_of: not yet updated on that day
    (None, False),
])
def test_current_fy_freshness(updated, current):
    year = Year()
    year.page("a", updated=updated)
    result = evaluate(year, AS_OF, 17, checklist_params(("a", "current_fy")))
    assert (result.status == Status.MET) is current
    assert result.detail["items"]["a"] == {"present": True, "current": current, "freshness": "current_fy"}


@pytest.mark.parametrize("updated, current", [
    (date(2020, 4, 1), True),  # 90 days before 30 June
    (date(2020, 3, 31), False),  # 91 days
])
def test_days_freshness_boundary(updated, current):
    year = Year()
    year.page("a", updated=updated)
    assert (evaluate(year, AS_OF, 17, checklist_params(("a", "days:90"))).status == Status.MET) is current


def test_any_and_tracker_need_only_a_url():
    year = Year()
    year.page("law", updated=None)
    year.page("attendance", updated=None)
    assert evaluate(year, AS_OF, 17, checklist_params(("law", "any"), ("attendance", "tracker"))).status == Status.MET


def test_a_past_year_is_judged_on_its_last_day():
    year = Year()
    year.page("a", updated=date(2020, 9, 1))
    p = checklist_params(("a", "days:90"))
    assert evaluate(year, date(2022, 1, 1), 17, p).status == Status.MET
    year = Year()
    year.page("a", updated=date(2020, 6, 1))
    assert evaluate(year, date(2022, 1, 1), 17, p).status == Status.MISSED


def test_latest_record_of_an_item_speaks_for_it():
    year = Year()
    year.page("a", updated=date(2019, 5, 1))
    year.page("a", updated=date(2020, 5, 1))
    assert evaluate(year, AS_OF, 17, checklist_params(("a", "current_fy"))).status == Status.MET


def test_window_and_year_end():
    p = checklist_params(("a", "any"))
    assert evaluate(Year(), date(2020, 9, 1), 17, p).status == Status.AT_RISK
    assert evaluate(Year(), date(2020, 10, 1), 17, p).status == Status.MISSED
    assert evaluate(Year(), FY_END, 17, p).deadline == FY_END


def test_items_not_in_the_checklist_are_ignored():
    year = Year()
    year.page("a", updated=date(2020, 6, 1))
    year.page("extra", url=None)
    result = evaluate(year, AS_OF, 17, checklist_params(("a", "any")))
    assert result.status == Status.MET
    assert [e["key"] for e in result.evidence] == ["a"]

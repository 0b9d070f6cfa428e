"""Indicator 14: cumulative disbursement against the approved plan, exact decimals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from governance.indicators import Status, parse_parameters

from .builders import FY_END, Year, evaluate, params

AFTER_YEAR = date(2020, 10, 1)


def year_with(months: list[tuple[str, str, str | None]]) -> Year:
    year = Year()
    for month, planned, actual in months:
        year.month(month, planned, actual)
    return year


@pytest.mark.parametrize("actual, status_at_end, status_during", [
    ("96.00", Status.MET, Status.ON_TRACK),
    ("95.99", Status.MISSED, Status.AT_RISK),
    ("100.00", Status.MET, Status.ON_TRACK),
    ("120.00", Status.MET, Status.ON_TRACK),  # over-spending is not this indicator's concern
])
def test_96_percent_exactly_meets_95_99_does_not(actual, status_at_end, status_during):
    year = year_with([("2019-10", "60.00", "60.00"), ("2019-11", "40.00", str(Decimal(actual) - 60))])
    at_end = evaluate(year, AFTER_YEAR, 14)
    assert at_end.status == status_at_end
    assert at_end.value == Decimal(actual)
    assert at_end.target == Decimal(96)
    assert evaluate(year, date(2019, 12, 1), 14).status == status_during


def test_exact_decimals_where_floats_would_round():
    # 64.32 of 67.00 is exactly 96 %; in binary floats it comes out as 95.99999999999999.
    assert float("64.32") / float("67.00") * 100 < 96
    year = year_with([("2019-10", "60.00", "60.00"), ("2019-11", "7.00", "4.32")])
    result = evaluate(year, AFTER_YEAR, 14)
    assert result.value == Decimal(96)
    assert result.status == Status.MET
    assert (result.detail["planned"], result.detail["actual"]) == ("67.00", "64.32")
    short = year_with([("2019-10", "60.00", "60.00"), ("2019-11", "7.00", "4.31")])
    assert evaluate(short, AFTER_YEAR, 14).status == Status.MISSED


def test_cumulative_to_the_last_month_with_an_actual_figure():
    year = year_with([("2019-10", "100.00", "90.00"), ("2019-11", "100.00", "110.00"),
                      ("2019-12", "100.00", None), ("2020-01", "100.00", None)])
    result = evaluate(year, date(2020, 2, 15), 14)
    assert result.value == Decimal(100)  # 200 of 200: December's and January's plans are not yet due
    assert result.detail["to_month"] == "2019-11"
    assert [e["month"] for e in result.evidence] == ["2019-10", "2019-11"]
    assert result.evidence[0] == {"kind": "budget_month", "month": "2019-10", "planned": "100.00", "actual": "90.00"}


def test_a_gap_before_the_last_actual_counts_as_nothing_disbursed_and_is_shown():
    year = year_with([("2019-10", "100.00", "100.00"), ("2019-11", "100.00", None),
                      ("2019-12", "100.00", "100.00")])
    result = evaluate(year, date(2020, 1, 15), 14)
    assert result.value == Decimal(200) / 3
    assert result.detail["months_without_actual"] == ["2019-11"]
    assert result.to_dict()["value"] == 66.66  # 200/3, shown rounded down


def test_a_month_that_has_not_begun_by_as_of_is_not_counted():
    year = year_with([("2019-10", "100.00", "100.00"), ("2019-11", "100.00", "10.00")])
    assert evaluate(year, date(2019, 10, 31), 14).value == Decimal(100)
    assert evaluate(year, date(2019, 11, 1), 14).value == Decimal(55)


def test_months_outside_the_year_are_ignored():
    year = year_with([("2019-09", "100.00", "0.00"), ("2019-10", "100.00", "100.00"), ("2020-10", "100.00", "0.00")])
    assert evaluate(year, AFTER_YEAR, 14).value == Decimal(100)


def test_no_actual_yet():
    result = evaluate(year_with([("2019-10", "100.00", None)]), date(2019, 11, 15), 14)
    assert (result.status, result.value) == (Status.ON_TRACK, None)
    assert result.needed == [{"code": "budget_actuals_missing"}]
    assert evaluate(Year(), AFTER_YEAR, 14).status == Status.MISSED


def test_shortfall_is_rounded_up_to_the_satang():
    year = year_with([("2019-10", "100.01", "96.00")])  # 96 % of 100.01 is 96.0096
    result = evaluate(year, date(2019, 11, 15), 14)
    assert result.needed == [{"code": "budget_shortfall", "amount": "0.01"}]
    assert result.status == Status.AT_RISK


def test_on_the_last_day_the_ratio_is_still_during_the_year():
    year = year_with([("2019-10", "100.00", "100.00")])
    assert evaluate(year, FY_END, 14).status == Status.ON_TRACK


def test_threshold_is_a_parameter():
    raw = params().to_dict()
    raw["indicators"][4]["threshold_percent"] = "95.5"
    year = year_with([("2019-10", "100.00", "95.50")])
    assert evaluate(year, AFTER_YEAR, 14, parse_parameters(raw)).status == Status.MET

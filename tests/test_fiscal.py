"""The Thai fiscal calendar, checked day by day against tables written out here.

Budget Procedure Act B.E. 2561, s. 4: FY N (Buddhist Era) runs from 1 October of CE
year N - 544 to 30 September of CE year N - 543; Q1 Oct-Dec, Q2 Jan-Mar, Q3 Apr-Jun,
Q4 Jul-Sep.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from governance import fiscal
from governance.fiscal import (
    BE_OFFSET,
    FiscalYear,
    be_year,
    ce_year,
    fiscal_year,
    fiscal_year_of,
    format_date,
    format_month,
    quarter_of,
)

QUARTER_OF_MONTH = {10: 1, 11: 1, 12: 1, 1: 2, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 4, 8: 4, 9: 4}


def every_day(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


# --- the year -------------------------------------------------------------------------


def test_fy2563_is_1_oct_2019_to_30_sep_2020():
    fy = fiscal_year(2563)
    assert (fy.start, fy.end) == (date(2019, 10, 1), date(2020, 9, 30))
    assert fy.number == 2563


@pytest.mark.parametrize("day, fy", [
    (date(2019, 9, 30), 2562),
    (date(2019, 10, 1), 2563),
    (date(2020, 1, 1), 2563),
    (date(2020, 2, 29), 2563),
    (date(2020, 9, 30), 2563),
    (date(2020, 10, 1), 2564),
    (date(2020, 10, 28), 2564),  # meeting "10/2563" (numbered by calendar year) is in FY2564
    (date(2020, 12, 31), 2564),
])
def test_fiscal_year_of_boundaries(day, fy):
    assert fiscal_year_of(day) == fy


def test_meeting_number_does_not_decide_the_year():
    held_on = date(2020, 10, 28)  # "10/2563"
    assert fiscal_year_of(held_on) == 2564
    assert not fiscal_year(2563).contains(held_on)
    assert fiscal_year(2564).contains(held_on)


def test_every_day_belongs_to_exactly_one_fiscal_year():
    years = {n: fiscal_year(n) for n in range(2550, 2580)}
    for day in every_day(date(2007, 10, 1), date(2036, 9, 30)):
        expected = day.year + BE_OFFSET + (1 if day.month >= 10 else 0)
        assert fiscal_year_of(day) == expected
        assert [n for n, fy in years.items() if fy.contains(day)] == [expected]


def test_years_are_contiguous():
    for n in range(2401, 2800):
        assert fiscal_year(n).start == fiscal_year(n - 1).end + timedelta(days=1)
        assert fiscal_year(n).start.month == 10 and fiscal_year(n).start.day == 1
        assert fiscal_year(n).end.month == 9 and fiscal_year(n).end.day == 30
        assert fiscal_year_of(fiscal_year(n).start) == fiscal_year_of(fiscal_year(n).end) == n


def test_a_datetime_is_placed_by_its_date():
    assert fiscal_year_of(datetime(2020, 9, 30, 23, 59)) == 2563


@pytest.mark.parametrize("number", [2399, 2801, 2020, 63, -2563])
def test_fiscal_year_must_be_buddhist_era(number):
    with pytest.raises(ValueError):
        fiscal_year(number)


@pytest.mark.parametrize("number", [2400, 2800])
def test_fiscal_year_range_is_inclusive(number):
    assert fiscal_year(number).number == number


def test_fiscal_years_are_values():
    assert fiscal_year(2563) == fiscal_year(2563) == FiscalYear(2563)
    assert len({fiscal_year(2563), fiscal_year(2563)}) == 1
    with pytest.raises(AttributeError):
        fiscal_year(2563).number = 2564


def test_be_and_ce():
    assert BE_OFFSET == 543
    assert be_year(2020) == 2563
    assert ce_year(2563) == 2020
    assert all(ce_year(be_year(y)) == y for y in range(1900, 2200))


# --- quarters -------------------------------------------------------------------------


def test_quarter_of_every_day():
    for day in every_day(date(2015, 1, 1), date(2030, 12, 31)):
        assert quarter_of(day) == QUARTER_OF_MONTH[day.month]


def test_quarter_bounds_fy2563():
    fy = fiscal_year(2563)
    assert [fy.quarter_bounds(q) for q in (1, 2, 3, 4)] == [
        (date(2019, 10, 1), date(2019, 12, 31)),
        (date(2020, 1, 1), date(2020, 3, 31)),
        (date(2020, 4, 1), date(2020, 6, 30)),
        (date(2020, 7, 1), date(2020, 9, 30)),
    ]


def test_quarter_bounds_tile_every_year():
    for n in range(2540, 2600):
        fy = fiscal_year(n)
        bounds = [fy.quarter_bounds(q) for q in (1, 2, 3, 4)]
        assert bounds[0][0] == fy.start and bounds[-1][1] == fy.end
        for (_, end), (start, _) in zip(bounds, bounds[1:], strict=False):
            assert start == end + timedelta(days=1)
        for q, (start, end) in enumerate(bounds, 1):
            assert quarter_of(start) == quarter_of(end) == q
            assert fy.contains(start) and fy.contains(end)


@pytest.mark.parametrize("quarter", [0, 5, -1, "1", 1.0 + 0.5])
def test_quarter_bounds_refuses_other_quarters(quarter):
    with pytest.raises(ValueError):
        fiscal_year(2563).quarter_bounds(quarter)


@pytest.mark.parametrize("as_of, left", [
    (date(2019, 1, 1), 4),
    (date(2019, 9, 30), 4),  # before the year: all four ahead
    (date(2019, 10, 1), 4),
    (date(2019, 12, 31), 4),
    (date(2020, 1, 1), 3),
    (date(2020, 3, 31), 3),
    (date(2020, 4, 1), 2),
    (date(2020, 6, 30), 2),
    (date(2020, 7, 1), 1),
    (date(2020, 9, 30), 1),  # the last day: Q4 is still open
    (date(2020, 10, 1), 0),
    (date(2025, 1, 1), 0),
])
def test_quarters_left(as_of, left):
    assert fiscal_year(2563).quarters_left(as_of) == left


def test_quarters_left_is_the_count_of_quarters_not_yet_over():
    fy = fiscal_year(2563)
    for day in every_day(date(2019, 8, 1), date(2020, 11, 30)):
        assert fy.quarters_left(day) == sum(fy.quarter_bounds(q)[1] >= day for q in (1, 2, 3, 4))


# --- months ---------------------------------------------------------------------------


def test_months_fy2563():
    assert fiscal_year(2563).months() == [
        "2019-10", "2019-11", "2019-12", "2020-01", "2020-02", "2020-03",
        "2020-04", "2020-05", "2020-06", "2020-07", "2020-08", "2020-09",
    ]


def test_months_are_the_years_months_in_order():
    for n in range(2540, 2600):
        fy = fiscal_year(n)
        months = fy.months()
        assert len(months) == len(set(months)) == 12
        assert months == sorted(months)
        assert all(fiscal_year_of(date.fromisoformat(f"{m}-01")) == n for m in months)
        assert months[0] == fy.start.strftime("%Y-%m") and months[-1] == fy.end.strftime("%Y-%m")


# --- showing dates --------------------------------------------------------------------


@pytest.mark.parametrize("day, locale, long, text", [
    (date(2020, 1, 15), "th", False, "15 ม.ค. 2563"),
    (date(2020, 1, 15), "th", True, "15 มกราคม 2563"),
    (date(2020, 1, 15), "th_TH", False, "15 ม.ค. 2563"),
    (date(2020, 1, 15), "en", False, "15 Jan 2020"),
    (date(2020, 1, 15), "en", True, "15 Jan 2020"),
    (date(2019, 10, 1), "th", False, "1 ต.ค. 2562"),  # BE of the calendar year, not the fiscal year
    (date(2020, 9, 30), "th", False, "30 ก.ย. 2563"),
    (date(2020, 4, 19), "th", True, "19 เมษายน 2563"),
    (date(2020, 2, 29), "th", False, "29 ก.พ. 2563"),
])
def test_format_date(day, locale, long, text):
    assert format_date(day, locale, long=long) == text


def test_format_date_every_month():
    short = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
    english = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    for month in range(1, 13):
        day = date(2021, month, 5)
        assert format_date(day) == f"5 {short[month - 1]} 2564"
        assert format_date(day, "en") == f"5 {english[month - 1]} 2021"


def test_format_date_of_nothing_is_empty():
    assert format_date(None) == ""


@pytest.mark.parametrize("month, locale, text", [
    ("2019-10", "th", "ต.ค. 2562"),
    ("2019-10", "en", "Oct 2019"),
    ("2020-09", "th", "ก.ย. 2563"),
])
def test_format_month(month, locale, text):
    assert format_month(month, locale) == text


@pytest.mark.parametrize("typed", ["29/02/2563", "29/2/2020", "2563-02-29", "2020-02-29", "๒๙/๐๒/๒๕๖๓",
                                   "29 ก.พ. 2563", "29 กุมภาพันธ์ พ.ศ. 2563", "29 Feb 2020"])
def test_a_typed_date_in_either_era(typed):
    # 29/02/2563 is a real day: the year is converted before the date is built.
    assert fiscal.parse_date(typed) == date(2020, 2, 29)


@pytest.mark.parametrize("typed", ["29/02/63", "02/29/2020", "31/04/2563", "yesterday", ""])
def test_what_is_not_a_date(typed):
    with pytest.raises(ValueError):
        fiscal.parse_date(typed)


def test_a_date_typed_back_in_the_readers_calendar():
    assert fiscal.numeric_date(date(2020, 2, 9)) == "09/02/2563"
    assert fiscal.numeric_date(date(2020, 2, 9), "en") == "2020-02-09"

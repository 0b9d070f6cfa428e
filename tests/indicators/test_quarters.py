"""Indicators 12 and 13: distinct fiscal quarters per subject."""

from __future__ import annotations

from datetime import date

import pytest

from governance.indicators import Status

from .builders import FY_END, Year, evaluate

SUBJECTS_12 = ("internal_control", "internal_audit", "risk_management", "hr_management", "digital_technology")
SUBJECTS_13 = ("financial_report", "mission_report")
# one day in each fiscal quarter of FY2563
Q = {1: date(2019, 11, 15), 2: date(2020, 2, 15), 3: date(2020, 5, 15), 4: date(2020, 8, 15)}
AFTER_YEAR = date(2020, 10, 1)


def year_with(quarters: dict[str, list[int]], states: bool = False) -> Year:
    year = Year()
    for subject, qs in quarters.items():
        for q in qs:
            year.meeting(Q[q], topics=(subject,), states=states)
    return year


def all_subjects(qs: list[int], subjects=SUBJECTS_12) -> dict[str, list[int]]:
    return {s: qs for s in subjects}


def test_12_met_when_every_subject_reaches_3_quarters():
    year = year_with(all_subjects([1, 2, 3]))
    result = evaluate(year, Q[3], 12)
    assert (result.status, result.value, result.target) == (Status.MET, 100, 100)
    assert result.detail["subjects"]["risk_management"]["quarters"] == [1, 2, 3]
    assert result.needed == []
    assert {e["quarter"] for e in result.evidence} == {1, 2, 3}


def test_12_two_meetings_in_one_quarter_count_once():
    year = year_with(all_subjects([1, 2]))
    year.meeting(date(2020, 3, 31), topics=SUBJECTS_12)  # Q2 again
    result = evaluate(year, AFTER_YEAR, 12)
    assert result.status == Status.MISSED
    assert all(s["count"] == 2 for s in result.detail["subjects"].values())


def test_12_value_is_the_share_of_subjects_done():
    quarters = all_subjects([1, 2, 3]) | {"hr_management": [1, 2]}
    result = evaluate(year_with(quarters), Q[3], 12)
    assert result.value == 80
    assert result.to_dict()["value"] == 80.0
    # In Q3 without hr_management yet this quarter: Q3 and Q4 are both still open to it.
    assert result.needed == [{"code": "subject_quarters", "subject": "hr_management", "missing": 1,
                              "quarters_available": 2}]


def test_12_on_track_at_the_start_of_the_year():
    assert evaluate(Year(), date(2019, 10, 1), 12).status == Status.ON_TRACK
    assert evaluate(Year(), date(2019, 9, 1), 12).status == Status.ON_TRACK  # before the year starts


def test_12_at_risk_when_a_subject_needs_every_quarter_left():
    # In Q2 with nothing yet for internal_audit: Q2, Q3, Q4 left, and it needs all three.
    quarters = all_subjects([1]) | {"internal_audit": []}
    result = evaluate(year_with(quarters), date(2020, 1, 10), 12)
    assert result.status == Status.AT_RISK
    assert result.detail["quarters_left"] == [2, 3, 4]
    assert result.detail["subjects"]["internal_audit"]["quarters_available"] == [2, 3, 4]


def test_12_missed_when_quarters_left_are_too_few():
    # In Q3 with one quarter for hr_management: Q3 and Q4 left would give only 3 if both are used,
    # but with nothing at all there are only 2 left.
    quarters = all_subjects([1, 2]) | {"hr_management": []}
    result = evaluate(year_with(quarters), date(2020, 4, 1), 12)
    assert result.status == Status.MISSED
    assert {"code": "subject_quarters", "subject": "hr_management", "missing": 3,
            "quarters_available": 2} in result.needed


def test_12_the_current_quarter_already_counted_is_not_available_again():
    # In Q3 with Q1 and Q3 done: only Q4 remains for the third -> needs every quarter left.
    year = year_with(all_subjects([1, 3]))
    assert evaluate(year, Q[3], 12).status == Status.AT_RISK
    # In Q3 with only Q3 done: Q4 alone cannot bring it to 3.
    year = year_with(all_subjects([1, 2, 3]) | {"digital_technology": [3]})
    assert evaluate(year, Q[3], 12).status == Status.MISSED


def test_12_a_spare_quarter_is_on_track():
    year = year_with(all_subjects([1]))
    assert evaluate(year, Q[1], 12).status == Status.ON_TRACK  # needs 2 of Q2..Q4


@pytest.mark.parametrize("quarters, status", [([1, 2, 4], Status.MET), ([1, 4], Status.MISSED)])
def test_12_at_year_end(quarters, status):
    assert evaluate(year_with(all_subjects(quarters)), AFTER_YEAR, 12).status == status
    assert evaluate(year_with(all_subjects(quarters)), FY_END, 12).status == status


def test_12_ignores_meetings_that_do_not_count():
    year = year_with(all_subjects([1, 2]))
    for kwargs in ({"body": "committee"}, {"status": "cancelled"}, {"status": "planned"}):
        year.meeting(Q[3], topics=SUBJECTS_12, **kwargs)
    year.meeting(date(2019, 9, 30), topics=SUBJECTS_12)  # previous year
    year.meeting(date(2020, 10, 28), number="10/2563", topics=SUBJECTS_12)  # FY2564
    year.meeting(date(2020, 6, 1), topics=SUBJECTS_12)  # dated after as_of
    result = evaluate(year, date(2020, 5, 31), 12)
    assert all(s["quarters"] == [1, 2] for s in result.detail["subjects"].values())


# --- 13: only reports that state problems and remedies ------------------------------------


def test_13_counts_only_reports_stating_problems_and_remedies():
    year = year_with(all_subjects([1, 2, 3], SUBJECTS_13), states=True)
    assert evaluate(year, Q[3], 13).status == Status.MET
    year = year_with(all_subjects([1, 2], SUBJECTS_13), states=True)
    unticked = year.meeting(Q[3], topics=SUBJECTS_13, states=False)
    result = evaluate(year, Q[3], 13)
    assert result.status == Status.ON_TRACK  # the unticked reports leave Q3 open, and Q4 remains
    assert result.detail["subjects"]["financial_report"]["quarters"] == [1, 2]
    assert sorted(result.detail["items_not_stating_problems_and_remedies"]) == [
        i.id for i in year.items if i.meeting_id == unticked]
    assert all(e["meeting_id"] != unticked for e in result.evidence)


def test_12_does_not_need_the_tick():
    year = year_with(all_subjects([1, 2, 3]), states=False)
    assert evaluate(year, Q[3], 12).status == Status.MET
    assert "items_not_stating_problems_and_remedies" not in evaluate(year, Q[3], 12).detail


def test_13_at_year_end():
    year = year_with(all_subjects([1, 2, 3], SUBJECTS_13) | {"mission_report": [2, 4]}, states=True)
    result = evaluate(year, AFTER_YEAR, 13)
    assert result.status == Status.MISSED
    assert result.value == 50

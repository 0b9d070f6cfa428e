"""Indicator 18: the board's self-assessment, its four parts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from governance.indicators import SelfAssessmentRecord, Status, default_parameters, parse_parameters

from .builders import FY_END, Year, evaluate

AFTER_YEAR = date(2020, 10, 1)
CLOSING = date(2020, 8, 1)


def complete_year() -> tuple[Year, list[int]]:
    year = Year()
    directors = year.directors_(3)
    year.director(counts=False)  # the minute taker is not assessed
    year.meeting(date(2020, 9, 1), topics=("self_assessment_disclosure",))
    year.self_assessment = SelfAssessmentRecord(
        closing_on=CLOSING, whole_board_completed_on=date(2020, 8, 10), guidelines_recorded_on=date(2020, 9, 1),
        submissions={d: date(2020, 7, 15) for d in directors})
    return year, directors


def test_met_when_all_four_parts_are_done():
    year, _ = complete_year()
    result = evaluate(year, date(2020, 9, 1), 18)
    assert (result.status, result.value) == (Status.MET, 100)
    assert all(result.detail["parts"].values())
    assert result.detail["not_submitted"] == []
    kinds = [e["kind"] for e in result.evidence]
    assert kinds.count("agenda_item") == 1 and kinds.count("self_assessment_submission") == 3


def test_who_has_not_submitted():
    year, directors = complete_year()
    del_id = directors[1]
    year.self_assessment = SelfAssessmentRecord(
        closing_on=CLOSING, whole_board_completed_on=date(2020, 8, 10), guidelines_recorded_on=date(2020, 9, 1),
        submissions={d: date(2020, 7, 15) for d in directors if d != del_id})
    result = evaluate(year, date(2020, 9, 2), 18)
    assert result.status == Status.AT_RISK
    assert result.value == 75
    assert result.detail["not_submitted"] == [{"director_id": del_id, "name": f"กรรมการ {del_id}"}]
    assert result.needed == [{"code": "self_assessment_part", "part": "individual_assessments",
                              "director_ids": [del_id]}]
    assert evaluate(year, AFTER_YEAR, 18).status == Status.MISSED


def test_only_directors_in_office_on_the_closing_date_must_submit():
    year, directors = complete_year()
    year.director(end=date(2020, 7, 31))  # left before closing: not required
    year.director(start=date(2020, 8, 2))  # joined after closing: not required
    assert evaluate(year, date(2020, 9, 1), 18).status == Status.MET
    joined_on_closing = year.director(start=CLOSING)
    result = evaluate(year, date(2020, 9, 1), 18)
    assert result.detail["parts"]["individual_assessments"] is False
    assert [d["director_id"] for d in result.detail["not_submitted"]] == [joined_on_closing]


def test_closing_date_unset_lists_who_is_outstanding_but_is_not_done():
    year, directors = complete_year()
    year.self_assessment = SelfAssessmentRecord(submissions={directors[0]: date(2020, 7, 1)})
    result = evaluate(year, date(2020, 8, 1), 18)
    assert result.detail["parts"] == {"individual_assessments": False, "whole_board_assessment": False,
                                      "disclosed_at_meeting": False, "guidelines_recorded": False}
    assert [d["director_id"] for d in result.detail["not_submitted"]] == directors[1:]
    assert result.detail["closing_on"] is None


def test_late_parts_do_not_count():
    year, directors = complete_year()
    year.self_assessment = SelfAssessmentRecord(
        closing_on=CLOSING, whole_board_completed_on=AFTER_YEAR, guidelines_recorded_on=FY_END,
        submissions={d: AFTER_YEAR for d in directors})
    year.meeting(date(2020, 10, 5), topics=("self_assessment_disclosure",))  # FY2564
    result = evaluate(year, date(2021, 1, 1), 18)
    assert result.detail["parts"] == {"individual_assessments": False, "whole_board_assessment": False,
                                      "disclosed_at_meeting": True, "guidelines_recorded": True}
    assert result.status == Status.MISSED


def test_parts_dated_after_as_of_are_not_yet_done():
    year, _ = complete_year()
    result = evaluate(year, date(2020, 8, 5), 18)
    assert result.detail["parts"] == {"individual_assessments": True, "whole_board_assessment": False,
                                      "disclosed_at_meeting": False, "guidelines_recorded": False}
    assert result.status == Status.ON_TRACK


def test_disclosure_at_a_committee_meeting_does_not_count():
    year, _ = complete_year()
    year.meetings = [replace(m, body="committee") for m in year.meetings]
    result = evaluate(year, date(2020, 9, 1), 18)
    assert result.detail["parts"]["disclosed_at_meeting"] is False


def test_no_record_at_all():
    result = evaluate(Year(), date(2020, 6, 30), 18)
    assert (result.status, result.value) == (Status.ON_TRACK, 0)
    assert len(result.needed) == 4


def test_parts_are_a_parameter():
    raw = default_parameters(2563)
    raw["indicators"][8]["parts"] = ["whole_board_assessment", "disclosed_at_meeting"]
    year = Year()
    year.meeting(date(2020, 9, 1), topics=("self_assessment_disclosure",))
    year.self_assessment = SelfAssessmentRecord(whole_board_completed_on=date(2020, 8, 10))
    result = evaluate(year, date(2020, 9, 1), 18, parse_parameters(raw))
    assert result.status == Status.MET
    assert list(result.detail["parts"]) == ["whole_board_assessment", "disclosed_at_meeting"]

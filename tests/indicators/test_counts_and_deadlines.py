"""Indicators 10 (performance review), 11 (plans by the Cabinet's deadline), 15 (reports to the minister)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from governance.indicators import Status, parse_parameters

from .builders import FY_END, Year, evaluate, params

AFTER_YEAR = FY_END + timedelta(days=1)


# --- 10: a count of meetings with a topic ----------------------------------------------


def test_10_met_once_one_review_is_held():
    year = Year()
    meeting = year.meeting(date(2019, 12, 5), topics=("performance_review", "performance_review"))
    result = evaluate(year, date(2019, 12, 5), 10)
    assert (result.status, result.value, result.target) == (Status.MET, 1, 1)
    assert [e["meeting_id"] for e in result.evidence] == [meeting, meeting]  # both items shown, one meeting counted
    assert result.needed == []


@pytest.mark.parametrize("as_of, status", [
    (date(2020, 8, 30), Status.ON_TRACK),  # 31 days before the end
    (date(2020, 8, 31), Status.AT_RISK),  # 30 days: inside the warning window
    (FY_END, Status.AT_RISK),  # the last day: still possible
    (AFTER_YEAR, Status.MISSED),
])
def test_10_warning_window_and_year_end(as_of, status):
    result = evaluate(Year(), as_of, 10)
    assert result.status == status
    assert result.deadline == FY_END
    assert result.needed == [{"code": "topic_meetings", "topics": ["performance_review"], "missing": 1}]


def test_warning_window_is_a_parameter():
    assert evaluate(Year(), date(2020, 8, 30), 10, params(warning_days=31)).status == Status.AT_RISK
    assert evaluate(Year(), FY_END, 10, params(warning_days=0)).status == Status.AT_RISK
    assert evaluate(Year(), FY_END - timedelta(days=1), 10, params(warning_days=0)).status == Status.ON_TRACK


@pytest.mark.parametrize("kwargs", [
    {"body": "committee"},
    {"status": "cancelled"},
    {"status": "planned"},
])
def test_10_ignores_meetings_that_do_not_count(kwargs):
    year = Year()
    year.meeting(date(2019, 12, 5), topics=("performance_review",), **kwargs)
    result = evaluate(year, AFTER_YEAR, 10)
    assert (result.status, result.value, result.evidence) == (Status.MISSED, 0, [])


def test_10_ignores_future_and_other_years_meetings():
    year = Year()
    year.meeting(date(2019, 9, 30), topics=("performance_review",))  # FY2562
    year.meeting(date(2020, 10, 28), number="10/2563", topics=("performance_review",))  # FY2564
    year.meeting(date(2020, 7, 1), topics=("performance_review",))  # after as_of, though marked held
    assert evaluate(year, date(2020, 6, 30), 10).value == 0
    assert evaluate(year, date(2020, 7, 1), 10).value == 1


def test_10_other_topics_do_not_count():
    year = Year()
    year.meeting(date(2019, 12, 5), topics=("other", "mission_report"))
    assert evaluate(year, AFTER_YEAR, 10).value == 0


# --- 15: a count of records -----------------------------------------------------------


def test_15_two_reports_in_the_year_meet():
    year = Year()
    first = year.report(date(2019, 10, 1))
    assert evaluate(year, date(2020, 3, 1), 15).status == Status.ON_TRACK
    second = year.report(FY_END)
    result = evaluate(year, AFTER_YEAR, 15)
    assert (result.status, result.value, result.target) == (Status.MET, 2, 2)
    assert [e["id"] for e in result.evidence] == [first, second]
    assert result.evidence[0] == {"kind": "ministerial_report", "id": first, "sent_on": date(2019, 10, 1),
                                  "title": f"รายงาน {first}"}


def test_15_reports_outside_the_year_or_after_as_of_do_not_count():
    year = Year()
    year.report(date(2019, 9, 30))
    year.report(date(2020, 10, 1))
    year.report(date(2020, 6, 1))
    result = evaluate(year, date(2020, 5, 31), 15)
    assert result.value == 0
    assert result.needed == [{"code": "ministerial_reports", "missing": 2}]
    assert evaluate(year, AFTER_YEAR, 15).status == Status.MISSED
    assert evaluate(year, AFTER_YEAR, 15).value == 1


# --- 11: plans by the Cabinet's deadline ------------------------------------------------

DEADLINE = date(2020, 3, 31)


def with_deadline(deadline=DEADLINE, **kwargs):
    return params(cabinet_plan_deadline=deadline.isoformat(), **kwargs)


def test_11_deadline_unset_says_so_instead_of_guessing():
    year = Year()
    year.meeting(date(2019, 11, 1), topics=("five_year_plan", "annual_plan"))
    result = evaluate(year, date(2020, 6, 30), 11)
    assert result.status == Status.ON_TRACK
    assert result.value is None
    assert result.deadline is None
    assert result.detail["deadline_set"] is False
    assert result.detail["plans"]["annual_plan"] == {"considered_on": [date(2019, 11, 1)], "in_time": None}
    assert result.needed == [{"code": "deadline_unset", "parameter": "cabinet_plan_deadline"}]
    assert len(result.evidence) == 2


def test_11_both_plans_on_the_deadline_meet():
    year = Year()
    year.meeting(date(2019, 11, 1), topics=("five_year_plan",))
    year.meeting(DEADLINE, topics=("annual_plan",))
    result = evaluate(year, DEADLINE, 11, with_deadline())
    assert (result.status, result.value, result.deadline) == (Status.MET, 100, DEADLINE)
    assert result.to_dict()["deadline"] == "2020-03-31"


def test_11_plan_considered_the_day_after_the_deadline_misses():
    year = Year()
    year.meeting(date(2019, 11, 1), topics=("five_year_plan",))
    late = year.meeting(DEADLINE + timedelta(days=1), topics=("annual_plan",))
    result = evaluate(year, date(2020, 6, 30), 11, with_deadline())
    assert result.status == Status.MISSED
    assert result.value == 50
    assert result.detail["plans"]["annual_plan"] == {"considered_on": [DEADLINE + timedelta(days=1)],
                                                     "in_time": False}
    # The late plan is still evidence, marked late.
    late_evidence = [e for e in result.evidence if e["meeting_id"] == late]
    assert late_evidence and late_evidence[0]["in_time"] is False
    assert result.needed == [{"code": "topic_by_deadline", "topic": "annual_plan", "deadline": DEADLINE}]


@pytest.mark.parametrize("as_of, status", [
    (DEADLINE - timedelta(days=31), Status.ON_TRACK),
    (DEADLINE - timedelta(days=30), Status.AT_RISK),
    (DEADLINE, Status.AT_RISK),
    (DEADLINE + timedelta(days=1), Status.MISSED),
])
def test_11_warning_window_before_the_deadline(as_of, status):
    year = Year()
    year.meeting(date(2019, 11, 1), topics=("five_year_plan",))
    assert evaluate(year, as_of, 11, with_deadline()).status == status


def test_11_plans_at_committee_meetings_do_not_count():
    year = Year()
    year.meeting(date(2019, 11, 1), topics=("five_year_plan", "annual_plan"), body="committee")
    assert evaluate(year, date(2020, 6, 30), 11, with_deadline()).status == Status.MISSED


def test_11_a_fixed_deadline_or_the_year_end_can_be_written_in_the_framework():
    raw = with_deadline().to_dict()
    raw["indicators"][1]["deadline"] = "2019-12-31"
    year = Year()
    year.meeting(date(2020, 1, 1), topics=("five_year_plan", "annual_plan"))
    assert evaluate(year, date(2020, 1, 1), 11, parse_parameters(raw)).status == Status.MISSED
    raw["indicators"][1]["deadline"] = "fy_end"
    assert evaluate(year, date(2020, 1, 1), 11, parse_parameters(raw)).status == Status.MET

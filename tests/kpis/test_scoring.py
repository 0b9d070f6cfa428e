"""Scoring KPIs 1-9 (pure): every numeric KPI at each boundary, milestones as steps, figures as of a date."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from governance.indicators.kpis import (
    FigureValue,
    KpiDefinitionError,
    ProgressEntry,
    parse_definition,
    parse_document,
    score,
)

DATA = Path(__file__).resolve().parents[2] / "governance" / "data" / "kpis-fy2563.json"
AS_OF = date(2020, 9, 30)


@pytest.fixture(scope="module")
def kpi():
    _year, definitions = parse_document(json.loads(DATA.read_text(encoding="utf-8")))
    by_number = {d.number: d for d in definitions}
    return by_number.__getitem__


def figures(**values) -> ProgressEntry:
    return ProgressEntry(id=1, reached_on=date(2020, 6, 1), figures={k: Decimal(v) for k, v in values.items()})


def milestone(level: int, day=date(2020, 3, 1), entry_id=None) -> ProgressEntry:
    return ProgressEntry(id=entry_id or level, reached_on=day, level=level, evidence=f"level {level}")


@pytest.mark.parametrize(("percent", "expected"), [
    ("0", 0), ("95.99", 0), ("96", 50), ("96.00", 50), ("99.99", 50), ("100", 75), ("100.00", 75), ("130", 75)])
def test_7_disbursement_entered(kpi, percent, expected):
    assert score(kpi(7), [figures(disbursement_percent=percent)], AS_OF).score == expected


def test_7_full_score_needs_the_milestone_on_top_of_100_per_cent(kpi):
    assert score(kpi(7), [milestone(100)], AS_OF).score == 0  # steps: 50 and 75 first
    assert score(kpi(7), [figures(disbursement_percent="100"), milestone(100)], AS_OF).score == 100
    assert score(kpi(7), [figures(disbursement_percent="99.99"), milestone(100)], AS_OF).score == 50


@pytest.mark.parametrize(("ratio", "expected"), [
    (Fraction(9599, 100), 0), (Fraction(96), 50), (Fraction(959999999, 10**7), 0), (Fraction(99999, 1000), 50),
    (Fraction(100), 75)])
def test_7_disbursement_from_the_budget_is_compared_exactly_and_wins(kpi, ratio, expected):
    budget = {"disbursement_percent": FigureValue("disbursement_percent", ratio, date(2020, 8, 31),
                                                  "budget_disbursement")}
    entered = [figures(disbursement_percent="100")]
    result = score(kpi(7), entered, AS_OF, budget)
    assert result.score == expected
    assert result.figures["disbursement_percent"].source == "budget_disbursement"


def test_7_without_budget_actuals_the_entered_figure_counts(kpi):
    result = score(kpi(7), [figures(disbursement_percent="97")], AS_OF, {"disbursement_percent": None})
    assert result.score == 50 and result.figures["disbursement_percent"].source == "entered"


@pytest.mark.parametrize(("values", "expected"), [
    ({"partners": "4"}, 0),
    ({"partners": "5"}, 50),
    ({"partners": "5", "trainings": "9", "trainees": "5000"}, 50),
    ({"partners": "5", "trainings": "10", "trainees": "999"}, 50),
    ({"partners": "5", "trainings": "10", "trainees": "1000"}, 75),
    ({"partners": "5", "trainings": "10", "trainees": "1000", "knowledge_gain_percent": "79.99"}, 75),
    ({"partners": "5", "trainings": "10", "trainees": "1000", "knowledge_gain_percent": "80"}, 100),
    ({"partners": "6", "trainings": "10", "trainees": "1240", "knowledge_gain_percent": "84"}, 100),
    ({"partners": "4", "trainings": "10", "trainees": "1240", "knowledge_gain_percent": "84"}, 0),  # steps
])
def test_4_trainings(kpi, values, expected):
    assert score(kpi(4), [figures(**values)], AS_OF).score == expected


@pytest.mark.parametrize(("values", "expected"), [
    ({"personnel_cost_percent": "30.01"}, 0),
    ({"personnel_cost_percent": "30"}, 75),  # no 50-point level: the first step is 75
    ({"personnel_cost_percent": "30", "personnel_cost_growth_percent": "18.01"}, 75),
    ({"personnel_cost_percent": "30", "personnel_cost_growth_percent": "18"}, 100),
    ({"personnel_cost_percent": "25", "personnel_cost_growth_percent": "-3.5"}, 100),
    ({"personnel_cost_percent": "30.01", "personnel_cost_growth_percent": "10"}, 0),
])
def test_6_personnel_expenses(kpi, values, expected):
    assert score(kpi(6), [figures(**values)], AS_OF).score == expected


@pytest.mark.parametrize(("satisfaction", "quality", "expected"), [
    ("80", "49.99", 0), ("80", "50", 50), ("80", "74.99", 50), ("80", "75", 75), ("80", "89.99", 75),
    ("80", "90", 100), ("100", "100", 100), ("79.99", "95", 0)])
def test_9_satisfaction(kpi, satisfaction, quality, expected):
    entry = figures(satisfaction_percent=satisfaction, quality_pass_percent=quality)
    assert score(kpi(9), [entry], AS_OF).score == expected


@pytest.mark.parametrize(("schemas", "expected"), [("19", 75), ("20", 100)])
def test_5_schemas_after_its_two_milestones(kpi, schemas, expected):
    entries = [milestone(50), milestone(75), figures(schemas_completed=schemas)]
    assert score(kpi(5), entries, AS_OF).score == expected


def test_milestones_are_steps_and_count_from_their_date(kpi):
    entries = [milestone(50, date(2020, 1, 20)), milestone(100, date(2020, 2, 1)), milestone(75, date(2020, 5, 12))]
    assert score(kpi(1), entries, date(2020, 1, 19)).score == 0
    assert score(kpi(1), entries, date(2020, 1, 20)).score == 50
    before_75 = score(kpi(1), entries, date(2020, 5, 11))
    assert before_75.score == 50 and before_75.next_level.score == 75
    assert before_75.needed == ({"code": "milestone", "score": 75, "text": kpi(1).level(75).text},)
    full = score(kpi(1), entries, date(2020, 5, 12))
    assert full.score == 100 and full.next_level is None and full.needed == ()
    assert full.level_reached.text == kpi(1).level(100).text
    assert [e.reached_on for e in full.evidence] == [date(2020, 5, 12), date(2020, 2, 1), date(2020, 1, 20)]


def test_the_latest_figure_on_or_before_the_date_counts(kpi):
    entries = [ProgressEntry(1, date(2020, 3, 1), figures={"satisfaction_percent": Decimal(85),
                                                            "quality_pass_percent": Decimal(92)}),
               ProgressEntry(2, date(2020, 6, 1), figures={"quality_pass_percent": Decimal(60)})]
    assert score(kpi(9), entries, date(2020, 5, 31)).score == 100
    later = score(kpi(9), entries, date(2020, 6, 1))
    assert later.score == 50
    assert later.needed[0] == {"code": "figure", "score": 75, "figure": "quality_pass_percent", "op": ">=",
                               "value": Decimal(75), "current": Decimal(60)}


def test_needs_name_each_figure_short_of_the_next_level(kpi):
    result = score(kpi(4), [figures(partners="5", trainings="8")], AS_OF)
    assert [(n["figure"], n["current"]) for n in result.needed] == [("trainings", Decimal(8)), ("trainees", None)]


def test_definitions_round_trip_and_bad_ones_are_named(kpi):
    for number in range(1, 10):
        assert parse_definition(kpi(number).to_dict()) == kpi(number)
    raw = kpi(7).to_dict()
    raw["levels"][0]["conditions"][0]["figure"] = "nope"
    with pytest.raises(KpiDefinitionError) as error:
        parse_definition(raw)
    assert error.value.path == "kpi.levels[0].conditions[0].figure"
    raw = kpi(7).to_dict()
    raw["levels"] = raw["levels"][:2]
    with pytest.raises(KpiDefinitionError, match="levels"):
        parse_definition(raw)

"""The whole evaluation: one result per indicator, the API's JSON shape, and the layer's purity."""

from __future__ import annotations

import ast
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import governance.indicators
from governance.indicators import (
    IndicatorResult,
    SelfAssessmentRecord,
    Status,
    attendance_report,
    evaluate_fiscal_year,
)

from .builders import Year, params

PACKAGE = Path(governance.indicators.__file__).parent


def busy_year() -> Year:
    year = Year()
    directors = year.directors_(5)
    for day in (date(2019, 11, 20), date(2020, 2, 20), date(2020, 5, 20)):
        year.meeting(day, marks={d: "online" for d in directors},
                     topics=("performance_review", "internal_control", "financial_report"), states=True)
    year.report(date(2020, 1, 10))
    year.month("2019-10", "100.00", "97.00")
    year.page("contact", updated=None)
    year.self_assessment = SelfAssessmentRecord(closing_on=date(2020, 8, 1))
    return year


def test_one_result_per_indicator_in_order():
    results = evaluate_fiscal_year(busy_year().data(), params(), date(2020, 6, 30))
    assert [r.number for r in results] == list(range(10, 19))
    assert all(isinstance(r, IndicatorResult) and r.status in set(Status) for r in results)


def test_to_dict_is_the_api_shape_and_plain_json():
    results = evaluate_fiscal_year(busy_year().data(), params(), date(2020, 6, 30))
    for result in results:
        out = result.to_dict()
        assert set(out) == {"number", "status", "value", "target", "detail", "evidence", "deadline", "needed"}
        assert json.loads(json.dumps(out, ensure_ascii=False)) == out
        assert type(out["status"]) is str
        assert out["value"] is None or type(out["value"]) in (int, float)
        assert type(out["target"]) in (int, float)
        for evidence in out["evidence"]:
            assert evidence["kind"] in {"meeting", "agenda_item", "ministerial_report", "budget_month",
                                        "website_item", "self_assessment_submission"}
    by_number = {r.number: r.to_dict() for r in results}
    assert type(by_number[10]["value"]) is int and type(by_number[15]["value"]) is int
    assert by_number[16]["value"] == 100.0 and by_number[16]["target"] == 90
    assert by_number[16]["detail"]["meetings_held"] == 3
    assert by_number[16]["evidence"][0] == {"kind": "meeting", "id": by_number[16]["evidence"][0]["id"],
                                            "held_on": "2019-11-20", "number": by_number[16]["evidence"][0]["number"],
                                            "eligible": 5, "present": 5, "qualifies": True, "one_place_flag": True}
    assert by_number[14]["value"] == 97.0 and by_number[14]["target"] == 96
    assert by_number[10]["deadline"] == "2020-09-30"


def test_percentages_are_rounded_only_at_the_edge():
    year = Year()
    a, b, c = year.directors_(3)
    year.meeting(date(2019, 12, 1), marks={a: "in_person", b: "in_person"})
    row = attendance_report(year.data(), params(), date(2020, 1, 1)).meetings[0]
    assert row.rate == Decimal(200) / 3
    assert row.to_dict()["rate"] == 66.66  # rounded down: never shown above what it is


def test_data_and_parameters_of_different_years_are_refused():
    with pytest.raises(ValueError):
        evaluate_fiscal_year(Year(2564).data(), params(2563), date(2020, 6, 30))
    with pytest.raises(ValueError):
        attendance_report(Year(2564).data(), params(2563), date(2020, 6, 30))


def test_records_are_immutable():
    data = busy_year().data()
    assert isinstance(data.meetings, tuple)
    with pytest.raises(AttributeError):
        data.meetings[0].held_on = date(2020, 1, 1)
    with pytest.raises(TypeError):
        data.self_assessment.submissions[1] = date(2020, 1, 1)


def test_evaluation_does_not_depend_on_record_order():
    year = busy_year()
    forward = [r.to_dict() for r in evaluate_fiscal_year(year.data(), params(), date(2020, 6, 30))]
    year.meetings.reverse()
    year.items.reverse()
    year.attendance.reverse()
    year.directors.reverse()
    backward = [r.to_dict() for r in evaluate_fiscal_year(year.data(), params(), date(2020, 6, 30))]
    assert forward == backward


ALLOWED = {"governance.fiscal", "governance.indicators"}


@pytest.mark.parametrize("module", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_layer_1_imports_only_the_standard_library(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module.name}: use absolute imports"
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            assert (top in sys.stdlib_module_names
                    or any(name == allowed or name.startswith(allowed + ".") for allowed in ALLOWED)), \
                f"{module.name} imports {name}"

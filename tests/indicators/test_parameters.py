"""The parameters document: the FY2563 seed, its round trip, and errors that name the field."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.indicators import ParameterError, default_parameters, evaluate_fiscal_year, parse_parameters
from governance.indicators.parameters import RULE_KINDS
from governance.indicators.rules import RULES

from .builders import Year


def test_seed_is_json_and_round_trips():
    raw = default_parameters(2563)
    assert json.loads(json.dumps(raw, ensure_ascii=False)) == raw
    parsed = parse_parameters(raw)
    assert parsed.to_dict() == raw
    assert parse_parameters(parsed.to_dict()) == parsed


def test_seed_values():
    p = parse_parameters(default_parameters(2563))
    assert p.fiscal_year == 2563
    assert p.warning_days == 30
    assert p.cabinet_plan_deadline is None
    assert [i.number for i in p.indicators] == list(range(10, 19))
    assert p.attendance.meeting_threshold_percent == Decimal(80)
    assert p.attendance.year_threshold_percent == Decimal(90)
    assert p.attendance.quorum_fraction == Fraction(1, 2)
    assert p.attendance.one_place_fraction_of_quorum == Fraction(1, 3)
    assert p.attendance.electronic_meetings_from == date(2020, 4, 19)
    by_number = {i.number: i for i in p.indicators}
    assert by_number[10].rule.topics == ("performance_review",) and by_number[10].rule.target == 1
    assert by_number[11].rule.topics == ("five_year_plan", "annual_plan")
    assert by_number[12].rule.subjects == ("internal_control", "internal_audit", "risk_management",
                                           "hr_management", "digital_technology")
    assert by_number[12].rule.min_quarters == 3 and not by_number[12].rule.require_states_problems_and_remedies
    assert by_number[13].rule.subjects == ("financial_report", "mission_report")
    assert by_number[13].rule.require_states_problems_and_remedies
    assert by_number[14].rule.threshold_percent == Decimal(96)
    assert by_number[15].rule.target == 2
    keys = [item.key for item in by_number[17].rule.items]
    assert {"director_profiles", "director_attendance", "board_structure", "founding_law", "executives",
            "annual_report", "procurement_plan", "procurement_results", "contact"} <= set(keys)
    assert by_number[16].title_th.startswith("ในการเข้าร่วมประชุมของคณะกรรมการ ร้อยละ 90")


def test_every_rule_kind_has_a_rule():
    assert set(RULES) == RULE_KINDS


def test_cabinet_deadline_and_defaults_merge():
    p = parse_parameters({"cabinet_plan_deadline": "2020-03-31"}, defaults=default_parameters(2563))
    assert p.cabinet_plan_deadline == date(2020, 3, 31)
    assert p.to_dict()["cabinet_plan_deadline"] == "2020-03-31"


def broken(path: list, value=None, *, delete: bool = False) -> dict:
    raw = copy.deepcopy(default_parameters(2563))
    target = raw
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return raw


@pytest.mark.parametrize("path, value, field", [
    (["surprise"], 1, "surprise"),
    (["warning_days"], -1, "warning_days"),
    (["warning_days"], "30", "warning_days"),
    (["warning_days"], True, "warning_days"),
    (["warning_days"], 1.5, "warning_days"),
    (["fiscal_year"], 2020, "fiscal_year"),
    (["cabinet_plan_deadline"], "2020-02-30", "cabinet_plan_deadline"),
    (["cabinet_plan_deadline"], "20200331", "cabinet_plan_deadline"),
    (["cabinet_plan_deadline"], "31/03/2563", "cabinet_plan_deadline"),
    (["cabinet_plan_deadline"], 20200331, "cabinet_plan_deadline"),
    (["attendance"], [], "attendance"),
    (["attendance", "meeting_threshold_percent"], 0, "attendance.meeting_threshold_percent"),
    (["attendance", "meeting_threshold_percent"], -80, "attendance.meeting_threshold_percent"),
    (["attendance", "meeting_threshold_percent"], 101, "attendance.meeting_threshold_percent"),
    (["attendance", "meeting_threshold_percent"], "eighty", "attendance.meeting_threshold_percent"),
    (["attendance", "year_threshold_percent"], None, "attendance.year_threshold_percent"),
    (["attendance", "quorum_fraction"], "1/0", "attendance.quorum_fraction"),
    (["attendance", "quorum_fraction"], 0.5, "attendance.quorum_fraction"),
    (["attendance", "one_place_fraction_of_quorum"], "4/3", "attendance.one_place_fraction_of_quorum"),
    (["attendance", "electronic_meetings_from"], None, "attendance.electronic_meetings_from"),
    (["attendance", "extra"], 1, "attendance.extra"),
    (["indicators"], [], "indicators"),
    (["indicators", 0, "kind"], "guess", "indicators[0].kind"),
    (["indicators", 0, "target"], 0, "indicators[0].target"),
    (["indicators", 0, "topics"], ["performance_reviews"], "indicators[0].topics[0]"),
    (["indicators", 0, "topics"], [["performance_review"]], "indicators[0].topics[0]"),
    (["indicators", 0, "number"], 11, "indicators[1].number"),  # duplicate
    (["indicators", 0, "title_th"], "", "indicators[0].title_th"),
    (["indicators", 1, "deadline"], "soon", "indicators[1].deadline"),
    (["indicators", 2, "min_quarters"], 5, "indicators[2].min_quarters"),
    (["indicators", 2, "min_quarters"], -3, "indicators[2].min_quarters"),
    (["indicators", 2, "subjects"], ["internal_control", "internal_control"], "indicators[2].subjects[1]"),
    (["indicators", 3, "require_states_problems_and_remedies"], "yes",
     "indicators[3].require_states_problems_and_remedies"),
    (["indicators", 4, "threshold_percent"], -96, "indicators[4].threshold_percent"),
    (["indicators", 5, "source"], "emails", "indicators[5].source"),
    (["indicators", 6, "threshold"], 90, "indicators[6].threshold"),
    (["indicators", 7, "items", 0, "freshness"], "days:0", "indicators[7].items[0].freshness"),
    (["indicators", 7, "items", 0, "freshness"], "weekly", "indicators[7].items[0].freshness"),
    (["indicators", 7, "items", 1, "key"], "financial_analysis", "indicators[7].items[1].key"),
    (["indicators", 7, "items"], [], "indicators[7].items"),
    (["indicators", 8, "parts"], ["everything"], "indicators[8].parts"),
    (["indicators", 8, "disclosure_topic"], "gossip", "indicators[8].disclosure_topic"),
])
def test_errors_name_the_field(path, value, field):
    with pytest.raises(ParameterError) as error:
        parse_parameters(broken(path, value))
    assert error.value.field_path == field
    assert error.value.message
    assert str(error.value).startswith(field)


@pytest.mark.parametrize("path, field", [
    (["warning_days"], "warning_days"),
    (["attendance", "quorum_fraction"], "attendance.quorum_fraction"),
    (["indicators", 4, "threshold_percent"], "indicators[4].threshold_percent"),
])
def test_missing_fields_are_named(path, field):
    with pytest.raises(ParameterError) as error:
        parse_parameters(broken(path, delete=True))
    assert error.value.field_path == field


def test_not_an_object():
    with pytest.raises(ParameterError) as error:
        parse_parameters([])
    assert error.value.field_path == ""


def test_fractional_thresholds_are_exact():
    raw = broken(["indicators", 4, "threshold_percent"], 95.5)
    p = parse_parameters(raw)
    assert p.indicators[4].rule.threshold_percent == Decimal("95.5")
    assert p.to_dict()["indicators"][4]["threshold_percent"] == "95.5"


def test_a_new_framework_needs_only_data():
    # An extra indicator, e.g. director development counted like 10, is a new entry.
    raw = default_parameters(2564)
    raw["indicators"].append({"number": 19, "kind": "meeting_topic_count", "title_th": "การพัฒนากรรมการ",
                              "title_en": "Director development", "topics": ["other"], "target": 2})
    year = Year(2564)
    year.meeting(date(2020, 10, 28), number="10/2563", topics=("other",))
    results = evaluate_fiscal_year(year.data(), parse_parameters(raw), date(2020, 11, 1))
    assert [r.number for r in results] == list(range(10, 20))
    assert results[-1].value == 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 3000) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


@given(st.data())
def test_any_json_is_either_accepted_or_refused_with_a_field(data):
    raw = copy.deepcopy(default_parameters(2563))
    # Replace one value somewhere in the document with arbitrary JSON.
    paths = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, child in node.items():
                paths.append(path + [key])
                walk(child, path + [key])
        elif isinstance(node, list):
            for i, child in enumerate(node):
                paths.append(path + [i])
                walk(child, path + [i])

    walk(raw, [])
    path = data.draw(st.sampled_from(paths))
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = data.draw(json_values)
    try:
        parsed = parse_parameters(raw)
    except ParameterError as error:
        assert isinstance(error.field_path, str)
    else:
        assert parse_parameters(parsed.to_dict()) == parsed


# --- titles that name a year ---------------------------------------------------------

SEED_TABLE = Path(__file__).resolve().parents[1] / "data" / "opdc-indicators-fy2563.txt"


def _seed_title(number: int) -> str:
    for line in SEED_TABLE.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) > 2 and cells[1].strip() == str(number):
            return cells[2].strip()
    raise AssertionError(f"indicator {number} is not in the seed table")


def test_fy2563_titles_are_exactly_the_seed_table():
    titles = {spec.number: spec.title_th for spec in parse_parameters(default_parameters(2563)).indicators}
    assert titles[11] == _seed_title(11)
    assert titles[16] == _seed_title(16)


@pytest.mark.parametrize("fy, period", [(2564, "2563 - 2565"), (2566, "2566 - 2570"), (2570, "2566 - 2570"),
                                        (2571, "2571 - 2575"), (2562, "2558 - 2562")])
def test_every_year_names_its_own_year_and_plan(fy, period):
    by_number = {spec.number: spec for spec in parse_parameters(default_parameters(fy)).indicators}
    plans = by_number[11]
    assert plans.title_th.endswith(f"ประจำปีงบประมาณ พ.ศ. {fy}")
    assert f"พ.ศ. {period})" in plans.title_th
    assert plans.title_en.endswith(f"FY{fy}")
    # only the first round (2563-2565) was three years
    assert ("ในวาระแรก 3 ปี" in plans.title_th) == (fy == 2564)
    if fy != 2564:
        assert "2563" not in plans.title_th + plans.title_en


def test_titles_follow_the_years_own_thresholds():
    raw = default_parameters(2570)
    raw["attendance"] |= {"meeting_threshold_percent": 75, "year_threshold_percent": "92.5"}
    spec = {s.number: s for s in parse_parameters(raw).indicators}[16]
    assert spec.title_th == "ในการเข้าร่วมประชุมของคณะกรรมการ ร้อยละ 92.5 ของจำนวนการประชุม มีกรรมการเข้าประชุมร้อยละ 75 ขึ้นไป"
    assert spec.title_en.startswith("In 92.5% of board meetings, 75% or more")


def test_the_document_keeps_the_wording_not_the_figures():
    raw = default_parameters(2570)
    raw["indicators"][0]["title_th"] = "ทบทวนผลงานปี {fiscal_year} (ใช้ {{วงเล็บ}} ได้)"
    parsed = parse_parameters(raw)
    assert parsed.indicators[0].title_th == "ทบทวนผลงานปี 2570 (ใช้ {วงเล็บ} ได้)"
    assert parsed.to_dict() == raw
    assert parse_parameters(parsed.to_dict()) == parsed


@pytest.mark.parametrize("title, message", [
    ("ปี {year}", "may name only {fiscal_year}"),
    ("ปี {fiscal_year.real}", "may name only"),
    ("ปี {fiscal_year:>10}", "may name only"),
    ("ปี {", "unmatched { or }"),
    ("ปี }", "unmatched { or }"),
])
def test_a_title_naming_an_unknown_figure_is_refused_with_its_field(title, message):
    raw = default_parameters(2570)
    raw["indicators"][1]["title_en"] = title
    with pytest.raises(ParameterError) as error:
        parse_parameters(raw)
    assert error.value.field_path == "indicators[1].title_en"
    assert message in error.value.message

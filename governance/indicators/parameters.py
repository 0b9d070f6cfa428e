"""A fiscal year's indicator framework and its parameters, as data (pure: stdlib only).

spec/indicators.md, "Frameworks as data": the OPDC reshapes the board component from
year to year, so no number, list or date of the criteria lives in the rules.  A year's
framework is a list of indicators, each an instance of one generic *rule kind* with its
own parameters:

======================  ===============================================  ==========
kind                    meaning                                          FY2563
======================  ===============================================  ==========
meeting_topic_count     held meetings with an item on one of the topics  10
topics_by_deadline      every topic considered on or before a deadline   11
quarters_per_subject    distinct FY quarters in which each subject came  12, 13
budget_ratio            cumulative actual / plan against a threshold     14
record_count            records (ministerial reports) sent in the year   15
attendance              share of meetings with enough directors present  16
checklist               every website item present and current           17
self_assessment         the parts of the board's self-assessment done    18
======================  ===============================================  ==========

The document is JSON (stored per fiscal year, edited through the API):
``default_parameters(fy)`` gives the FY2563 seed, ``parse_parameters(raw)`` validates a
document into ``Parameters`` and raises ``ParameterError`` naming the offending field,
``Parameters.to_dict()`` gives the document back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from string import Formatter
from typing import Any

from governance.fiscal import fiscal_year as _fiscal_year
from governance.indicators.vocabulary import Topic, values

TOPICS = frozenset(values(Topic))
FISCAL_YEAR_END = "fy_end"
# Named dates an indicator's deadline may refer to (the secretary enters them).
NAMED_DATES = ("cabinet_plan_deadline",)
RECORD_SOURCES = ("ministerial_reports",)
SELF_ASSESSMENT_PARTS = (
    "individual_assessments",  # every director in office on the closing date submitted
    "whole_board_assessment",  # the whole-board assessment was completed
    "disclosed_at_meeting",  # a held board meeting had the disclosure item
    "guidelines_recorded",  # the guidelines the board set are recorded
)


class ParameterError(ValueError):
    """A parameters document is invalid; ``field_path`` names the field, e.g. ``indicators[2].min_quarters``."""

    def __init__(self, field_path: str, message: str) -> None:
        super().__init__(f"{field_path}: {message}")
        self.field_path = field_path
        self.message = message


# --- the parsed form ---------------------------------------------------------------


@dataclass(frozen=True)
class MeetingTopicCount:
    topics: tuple[str, ...]
    target: int


@dataclass(frozen=True)
class TopicsByDeadline:
    topics: tuple[str, ...]
    # "fy_end", the name of a named date (e.g. "cabinet_plan_deadline"), or a fixed date
    deadline: str | date


@dataclass(frozen=True)
class QuartersPerSubject:
    subjects: tuple[str, ...]
    min_quarters: int
    # Indicator 13: a report counts only if it states problems and remedies.
    require_states_problems_and_remedies: bool


@dataclass(frozen=True)
class BudgetRatio:
    threshold_percent: Decimal


@dataclass(frozen=True)
class RecordCount:
    source: str
    target: int


@dataclass(frozen=True)
class AttendanceRule:
    """Indicator 16 has no options of its own: it reads ``Parameters.attendance``."""


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title_th: str
    title_en: str
    # "any" (present is enough), "current_fy" (updated within the fiscal year),
    # "days:N" (updated within N days), "tracker" (published by this tracker, so
    # current by construction)
    freshness: str


@dataclass(frozen=True)
class Checklist:
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class SelfAssessment:
    parts: tuple[str, ...]
    disclosure_topic: str


@dataclass(frozen=True)
class IndicatorSpec:
    number: int
    kind: str
    # The titles as shown: the document's wording with the year's figures filled in
    # (``title_templates``: that wording, e.g. "... พ.ศ. {fiscal_year}", kept for the document).
    title_th: str
    title_en: str
    rule: Any  # one of the rule dataclasses above, matching ``kind``
    title_templates: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class AttendanceParameters:
    # a meeting qualifies when present x 100 >= this x eligible
    meeting_threshold_percent: Decimal
    # the year meets indicator 16 when qualifying x 100 >= this x held
    year_threshold_percent: Decimal
    # "not less than half of all directors" (ไม่น้อยกว่ากึ่งหนึ่งของจำนวนกรรมการทั้งหมด)
    quorum_fraction: Fraction
    # NCPO Announcement 74/2557: at least a third of the quorum in one place ...
    one_place_fraction_of_quorum: Fraction
    # ... until the Emergency Decree on Electronic Meetings B.E. 2563 took effect
    electronic_meetings_from: date


@dataclass(frozen=True)
class Parameters:
    fiscal_year: int
    warning_days: int
    cabinet_plan_deadline: date | None
    attendance: AttendanceParameters
    indicators: tuple[IndicatorSpec, ...]

    def named_date(self, name: str) -> date | None:
        if name == "cabinet_plan_deadline":
            return self.cabinet_plan_deadline
        raise KeyError(name)

    def to_dict(self) -> dict:
        """The JSON document again (``parse_parameters(p.to_dict()) == p``)."""
        a = self.attendance
        return {
            "fiscal_year": self.fiscal_year,
            "warning_days": self.warning_days,
            "cabinet_plan_deadline": _iso(self.cabinet_plan_deadline),
            "attendance": {
                "meeting_threshold_percent": _number(a.meeting_threshold_percent),
                "year_threshold_percent": _number(a.year_threshold_percent),
                "quorum_fraction": _fraction_text(a.quorum_fraction),
                "one_place_fraction_of_quorum": _fraction_text(a.one_place_fraction_of_quorum),
                "electronic_meetings_from": a.electronic_meetings_from.isoformat(),
            },
            "indicators": [_indicator_dict(spec) for spec in self.indicators],
        }


# --- the FY2563 seed -------------------------------------------------------------

# The Thai titles are the seed's wording (ตัวชี้วัด ก.พ.ร. ปีงบประมาณ พ.ศ. 2563, องค์ประกอบที่ 5),
# kept verbatim so an auditor can match them to the OPDC's table.
_TITLES = {
    10: ("คณะกรรมการทบทวนผลการดำเนินงานขององค์การมหาชนเพื่อกำหนดทิศทางและนโยบายการปฏิบัติงานขององค์การมหาชน",
         "The board reviews the organisation's performance to set its direction and policy"),
    11: ("คณะกรรมการพิจารณาแผนปฏิบัติการ 5 ปี (ในวาระแรก 3 ปี พ.ศ. {plan_first_year} - {plan_last_year}) "
         "และแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {fiscal_year}",
         "The board considers the 5-year action plan (first round 3 years, {plan_first_year}-{plan_last_year}) "
         "and the annual action plan for FY{fiscal_year}"),
    12: ("คณะกรรมการพิจารณาแผนและรายงานผลการควบคุมภายใน การตรวจสอบภายใน การบริหารความเสี่ยง "
         "การบริหารงานบุคคลและการนำเทคโนโลยีดิจิทัลมาใช้ในการปฏิบัติงาน",
         "The board considers plans and reports on internal control, internal audit, risk "
         "management, HR management and the use of digital technology"),
    13: ("คณะกรรมการพิจารณารายงานผลการปฏิบัติงานด้านการเงินและรายงานด้านภารกิจหลัก "
         "โดยรายงานได้ระบุปัญหาอุปสรรคที่ผลงานไม่เป็นไปตามเป้าหมายและข้อเสนอแนะเพื่อแก้ไข",
         "The board considers financial and core-mission reports that state the problems "
         "behind missed targets and the suggested remedies"),
    14: ("คณะกรรมการควบคุมให้องค์การมหาชนมีการเบิกจ่ายงบประมาณตามแผนการใช้จ่ายเงินที่ได้รับอนุมัติจากคณะกรรมการ ณ ต้นปีงบประมาณ",
         "The board ensures the budget is disbursed according to the spending plan it "
         "approved at the start of the fiscal year"),
    15: ("คณะกรรมการกำกับให้มีการรายงานผลการดำเนินงานแก่รัฐมนตรีที่กำกับดูแลองค์การมหาชน",
         "The board ensures performance is reported to the supervising minister"),
    16: ("ในการเข้าร่วมประชุมของคณะกรรมการ ร้อยละ {year_threshold_percent} ของจำนวนการประชุม "
         "มีกรรมการเข้าประชุมร้อยละ {meeting_threshold_percent} ขึ้นไป",
         "In {year_threshold_percent}% of board meetings, {meeting_threshold_percent}% or more of the directors attend"),
    17: ("เว็บไซต์ขององค์การมหาชนมีข้อมูลสำคัญครบถ้วนและเป็นปัจจุบัน",
         "The organisation's website has complete and current key information"),
    18: ("คณะกรรมการมีการประเมินตนเอง ทั้งแบบรายบุคคลและแบบทั้งคณะ และมีการเปิดเผยผลการประเมินตนเองของคณะกรรมการในที่ประชุม "
         "และกำหนดแนวปฏิบัติเพื่อเพิ่มประสิทธิภาพในการปฏิบัติหน้าที่",
         "The board assesses itself individually and as a whole, discloses the results at a "
         "meeting, and sets guidelines to improve its effectiveness"),
}

# After the first round (3 years, 2563-2565) the 5-year plans follow the national plan's
# periods (2566-2570, ...), so indicator 11 names a 5-year period without "first round".
_PLAN_TITLES = (
    "คณะกรรมการพิจารณาแผนปฏิบัติการ 5 ปี (พ.ศ. {plan_first_year} - {plan_last_year}) "
    "และแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {fiscal_year}",
    "The board considers the 5-year action plan ({plan_first_year}-{plan_last_year}) "
    "and the annual action plan for FY{fiscal_year}",
)

#: What a title may name, as ``{name}``: the year's own figures.
TITLE_FIGURES = ("fiscal_year", "plan_first_year", "plan_last_year",
                 "meeting_threshold_percent", "year_threshold_percent")
_FIRST_PLAN = (2563, 2565)


def plan_period(fiscal_year: int) -> tuple[int, int]:
    """The first and last year of the action plan that covers ``fiscal_year``."""
    first, last = _FIRST_PLAN
    if first <= fiscal_year <= last:
        return _FIRST_PLAN
    if fiscal_year > last:
        start = last + 1 + (fiscal_year - last - 1) // 5 * 5
    else:
        start = first - 5 - (first - 1 - fiscal_year) // 5 * 5
    return start, start + 4

# Indicator 17's checklist: the website items the OPDC's FY2562 board checklist named,
# plus the founding law, executives, annual report, procurement and contact details
# (spec/indicators.md, 17).  Board structure and attendance are published by this
# tracker itself, hence "tracker".
_WEBSITE_ITEMS = (
    ("financial_analysis", "ผลการวิเคราะห์ผลการดำเนินงานด้านการเงิน", "Analysis of financial results", "current_fy"),
    ("risk_analysis", "ผลการวิเคราะห์การบริหารความเสี่ยง", "Analysis of risk-management results", "current_fy"),
    ("mission_analysis", "ผลการวิเคราะห์ผลการดำเนินงานตามภารกิจหลัก", "Analysis of core-mission results", "current_fy"),
    ("budget_and_finance", "ข้อมูลด้านงบประมาณและการเงิน", "Budget and financial data", "current_fy"),
    ("director_profiles", "ประวัติของกรรมการแต่ละคน", "Profile of each director", "current_fy"),
    ("director_attendance", "การเข้าร่วมประชุมของกรรมการ", "Directors' meeting attendance", "tracker"),
    ("board_structure", "โครงสร้างคณะกรรมการและคณะอนุกรรมการ", "Structure of the board and its sub-committees", "tracker"),
    ("missions_and_strategy", "ภารกิจหลักและแผนยุทธศาสตร์", "Core missions and strategic plan", "current_fy"),
    ("founding_law", "กฎหมายจัดตั้งองค์การมหาชน", "Founding law", "any"),
    ("executives", "ผู้บริหารองค์การมหาชน", "Executives", "current_fy"),
    ("annual_report", "รายงานประจำปี", "Annual report", "current_fy"),
    ("procurement_plan", "แผนการจัดซื้อจัดจ้าง", "Procurement plan", "current_fy"),
    ("procurement_results", "ผลการจัดซื้อจัดจ้าง", "Procurement results", "days:90"),
    ("contact", "ข้อมูลการติดต่อ", "Contact details", "any"),
)


def default_parameters(fiscal_year: int) -> dict:
    """The FY2563 framework (indicators 10-18) as a JSON document for ``fiscal_year``."""

    def indicator(number: int, kind: str, **options: Any) -> dict:
        title_th, title_en = _TITLES[number]
        if number == 11 and plan_period(fiscal_year) != _FIRST_PLAN:
            title_th, title_en = _PLAN_TITLES
        return {"number": number, "kind": kind, "title_th": title_th, "title_en": title_en, **options}

    return {
        "fiscal_year": fiscal_year,
        "warning_days": 30,
        # A date the secretary enters once the Cabinet sets it; unset until then.
        "cabinet_plan_deadline": None,
        "attendance": {
            "meeting_threshold_percent": 80,
            "year_threshold_percent": 90,
            "quorum_fraction": "1/2",
            "one_place_fraction_of_quorum": "1/3",
            "electronic_meetings_from": "2020-04-19",
        },
        "indicators": [
            indicator(10, "meeting_topic_count", topics=["performance_review"], target=1),
            indicator(11, "topics_by_deadline", topics=["five_year_plan", "annual_plan"],
                      deadline="cabinet_plan_deadline"),
            indicator(12, "quarters_per_subject",
                      subjects=["internal_control", "internal_audit", "risk_management",
                                "hr_management", "digital_technology"],
                      min_quarters=3, require_states_problems_and_remedies=False),
            indicator(13, "quarters_per_subject", subjects=["financial_report", "mission_report"],
                      min_quarters=3, require_states_problems_and_remedies=True),
            indicator(14, "budget_ratio", threshold_percent=96),
            indicator(15, "record_count", source="ministerial_reports", target=2),
            indicator(16, "attendance"),
            indicator(17, "checklist", items=[
                {"key": key, "title_th": th, "title_en": en, "freshness": freshness}
                for key, th, en, freshness in _WEBSITE_ITEMS
            ]),
            indicator(18, "self_assessment", parts=list(SELF_ASSESSMENT_PARTS),
                      disclosure_topic="self_assessment_disclosure"),
        ],
    }


# --- parsing -----------------------------------------------------------------------


def parse_parameters(raw: Any, *, defaults: dict | None = None) -> Parameters:
    """Validate a parameters document; raise ``ParameterError`` naming the first bad field.

    With ``defaults`` (e.g. ``default_parameters(fy)``), top-level keys missing from
    ``raw`` are taken from it, so a PUT may send only what changes.
    """
    if not isinstance(raw, dict):
        raise ParameterError("", "must be an object")
    if defaults is not None:
        raw = {**defaults, **raw}
    _keys(raw, "", ("fiscal_year", "warning_days", "cabinet_plan_deadline", "attendance", "indicators"))
    fiscal_year = _int(raw["fiscal_year"], "fiscal_year", minimum=2400, maximum=10_000)
    if fiscal_year > 2800:
        raise ParameterError("fiscal_year", "must be a Buddhist-Era year such as 2563")
    # A deadline of the year's criteria falls in the year, the one before (a plan is often due
    # before its year starts) or the one after.
    near = (_fiscal_year(max(fiscal_year - 1, 2400)).start, _fiscal_year(min(fiscal_year + 1, 2800)).end)
    indicators = raw["indicators"]
    if not isinstance(indicators, list) or not indicators:
        raise ParameterError("indicators", "must be a non-empty list")
    attendance = _attendance(raw["attendance"], "attendance")
    figures = _title_figures(fiscal_year, attendance)
    specs = tuple(_indicator(item, f"indicators[{i}]", figures) for i, item in enumerate(indicators))
    numbers = [spec.number for spec in specs]
    for i, number in enumerate(numbers):
        if number in numbers[:i]:
            raise ParameterError(f"indicators[{i}].number", f"indicator {number} appears twice")
    return Parameters(
        fiscal_year=fiscal_year,
        warning_days=_int(raw["warning_days"], "warning_days", minimum=0, maximum=365),
        cabinet_plan_deadline=_date(raw["cabinet_plan_deadline"], "cabinet_plan_deadline", nullable=True,
                                    within=near),
        attendance=attendance,
        indicators=specs,
    )


def _attendance(raw: Any, path: str) -> AttendanceParameters:
    _keys(raw, path, ("meeting_threshold_percent", "year_threshold_percent", "quorum_fraction",
                      "one_place_fraction_of_quorum", "electronic_meetings_from"))
    return AttendanceParameters(
        meeting_threshold_percent=_percent(raw["meeting_threshold_percent"], f"{path}.meeting_threshold_percent"),
        year_threshold_percent=_percent(raw["year_threshold_percent"], f"{path}.year_threshold_percent"),
        quorum_fraction=_fraction(raw["quorum_fraction"], f"{path}.quorum_fraction"),
        one_place_fraction_of_quorum=_fraction(raw["one_place_fraction_of_quorum"],
                                               f"{path}.one_place_fraction_of_quorum"),
        electronic_meetings_from=_date(raw["electronic_meetings_from"], f"{path}.electronic_meetings_from"),
    )


_COMMON = ("number", "kind", "title_th", "title_en")


def _indicator(raw: Any, path: str, figures: dict[str, str]) -> IndicatorSpec:
    if not isinstance(raw, dict):
        raise ParameterError(path, "must be an object")
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in _KINDS:
        raise ParameterError(f"{path}.kind", f"must be one of {', '.join(sorted(_KINDS))}")
    options, parse_rule = _KINDS[kind]
    _keys(raw, path, _COMMON + options)
    return IndicatorSpec(
        number=_int(raw["number"], f"{path}.number", minimum=1),
        kind=kind,
        title_th=_title(raw["title_th"], f"{path}.title_th", figures),
        title_en=_title(raw["title_en"], f"{path}.title_en", figures),
        rule=parse_rule(raw, path),
        title_templates=(raw["title_th"], raw["title_en"]),
    )


def _title_figures(fiscal_year: int, attendance: AttendanceParameters) -> dict[str, str]:
    first, last = plan_period(fiscal_year)
    return {"fiscal_year": str(fiscal_year), "plan_first_year": str(first), "plan_last_year": str(last),
            "meeting_threshold_percent": str(_number(attendance.meeting_threshold_percent)),
            "year_threshold_percent": str(_number(attendance.year_threshold_percent))}


def _title(raw: Any, path: str, figures: dict[str, str]) -> str:
    """A title's wording with ``{fiscal_year}`` and the other TITLE_FIGURES filled in."""
    template = _text(raw, path)
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in Formatter().parse(template)
                  if name is not None]
    except ValueError:
        raise ParameterError(path, "has an unmatched { or }; write {{ or }} for a brace") from None
    for name, spec, conversion in fields:
        if name not in figures or spec or conversion:
            named = ", ".join("{" + figure + "}" for figure in TITLE_FIGURES)
            raise ParameterError(path, f"may name only {named}; not {{{name}}}")
    return template.format_map(figures)


def _meeting_topic_count(raw: dict, path: str) -> MeetingTopicCount:
    return MeetingTopicCount(topics=_topics(raw["topics"], f"{path}.topics"),
                             target=_int(raw["target"], f"{path}.target", minimum=1))


def _topics_by_deadline(raw: dict, path: str) -> TopicsByDeadline:
    deadline = raw["deadline"]
    if deadline not in (FISCAL_YEAR_END, *NAMED_DATES):
        deadline = _date(deadline, f"{path}.deadline")
    return TopicsByDeadline(topics=_topics(raw["topics"], f"{path}.topics"), deadline=deadline)


def _quarters_per_subject(raw: dict, path: str) -> QuartersPerSubject:
    min_quarters = _int(raw["min_quarters"], f"{path}.min_quarters", minimum=1)
    if min_quarters > 4:
        raise ParameterError(f"{path}.min_quarters", "a fiscal year has only 4 quarters")
    return QuartersPerSubject(
        subjects=_topics(raw["subjects"], f"{path}.subjects"),
        min_quarters=min_quarters,
        require_states_problems_and_remedies=_bool(raw["require_states_problems_and_remedies"],
                                                   f"{path}.require_states_problems_and_remedies"),
    )


def _budget_ratio(raw: dict, path: str) -> BudgetRatio:
    return BudgetRatio(threshold_percent=_percent(raw["threshold_percent"], f"{path}.threshold_percent"))


def _record_count(raw: dict, path: str) -> RecordCount:
    if raw["source"] not in RECORD_SOURCES:
        raise ParameterError(f"{path}.source", f"must be one of {', '.join(RECORD_SOURCES)}")
    return RecordCount(source=raw["source"], target=_int(raw["target"], f"{path}.target", minimum=1))


def _attendance_rule(raw: dict, path: str) -> AttendanceRule:
    return AttendanceRule()


def _checklist(raw: dict, path: str) -> Checklist:
    items = raw["items"]
    if not isinstance(items, list) or not items:
        raise ParameterError(f"{path}.items", "must be a non-empty list")
    parsed = []
    for i, item in enumerate(items):
        item_path = f"{path}.items[{i}]"
        _keys(item, item_path, ("key", "title_th", "title_en", "freshness"))
        key = _text(item["key"], f"{item_path}.key")
        if any(done.key == key for done in parsed):
            raise ParameterError(f"{item_path}.key", f"item {key!r} appears twice")
        parsed.append(ChecklistItem(key=key, title_th=_text(item["title_th"], f"{item_path}.title_th"),
                                    title_en=_text(item["title_en"], f"{item_path}.title_en"),
                                    freshness=_freshness(item["freshness"], f"{item_path}.freshness")))
    return Checklist(items=tuple(parsed))


def _self_assessment(raw: dict, path: str) -> SelfAssessment:
    parts = raw["parts"]
    if (not isinstance(parts, list) or not parts
            or not all(isinstance(part, str) and part in SELF_ASSESSMENT_PARTS for part in parts)
            or len(set(parts)) != len(parts)):
        raise ParameterError(f"{path}.parts",
                             f"must be a non-empty list of distinct parts from {', '.join(SELF_ASSESSMENT_PARTS)}")
    topic = raw["disclosure_topic"]
    if not isinstance(topic, str) or topic not in TOPICS:
        raise ParameterError(f"{path}.disclosure_topic", f"unknown topic {topic!r}")
    return SelfAssessment(parts=tuple(parts), disclosure_topic=topic)


# kind -> (its own option keys, its parser); the rules module has the matching registry.
_KINDS: dict[str, tuple[tuple[str, ...], Callable[[dict, str], Any]]] = {
    "meeting_topic_count": (("topics", "target"), _meeting_topic_count),
    "topics_by_deadline": (("topics", "deadline"), _topics_by_deadline),
    "quarters_per_subject": (("subjects", "min_quarters", "require_states_problems_and_remedies"),
                             _quarters_per_subject),
    "budget_ratio": (("threshold_percent",), _budget_ratio),
    "record_count": (("source", "target"), _record_count),
    "attendance": ((), _attendance_rule),
    "checklist": (("items",), _checklist),
    "self_assessment": (("parts", "disclosure_topic"), _self_assessment),
}
RULE_KINDS = frozenset(_KINDS)


# --- field checks: each names the field it rejects ----------------------------------


def _keys(raw: Any, path: str, required: tuple[str, ...]) -> None:
    if not isinstance(raw, dict):
        raise ParameterError(path, "must be an object")
    for key in raw:
        if key not in required:
            raise ParameterError(_join(path, str(key)), "unknown field")
    for key in required:
        if key not in raw:
            raise ParameterError(_join(path, key), "is required")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# A count in the criteria is small: no indicator asks for more than a few dozen of anything.
MAX_COUNT = 100
#: a date outside these years is a typing slip (0001-01-01), never a criterion
EARLIEST, LATEST = date(1950, 1, 1), date(2200, 12, 31)


def _int(raw: Any, path: str, *, minimum: int, maximum: int = MAX_COUNT) -> int:
    # bool is an int in Python; true/false is never a count in a parameters document.
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise ParameterError(path, "must be a whole number")
    if raw < minimum:
        raise ParameterError(path, f"must be at least {minimum}")
    if raw > maximum:
        raise ParameterError(path, f"must be at most {maximum}")
    return raw


def _bool(raw: Any, path: str) -> bool:
    if not isinstance(raw, bool):
        raise ParameterError(path, "must be true or false")
    return raw


def _text(raw: Any, path: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ParameterError(path, "must be a non-empty string")
    return raw


def _date(raw: Any, path: str, *, nullable: bool = False,
          within: tuple[date, date] = (EARLIEST, LATEST)) -> date | None:
    """An ISO date between the two days of ``within`` (by default: any plausible date)."""
    if raw is None and nullable:
        return None
    day = _iso_date(raw, path, nullable)
    if not within[0] <= day <= within[1]:
        raise ParameterError(path, f"must fall between {within[0].isoformat()} and {within[1].isoformat()}")
    return day


def _iso_date(raw: Any, path: str, nullable: bool) -> date:
    if not isinstance(raw, str):
        raise ParameterError(path, "must be an ISO date (YYYY-MM-DD)" + (" or null" if nullable else ""))
    try:
        # fromisoformat also takes "20200419" and "2020-W16-7"; the API speaks YYYY-MM-DD only.
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise ParameterError(path, f"{raw!r} is not an ISO date (YYYY-MM-DD)") from None


def _percent(raw: Any, path: str) -> Decimal:
    # Strings and integers are exact; a float is read through its shortest repr
    # (96.5 -> Decimal("96.5")), never through its binary value.
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ParameterError(path, "must be a number")
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ParameterError(path, f"{raw!r} is not a number") from None
    if not value.is_finite() or not 0 < value <= 100:
        raise ParameterError(path, "must be a percentage above 0 and at most 100")
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        # "1E-300" or 95.555: a criterion is stated to the hundredth of a per cent at most.
        raise ParameterError(path, "must have at most two decimal places")
    return value


def _fraction(raw: Any, path: str) -> Fraction:
    if not isinstance(raw, str):
        raise ParameterError(path, 'must be a fraction written as a string, e.g. "1/3"')
    try:
        value = Fraction(raw)
    except (ValueError, ZeroDivisionError):
        raise ParameterError(path, f"{raw!r} is not a fraction such as \"1/3\"") from None
    if not 0 < value <= 1:
        raise ParameterError(path, "must be above 0 and at most 1")
    return value


def _topics(raw: Any, path: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise ParameterError(path, "must be a non-empty list of topic codes")
    for i, topic in enumerate(raw):
        if not isinstance(topic, str) or topic not in TOPICS:
            raise ParameterError(f"{path}[{i}]", f"unknown topic {topic!r}")
        if topic in raw[:i]:
            raise ParameterError(f"{path}[{i}]", f"topic {topic!r} appears twice")
    return tuple(raw)


def _freshness(raw: Any, path: str) -> str:
    if raw in ("any", "current_fy", "tracker"):
        return raw
    if isinstance(raw, str) and raw.startswith("days:"):
        days = raw.removeprefix("days:")
        if days.isascii() and days.isdigit() and int(days) >= 1:
            return raw
    raise ParameterError(path, 'must be "any", "current_fy", "tracker" or "days:N" (N >= 1)')


# --- back to JSON ------------------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _number(value: Decimal) -> int | str:
    # Whole percentages read best as numbers; anything finer stays an exact string.
    return int(value) if value == value.to_integral_value() else str(value)


def _fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _indicator_dict(spec: IndicatorSpec) -> dict:
    title_th, title_en = spec.title_templates
    out: dict[str, Any] = {"number": spec.number, "kind": spec.kind,
                           "title_th": title_th, "title_en": title_en}
    rule = spec.rule
    match rule:
        case MeetingTopicCount():
            out |= {"topics": list(rule.topics), "target": rule.target}
        case TopicsByDeadline():
            deadline = rule.deadline
            out |= {"topics": list(rule.topics),
                    "deadline": deadline.isoformat() if isinstance(deadline, date) else deadline}
        case QuartersPerSubject():
            out |= {"subjects": list(rule.subjects), "min_quarters": rule.min_quarters,
                    "require_states_problems_and_remedies": rule.require_states_problems_and_remedies}
        case BudgetRatio():
            out |= {"threshold_percent": _number(rule.threshold_percent)}
        case RecordCount():
            out |= {"source": rule.source, "target": rule.target}
        case Checklist():
            out |= {"items": [{"key": i.key, "title_th": i.title_th, "title_en": i.title_en,
                               "freshness": i.freshness} for i in rule.items]}
        case SelfAssessment():
            out |= {"parts": list(rule.parts), "disclosure_topic": rule.disclosure_topic}
    return out

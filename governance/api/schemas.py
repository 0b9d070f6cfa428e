"""Request and response models of the JSON API, shared by the views and the OpenAPI document.

Request models (``...Request``) are strict: exact JSON types, unknown fields refused, and
each knows how to become the service's input dataclass. Response models are built from
the ORM records with ``of()``; their JSON Schemas are what ``openapi.py`` publishes, so
what a view answers is exactly what the document says.

The helpers at the bottom (``respond``, ``commit``, ``fiscal_year_arg``...) are the few
things every view shares.
"""

from __future__ import annotations

import re
from datetime import UTC, date, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from flask import current_app, request
from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError
from sqlalchemy.exc import IntegrityError

from governance import fiscal
from governance.api.parsing import StrictModel
from governance.extensions import db
from governance.indicators.parameters import FISCAL_YEAR_END, NAMED_DATES, RECORD_SOURCES, SELF_ASSESSMENT_PARTS
from governance.indicators.result import Status as IndicatorStatusEnum
from governance.indicators.vocabulary import (
    AttendanceStatus,
    MeetingBody,
    MeetingKind,
    MeetingStatus,
    Position,
    Topic,
    values,
)
from governance.models import AgendaItem as AgendaItemRecord
from governance.models import AgendaSection, AssessmentForm, Confidentiality
from governance.models import AssessmentQuestion as AssessmentQuestionRecord
from governance.models import AssessmentResponse as AssessmentResponseRecord
from governance.models import Attendance as AttendanceRecord
from governance.models import BudgetMonth as BudgetMonthRecord
from governance.models import Director as DirectorRecord
from governance.models import Meeting as MeetingRecord
from governance.models import MinisterialReport as MinisterialReportRecord
from governance.models import SelfAssessment as SelfAssessmentRecord
from governance.services import budget as budget_service
from governance.services import directors as director_service
from governance.services import meetings as meeting_service
from governance.services import reports as report_service
from governance.services import self_assessment as assessment_service
from governance.services import website as website_service
from governance.services.confidentiality import Reader
from governance.services.errors import CONTROL_CHARACTERS, Conflict, ValidationFailed

# Patterns spell digits [0-9]: `\d` would also match Thai digits (๐-๙).
MONEY_IN_PATTERN = r"^[0-9]+(\.[0-9]{1,2})?$"
MONEY_OUT_PATTERN = r"^[0-9]+\.[0-9]{2}$"
_MONEY_SYNTAX = re.compile(r"-?[0-9]+(\.[0-9]+)?")
HH_MM_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
FISCAL_YEAR_MIN, FISCAL_YEAR_MAX = 2400, 2800
#: ids are 32-bit integer keys; a larger number in a path is a 404, in a body a 422 (not a driver overflow)
ID_MAX = 2**31 - 1
ID = f"int(max={ID_MAX})"  # the URL converter for record ids: "/directors/<{ID}:director_id>"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control_characters(value: str) -> str:
    # PostgreSQL cannot store NUL at all; the other control characters are never meant.
    if _CONTROL.search(value):
        raise PydanticCustomError("control_character", "Remove the control character from this text.")
    return value


#: text a person typed: any Unicode (Thai as is), but no control characters (line breaks and tabs allowed)
Text = Annotated[str, AfterValidator(_no_control_characters)]

def _one_line(value: str) -> str:
    # A title, number, place or name reaches email subjects and calendar lines: a line break
    # there could forge a header. (The services refuse it too, with the same words.)
    if CONTROL_CHARACTERS.search(value):
        raise PydanticCustomError("line_break", "Keep this to one line: remove the line break or control character.")
    return value


#: one line of text a person typed: no line break, tab or other control character
Line = Annotated[str, AfterValidator(_one_line)]


def _money_in(value: Any) -> Decimal:
    """Money arrives as a decimal string; a JSON number (a float) is refused outright.

    Sign, places and size are the budget service's rules, so it names those problems.
    """
    if not isinstance(value, str):
        raise PydanticCustomError(
            "money_type", 'Send the amount as a decimal string such as "1234567.89", not a number.')
    if not _MONEY_SYNTAX.fullmatch(value):
        raise PydanticCustomError(
            "money_syntax", 'Enter the amount in baht as a decimal string such as "1234567.89".')
    return Decimal(value)


MoneyIn = Annotated[
    Decimal,
    PlainValidator(_money_in),
    WithJsonSchema({
        "type": "string", "pattern": MONEY_IN_PATTERN, "examples": ["1234567.89"],
        "description": "Baht as a decimal string, at most two places, not negative; never a JSON number.",
    }),
]
MoneyOut = Annotated[
    str,
    Field(pattern=MONEY_OUT_PATTERN, examples=["1234567.89"],
          description="Baht as a decimal string with exactly two places."),
]


def money_text(satang: int) -> str:
    sign = "-" if satang < 0 else ""
    whole, cents = divmod(abs(satang), 100)
    return f"{sign}{whole}.{cents:02d}"


# ---------------------------------------------------------------------------- errors


class ErrorDetail(BaseModel):
    code: str = Field(examples=["validation_failed"])
    message: str
    fields: dict[str, str] = Field(
        description="Each offending field (e.g. `term_end`, `[2].director_id`, `months[0].planned`) "
                    "with what is wrong with it; empty when the error is not about a field.")


class Error(BaseModel):
    """Every 4xx answer: nothing was written."""

    error: ErrorDetail


# ---------------------------------------------------------------------------- auth


class Token(BaseModel):
    token: str
    expires_at: str = Field(description="ISO 8601 timestamp with offset.")
    role: str = Field(examples=["secretary"])


class ApiTokenOut(BaseModel):
    """One of the caller's API tokens; the token itself is never shown again (only its hash is kept)."""

    id: int
    created_at: str = Field(description="ISO 8601 timestamp with offset (UTC).")
    expires_at: str = Field(description="ISO 8601 timestamp with offset (UTC).")
    revoked: bool

    @classmethod
    def of(cls, record) -> ApiTokenOut:
        return cls(id=record.id, created_at=_utc_iso(record.created_at), expires_at=_utc_iso(record.expires_at),
                   revoked=record.revoked_at is not None)


def _utc_iso(moment) -> str:
    # SQLite hands back naive datetimes; every stored timestamp is UTC.
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


utc_iso = _utc_iso  # for the resource modules' own models


# ---------------------------------------------------------------------------- directors


class DirectorRequest(StrictModel):
    name: Line = Field(min_length=1, max_length=200)
    email: EmailStr | None = Field(default=None, max_length=254)
    position: Position
    term_start: date
    term_end: date | None = None
    counts_for_attendance: bool = True

    def to_input(self) -> director_service.DirectorInput:
        return director_service.DirectorInput(
            name=self.name, position=self.position, term_start=self.term_start, term_end=self.term_end,
            email=self.email, counts_for_attendance=self.counts_for_attendance)


class Director(BaseModel):
    id: int
    name: str
    email: str | None
    position: Position
    term_start: date
    term_end: date | None
    counts_for_attendance: bool

    @classmethod
    def of(cls, record: DirectorRecord) -> Director:
        return cls(id=record.id, name=record.name, email=record.email, position=record.position,
                   term_start=record.term_start, term_end=record.term_end,
                   counts_for_attendance=record.counts_for_attendance)


# ---------------------------------------------------------------------------- meetings


class MeetingRequest(StrictModel):
    held_on: date
    kind: MeetingKind
    number: Line = Field(min_length=1, max_length=40, examples=["3/2563"])
    title: Line = Field(min_length=1, max_length=300)
    status: MeetingStatus
    body: MeetingBody = MeetingBody.BOARD
    starts_at: Annotated[str, Field(pattern=HH_MM_PATTERN, examples=["09:30"])] | None = None
    ends_at: Annotated[str, Field(pattern=HH_MM_PATTERN, examples=["12:00"],
                                  description="When it ended, the same day, after `starts_at`.")] | None = None
    place: Line | None = Field(default=None, max_length=300)

    def to_input(self) -> meeting_service.MeetingInput:
        return meeting_service.MeetingInput(
            held_on=self.held_on, kind=self.kind, number=self.number, title=self.title,
            status=self.status, body=self.body, starts_at=_clock_time(self.starts_at),
            ends_at=_clock_time(self.ends_at), place=self.place)


def _clock_time(text: str | None) -> time | None:
    if text is None:
        return None
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


class Meeting(BaseModel):
    id: int
    held_on: date
    kind: MeetingKind
    number: str
    title: str
    status: MeetingStatus
    body: MeetingBody
    starts_at: Annotated[str, Field(pattern=HH_MM_PATTERN)] | None
    ends_at: Annotated[str, Field(pattern=HH_MM_PATTERN)] | None = None
    place: str | None
    fiscal_year: int = Field(description="Buddhist-Era fiscal year of `held_on` (never of the number).")
    quarter: int = Field(ge=1, le=4, description="Fiscal quarter of `held_on`: 1 is Oct-Dec.")

    @classmethod
    def of(cls, record: MeetingRecord) -> Meeting:
        return cls(
            id=record.id, held_on=record.held_on, kind=record.kind, number=record.number,
            title=record.title, status=record.status, body=record.body,
            starts_at=None if record.starts_at is None else record.starts_at.strftime("%H:%M"),
            ends_at=None if record.ends_at is None else record.ends_at.strftime("%H:%M"),
            place=record.place, fiscal_year=fiscal.fiscal_year_of(record.held_on),
            quarter=fiscal.quarter_of(record.held_on))


class AttendanceRowRequest(StrictModel):
    director_id: int = Field(ge=1, le=ID_MAX)
    status: AttendanceStatus

    def to_input(self) -> meeting_service.AttendanceRow:
        return meeting_service.AttendanceRow(director_id=self.director_id, status=self.status)


class AttendanceRow(BaseModel):
    director_id: int
    status: AttendanceStatus

    @classmethod
    def of(cls, record: AttendanceRecord) -> AttendanceRow:
        return cls(director_id=record.director_id, status=record.status)


def attendance_of(meeting: MeetingRecord) -> list[AttendanceRow]:
    return [AttendanceRow.of(a) for a in sorted(meeting.attendances, key=lambda a: a.director_id)]


class AgendaItemRequest(StrictModel):
    topic: Topic
    title: Line = Field(min_length=1, max_length=500)
    states_problems_and_remedies: bool = False
    section: AgendaSection | None = Field(
        default=None, description="Its section of the standard Thai agenda. Omitted: `for_consideration` for a "
                                  "new item, unchanged for an edited one.")
    resolution: str | None = Field(
        default=None, max_length=10000,
        description="The board's resolution (มติ). Omitted or null: unchanged; an empty string clears it.")
    confidentiality: Confidentiality | None = Field(
        default=None, description="`confidential` (วาระลับ): its papers, resolution and action items are for the "
                                  "directors in office on the meeting's day and the secretariat; `title_hidden`: "
                                  "its title too. Omitted: `open` for a new item, unchanged for an edited one.")

    def to_input(self) -> meeting_service.AgendaItemInput:
        return meeting_service.AgendaItemInput(
            topic=self.topic, title=self.title, states_problems_and_remedies=self.states_problems_and_remedies,
            section=self.section, resolution=self.resolution, confidentiality=self.confidentiality)


class AgendaItem(BaseModel):
    id: int
    meeting_id: int
    section: AgendaSection = Field(description="Its section; sections follow the standard order "
                                               "(chair_announcements ... other_business).")
    position: int = Field(description="Order within its section, from 1.")
    topic: Topic
    title: str | None = Field(description="Null when the title is hidden and the caller is not entitled "
                                          "(see `confidentiality`).")
    states_problems_and_remedies: bool
    resolution: str | None = Field(description="Null when none is recorded, or when the item is confidential and "
                                               "the caller is not entitled.")
    confidentiality: Confidentiality
    withheld: bool = Field(description="True when this caller is not entitled to the confidential content: only the "
                                       "directors in office on the meeting's day and the secretariat are.")

    @classmethod
    def of(cls, record: AgendaItemRecord, reader: Reader) -> AgendaItem:
        reads = reader.reads_item(record)
        return cls(id=record.id, meeting_id=record.meeting_id, section=record.section, position=record.position,
                   topic=record.topic, title=record.title if reader.sees_title(record) else None,
                   states_problems_and_remedies=record.states_problems_and_remedies,
                   resolution=record.resolution if reads else None, confidentiality=record.confidentiality,
                   withheld=not reads)


# ---------------------------------------------------------------------------- ministerial reports


class MinisterialReportRequest(StrictModel):
    sent_on: date
    title: Line = Field(min_length=1, max_length=300)
    period_start: date
    period_end: date

    def to_input(self) -> report_service.ReportInput:
        return report_service.ReportInput(
            sent_on=self.sent_on, title=self.title, period_start=self.period_start, period_end=self.period_end)


class MinisterialReport(BaseModel):
    id: int
    sent_on: date
    title: str
    period_start: date
    period_end: date
    fiscal_year: int = Field(description="Buddhist-Era fiscal year of `sent_on`, the one it counts for.")

    @classmethod
    def of(cls, record: MinisterialReportRecord) -> MinisterialReport:
        return cls(id=record.id, sent_on=record.sent_on, title=record.title, period_start=record.period_start,
                   period_end=record.period_end, fiscal_year=fiscal.fiscal_year_of(record.sent_on))


# ---------------------------------------------------------------------------- budget


class BudgetMonthRequest(StrictModel):
    month: str = Field(pattern=MONTH_PATTERN, examples=["2019-10"], description="CE month `YYYY-MM`.")
    planned: MoneyIn
    actual: MoneyIn | None = None

    def to_input(self) -> budget_service.BudgetMonthInput:
        return budget_service.BudgetMonthInput(month=self.month, planned=self.planned, actual=self.actual)


class BudgetRequest(StrictModel):
    """The whole year's plan: months left out are removed."""

    months: list[BudgetMonthRequest] = Field(max_length=12)

    def to_input(self) -> list[budget_service.BudgetMonthInput]:
        return [month.to_input() for month in self.months]


class BudgetMonth(BaseModel):
    month: str = Field(pattern=MONTH_PATTERN)
    planned: MoneyOut
    actual: MoneyOut | None = Field(description="null until the month's actual disbursement is known.")


class BudgetTotals(BaseModel):
    planned: MoneyOut = Field(description="Sum of every month's plan.")
    actual: MoneyOut = Field(description="Sum of the actuals known so far.")
    planned_for_months_with_actual: MoneyOut = Field(
        description="Sum of the plan over the months whose actual is known, to compare with `actual`.")
    months_with_actual: int


class Budget(BaseModel):
    fiscal_year: int
    months: list[BudgetMonth]
    totals: BudgetTotals

    @classmethod
    def of(cls, fiscal_year: int, records: list[BudgetMonthRecord]) -> Budget:
        known = [r for r in records if r.actual_satang is not None]
        return cls(
            fiscal_year=fiscal_year,
            months=[BudgetMonth(month=r.month, planned=money_text(r.planned_satang),
                                actual=None if r.actual_satang is None else money_text(r.actual_satang))
                    for r in records],
            totals=BudgetTotals(
                planned=money_text(sum(r.planned_satang for r in records)),
                actual=money_text(sum(r.actual_satang for r in known)),
                planned_for_months_with_actual=money_text(sum(r.planned_satang for r in known)),
                months_with_actual=len(known)))


# ---------------------------------------------------------------------------- indicators
# GET /fiscal-years/{fy}/indicators and /attendance answer what the engine's ``to_dict()``
# gives (spec/api.md, "Indicator results"); these models describe that shape, and the
# views pass it through them, so an answer is exactly what the document says.

#: spec/indicators.md, "Statuses"
IndicatorStatus = Literal[tuple(values(IndicatorStatusEnum))]  # type: ignore[valid-type]
#: where a topics_by_deadline indicator's deadline may come from, besides a fixed date
NamedDeadline = Literal[(FISCAL_YEAR_END, *NAMED_DATES)]  # type: ignore[valid-type]
RecordSource = Literal[RECORD_SOURCES]  # type: ignore[valid-type]
SelfAssessmentPart = Literal[SELF_ASSESSMENT_PARTS]  # type: ignore[valid-type]
EVIDENCE_KINDS = ("meeting", "agenda_item", "ministerial_report", "budget_month", "website_item",
                  "self_assessment_submission")


def _evidence_schema(schema: dict) -> None:
    # Documented but not declared, so a record without an id (a budget month) gains no null id.
    schema["properties"]["id"] = {
        "type": "integer", "description": "The record's id (meetings, agenda items, reports, website items)."}
    schema["properties"]["held_on"] = {"type": "string", "format": "date",
                                       "description": "For a meeting or an agenda item: the meeting's date."}


class Evidence(BaseModel):
    """A record that counts for the indicator, with what an auditor needs to open it."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_evidence_schema)

    kind: str = Field(
        examples=["meeting"],
        description="What the record is: " + ", ".join(f"`{k}`" for k in EVIDENCE_KINDS)
                    + ". The other fields depend on it (e.g. `id`, `held_on`, `meeting_id`, `topic`, `in_time`).")


class Needed(BaseModel):
    """Something still needed to meet the indicator, as a code with its particulars."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(examples=["subject_quarters"],
                      description="e.g. `topic_meetings`, `deadline_unset`, `topic_by_deadline`, "
                                  "`subject_quarters`, `budget_shortfall`, `qualifying_meetings`, "
                                  "`website_item`, `self_assessment_part`; the other fields depend on it.")


class IndicatorResult(BaseModel):
    number: int = Field(ge=1, examples=[16], description="The OPDC's indicator number (FY2563: 10 to 18).")
    status: IndicatorStatus = Field(
        description="`met`: satisfied; `missed`: can no longer be satisfied this fiscal year; `at_risk`: still "
                    "possible but the deadline is near or no further miss can be absorbed; `on_track`: otherwise.")
    value: int | float | None = Field(
        examples=[90.0],
        description="The measured figure: a count for 10 and 15, a percentage for 14 and 16, and for 11, 12, 13, "
                    "17 and 18 the share of their parts that are done, as a percentage (parts in `detail`). "
                    "null when there is nothing to measure yet (no meeting held, no budget actual, the "
                    "Cabinet's deadline not yet entered).")
    target: int | float = Field(examples=[90], description="The figure `value` must reach.")
    detail: dict[str, Any] = Field(description="The parts behind `value`; the keys depend on the indicator.")
    evidence: list[Evidence]
    deadline: date | None = Field(description="When it must be met; null while the deadline is not set.")
    needed: list[Needed] = Field(description="What is still missing; empty when met.")


class Indicators(BaseModel):
    fiscal_year: int = Field(examples=[2563])
    as_of: date = Field(description="Only what happened on or before this date counts.")
    indicators: list[IndicatorResult] = Field(description="One per indicator of the year's framework, in order.")

    @classmethod
    def of(cls, fiscal_year: int, as_of: date, results: list) -> Indicators:
        return cls(fiscal_year=fiscal_year, as_of=as_of,
                   indicators=[IndicatorResult.model_validate(result.to_dict()) for result in results])


class MeetingAttendanceSummary(BaseModel):
    meeting_id: int
    held_on: date
    number: str
    eligible: int = Field(ge=0, description="Directors in office on the day who count for attendance.")
    present: int = Field(ge=0, description="Eligible directors present in person or online.")
    rate: float | None = Field(description="present / eligible x 100, two decimals; null when nobody was eligible.")
    qualifies: bool = Field(description="present x 100 >= the meeting threshold (80) x eligible, exactly.")
    in_person: int = Field(ge=0)
    quorum: int = Field(ge=0, description="The fewest directors present for a quorum.")
    quorate: bool
    one_place_flag: bool = Field(
        description="Held before electronic meetings were allowed with fewer than a third of the quorum in one "
                    "place: for the secretary to look at; it does not change `qualifies`.")
    eligible_director_ids: list[int]
    present_director_ids: list[int]


class DirectorAttendanceSummary(BaseModel):
    director_id: int
    name: str
    attended: int = Field(ge=0, description="Held board meetings attended while eligible.")
    eligible_meetings: int = Field(ge=0, description="Held board meetings during the director's term.")


class AttendanceTotals(BaseModel):
    meetings_held: int = Field(ge=0)
    meetings_qualifying: int = Field(ge=0)
    meetings_remaining: int = Field(ge=0, description="Board meetings still to come this year, not cancelled.")
    rate: float | None = Field(description="qualifying / held x 100, two decimals; null while none is held.")
    can_absorb: int = Field(
        description="How many of the remaining meetings may still fail to qualify; negative when even all "
                    "of them qualifying would not do.")
    status: IndicatorStatus
    meeting_threshold_percent: float
    year_threshold_percent: float
    unrecorded_meeting_ids: list[int] = Field(
        description="Board meetings dated before `as_of` still recorded as planned: neither held nor remaining.")


class AttendanceReport(BaseModel):
    """Indicator 16 meeting by meeting: each held board meeting of the year up to `as_of`."""

    fiscal_year: int = Field(examples=[2563])
    as_of: date
    meetings: list[MeetingAttendanceSummary]
    directors: list[DirectorAttendanceSummary]
    totals: AttendanceTotals

    @classmethod
    def of(cls, report) -> AttendanceReport:
        return cls.model_validate(report.to_dict())


# ---------------------------------------------------------------------------- fiscal-year parameters
# The document is validated by the engine (governance.indicators.parameters), which names
# the offending field; these models only describe it.

_PERCENT_SCHEMA = {
    "anyOf": [{"type": "number", "exclusiveMinimum": 0, "maximum": 100},
              {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?$"}],
    "description": "A percentage above 0 and at most 100: a whole number, or an exact decimal string (\"96.5\").",
}
PercentParameter = Annotated[int | float | str, WithJsonSchema(_PERCENT_SCHEMA)]
FractionParameter = Annotated[str, Field(pattern=r"^[0-9]+/[0-9]*[1-9][0-9]*$", examples=["1/3"],
                                         description="A fraction above 0 and at most 1, as a string.")]
ParameterText = Annotated[str, Field(min_length=1)]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AttendanceParameters(_Closed):
    meeting_threshold_percent: PercentParameter = Field(
        description="A meeting qualifies when present x 100 >= this x eligible (80).")
    year_threshold_percent: PercentParameter = Field(
        description="The year meets indicator 16 when qualifying x 100 >= this x held (90).")
    quorum_fraction: FractionParameter = Field(description="Quorum: not less than this share of all directors.")
    one_place_fraction_of_quorum: FractionParameter = Field(
        description="Before `electronic_meetings_from`, the share of the quorum to meet in one place.")
    electronic_meetings_from: date = Field(description="When online attendance began to count as in person.")


_TITLE = ("The indicator's wording. It may name the year's own figures as {fiscal_year}, "
          "{plan_first_year}, {plan_last_year}, {meeting_threshold_percent} and {year_threshold_percent}, "
          "filled in where the title is shown; a literal brace is written {{ or }}.")


class _IndicatorSpec(_Closed):
    number: int = Field(ge=1)
    title_th: ParameterText = Field(description=_TITLE)
    title_en: ParameterText = Field(description=_TITLE)


class MeetingTopicCountSpec(_IndicatorSpec):
    """Held meetings with an item on one of the topics (FY2563: 10)."""

    kind: Literal["meeting_topic_count"]
    topics: list[Topic] = Field(min_length=1)
    target: int = Field(ge=1)


class TopicsByDeadlineSpec(_IndicatorSpec):
    """Every topic considered at a held meeting on or before a deadline (FY2563: 11)."""

    kind: Literal["topics_by_deadline"]
    topics: list[Topic] = Field(min_length=1)
    deadline: NamedDeadline | date = Field(
        description="`fy_end`, the name of a date of the document (`cabinet_plan_deadline`), or a fixed date.")


class QuartersPerSubjectSpec(_IndicatorSpec):
    """Distinct fiscal quarters in which each subject was considered (FY2563: 12, 13)."""

    kind: Literal["quarters_per_subject"]
    subjects: list[Topic] = Field(min_length=1)
    min_quarters: int = Field(ge=1, le=4)
    require_states_problems_and_remedies: bool


class BudgetRatioSpec(_IndicatorSpec):
    """Cumulative actual / plan x 100 against a threshold (FY2563: 14)."""

    kind: Literal["budget_ratio"]
    threshold_percent: PercentParameter


class RecordCountSpec(_IndicatorSpec):
    """Records sent within the year (FY2563: 15)."""

    kind: Literal["record_count"]
    source: RecordSource
    target: int = Field(ge=1)


class AttendanceSpec(_IndicatorSpec):
    """Share of meetings with enough directors present (FY2563: 16); its numbers are in `attendance`."""

    kind: Literal["attendance"]


class ChecklistItemSpec(_Closed):
    key: ParameterText
    title_th: ParameterText
    title_en: ParameterText
    freshness: str = Field(
        pattern=r"^(any|current_fy|tracker|days:[0-9]*[1-9][0-9]*)$", examples=["current_fy"],
        description="`any` (present is enough), `current_fy` (updated within the fiscal year), `days:N` "
                    "(updated within N days), `tracker` (published by this tracker).")


class ChecklistSpec(_IndicatorSpec):
    """Every website item present and current (FY2563: 17)."""

    kind: Literal["checklist"]
    items: list[ChecklistItemSpec] = Field(min_length=1, description="Keys are distinct.")


class SelfAssessmentSpec(_IndicatorSpec):
    """The parts of the board's self-assessment done by the year's end (FY2563: 18)."""

    kind: Literal["self_assessment"]
    parts: list[SelfAssessmentPart] = Field(
        min_length=1, json_schema_extra={"uniqueItems": True})
    disclosure_topic: Topic


IndicatorSpec = Annotated[
    MeetingTopicCountSpec | TopicsByDeadlineSpec | QuartersPerSubjectSpec | BudgetRatioSpec | RecordCountSpec
    | AttendanceSpec | ChecklistSpec | SelfAssessmentSpec,
    Field(discriminator="kind"),
]


class Parameters(_Closed):
    """A fiscal year's criteria, as data (spec/indicators.md, "Frameworks as data").

    Until an admin or the secretary changes it, a year has the FY2563 framework (10 to 18).
    """

    fiscal_year: int = Field(ge=FISCAL_YEAR_MIN, le=FISCAL_YEAR_MAX, examples=[2563])
    warning_days: int = Field(ge=0, description="A requirement not yet met is `at_risk` this many days before "
                                                "its deadline (30).")
    cabinet_plan_deadline: date | None = Field(
        description="The Cabinet's deadline for the plans (indicator 11), entered by the secretary; "
                    "null until then, and indicator 11 says so instead of guessing.")
    attendance: AttendanceParameters
    indicators: list[IndicatorSpec] = Field(min_length=1, description="Indicator numbers are distinct.")


def _no_defaults(schema: dict) -> None:
    # Every key is optional, but one left out keeps its stored value: there is no default.
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


class ParametersUpdate(_Closed):
    """Any of the document's top-level keys: each one sent replaces the stored one (an object or a list
    whole), the others stay. The engine validates the result and names the first bad field."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_no_defaults)

    # Typed as in `Parameters` (not nullable) with a placeholder default only to make each key optional;
    # this model only documents the body, which the engine validates.
    fiscal_year: int = Field(default=None, ge=FISCAL_YEAR_MIN, le=FISCAL_YEAR_MAX,
                             description="If sent, the year in the URL.")
    warning_days: int = Field(default=None, ge=0)
    cabinet_plan_deadline: date | None = Field(default=None, examples=["2019-12-31"],
                                               description="The Cabinet's deadline for the plans; null unsets it.")
    attendance: AttendanceParameters = Field(default=None, description="The whole object.")
    indicators: list[IndicatorSpec] = Field(default=None, min_length=1, description="The whole list.")


# ---------------------------------------------------------------------------- website checklist (indicator 17)


class WebsiteItemRequest(StrictModel):
    """Where a checklist item is published and when it was last updated; both are replaced."""

    url: Line | None = Field(
        max_length=1000, examples=["https://www.example.go.th/about/annual-report"],
        description="The page's full address (http:// or https://); null or empty: not published.")
    last_updated_on: date | None = Field(description="When the page was last updated; null if unknown.")


class WebsiteItem(BaseModel):
    """A required item of the year's website checklist with the organisation's evidence for it."""

    id: int | None = Field(description="The record's id (indicator 17's evidence cites it); null until the "
                                       "item's address or date is first recorded.")
    key: str = Field(examples=["annual_report"], description="The item's key in the year's checklist parameter.")
    title_th: str
    title_en: str
    freshness: str = Field(
        examples=["current_fy"],
        description="`any` (present is enough), `current_fy` (updated within the fiscal year), `days:N` "
                    "(updated within N days), `tracker` (published by this tracker).")
    url: str | None
    last_updated_on: date | None
    present: bool = Field(description="The item has an address.")
    current: bool = Field(description="Present and up to date by its freshness rule, as of `as_of` (or the "
                                      "fiscal year's last day for a year that is over).")

    @classmethod
    def of(cls, row: website_service.ChecklistRow) -> WebsiteItem:
        record = row.record
        return cls(id=record.id if record else None, key=row.item.key, title_th=row.item.title_th,
                   title_en=row.item.title_en, freshness=row.item.freshness,
                   url=record.url if record else None, last_updated_on=record.last_updated_on if record else None,
                   present=row.present, current=row.current)


class WebsiteChecklist(BaseModel):
    """Every item the year's checklist requires (indicator 17 is met when all are current)."""

    fiscal_year: int = Field(examples=[2563])
    as_of: date
    items: list[WebsiteItem] = Field(description="In the order of the year's checklist parameter.")

    @classmethod
    def of(cls, fiscal_year: int, as_of: date, rows: list[website_service.ChecklistRow]) -> WebsiteChecklist:
        return cls(fiscal_year=fiscal_year, as_of=as_of, items=[WebsiteItem.of(row) for row in rows])


# ---------------------------------------------------------------------------- self-assessment (indicator 18)
# Individual answers are anonymous: no summary names a director or carries a director's
# id, and a director reads only their own answers.



def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "Enter the text; it may not be only spaces.")
    return value


#: what a question's text may hold (the column's size); blank text is refused
QuestionText = Annotated[Line, Field(min_length=1, max_length=500), AfterValidator(_not_blank)]
#: a rating: 1 to the question's `scale_max` (at most 10)
Rating = Annotated[int, Field(ge=1, le=10, description="From 1 to the question's `scale_max`.")]
AVERAGE_PATTERN = r"^[0-9]+\.[0-9]{2}$"


class OpenSelfAssessmentRequest(StrictModel):
    closing_on: date | None = Field(
        default=None, examples=["2020-08-31"],
        description="Individual assessments are due by this day, which falls in the fiscal year; the directors "
                    "in office then must submit. null: set it later.")


class SelfAssessmentRequest(StrictModel):
    """The year's settings, all three replaced (send null to clear one)."""

    closing_on: date | None = Field(examples=["2020-08-31"], description="Falls in the fiscal year.")
    guidelines: Text | None = Field(
        max_length=20000,
        description="The practices the board set to improve its effectiveness (แนวปฏิบัติ); "
                    "given together with `guidelines_recorded_on`.")
    guidelines_recorded_on: date | None = Field(description="The day the board set the guidelines.")


class QuestionRequest(StrictModel):
    text_th: QuestionText
    text_en: QuestionText
    scale_max: int = Field(default=5, ge=2, le=10, description="Ratings run from 1 to this.")

    def to_input(self) -> assessment_service.QuestionInput:
        return assessment_service.QuestionInput(text_th=self.text_th, text_en=self.text_en, scale_max=self.scale_max)


class AnswerRequest(StrictModel):
    question_id: int = Field(ge=1, le=ID_MAX, description="A question of this form.")
    rating: Rating
    comment: Text | None = Field(default=None, max_length=5000)

    def to_input(self) -> assessment_service.AnswerInput:
        return assessment_service.AnswerInput(question_id=self.question_id, rating=self.rating, comment=self.comment)


class AssessmentResponseRequest(StrictModel):
    """A filled-in form: one answer to every question of the form; a resubmission replaces the answers."""

    answers: list[AnswerRequest] = Field(max_length=200)
    comments: Text | None = Field(default=None, max_length=20000, description="Comments on the form as a whole.")

    def to_inputs(self) -> list[assessment_service.AnswerInput]:
        return [answer.to_input() for answer in self.answers]


class AssessmentQuestion(BaseModel):
    id: int
    form: AssessmentForm
    position: int = Field(ge=1, description="Order in the form, from 1.")
    text_th: str
    text_en: str
    scale_max: int = Field(ge=2, le=10, description="Ratings run from 1 to this.")

    @classmethod
    def of(cls, record: AssessmentQuestionRecord) -> AssessmentQuestion:
        return cls(id=record.id, form=record.form, position=record.position, text_th=record.text_th,
                   text_en=record.text_en, scale_max=record.scale_max)


def questions_of(assessment: SelfAssessmentRecord, form: AssessmentForm) -> list[AssessmentQuestion]:
    return [AssessmentQuestion.of(q) for q in assessment_service.questions_of(assessment, form)]


class AssessmentQuestions(BaseModel):
    individual: list[AssessmentQuestion] = Field(description="Each director's own form.")
    whole_board: list[AssessmentQuestion] = Field(description="The board's form as a whole.")


class RosterEntry(BaseModel):
    director_id: int
    name: str
    submitted_on: date | None = Field(description="When the director last submitted; null: not yet.")


class OutstandingDirector(BaseModel):
    director_id: int
    name: str


class AssessmentProgress(BaseModel):
    """Who must submit: the directors (who count for attendance) in office on the closing date, or today
    until it is set."""

    roster_count: int = Field(ge=0, description="Directors who must submit an individual assessment.")
    submitted_count: int = Field(ge=0, description="Of them, those who have submitted.")
    not_submitted_count: int = Field(ge=0)
    whole_board_submitted_on: date | None = Field(description="When the whole-board form was filled in.")
    roster: list[RosterEntry] | None = Field(
        description="By name, with when each submitted; null for a director, who sees only the counts.")
    not_submitted: list[OutstandingDirector] | None = Field(
        description="Who has not submitted yet; null for a director.")

    @classmethod
    def of(cls, progress: assessment_service.Progress, *, with_names: bool) -> AssessmentProgress:
        submitted = [d for d in progress.roster if d.id in progress.submitted]
        return cls(
            roster_count=len(progress.roster), submitted_count=len(submitted),
            not_submitted_count=len(progress.roster) - len(submitted),
            whole_board_submitted_on=progress.whole_board_on,
            roster=[RosterEntry(director_id=d.id, name=d.name, submitted_on=progress.submitted.get(d.id))
                    for d in progress.roster] if with_names else None,
            not_submitted=[OutstandingDirector(director_id=d.id, name=d.name) for d in progress.outstanding]
            if with_names else None)


class SelfAssessment(BaseModel):
    """The year's self-assessment: its settings, its two forms and how far the directors have got."""

    id: int
    fiscal_year: int = Field(examples=[2563])
    closing_on: date | None = Field(description="Individual assessments are due by this day.")
    closed: bool = Field(description="The closing date has passed or the fiscal year has ended: directors may "
                                     "read the anonymous summary.")
    guidelines: str | None = Field(description="The practices the board set to improve its effectiveness.")
    guidelines_recorded_on: date | None
    questions: AssessmentQuestions
    progress: AssessmentProgress

    @classmethod
    def of(cls, record: SelfAssessmentRecord, progress: assessment_service.Progress, *, closed: bool,
           with_names: bool) -> SelfAssessment:
        return cls(
            id=record.id, fiscal_year=record.fiscal_year, closing_on=record.closing_on, closed=closed,
            guidelines=record.guidelines, guidelines_recorded_on=record.guidelines_recorded_on,
            questions=AssessmentQuestions(individual=questions_of(record, AssessmentForm.INDIVIDUAL),
                                          whole_board=questions_of(record, AssessmentForm.WHOLE_BOARD)),
            progress=AssessmentProgress.of(progress, with_names=with_names))


class AssessmentAnswer(BaseModel):
    question_id: int
    rating: int = Field(ge=1, le=10)
    comment: str | None


class AssessmentResponse(BaseModel):
    """A submitted form: the caller's own individual form, or the board's whole-board form."""

    fiscal_year: int = Field(examples=[2563])
    form: AssessmentForm
    submitted_on: date
    comments: str | None
    answers: list[AssessmentAnswer] = Field(description="In the form's order.")

    @classmethod
    def of(cls, record: AssessmentResponseRecord) -> AssessmentResponse:
        order = {q.id: (q.position, q.id) for q in record.assessment.questions}
        answers = sorted(record.answers, key=lambda a: order.get(a.question_id, (0, a.question_id)))
        return cls(fiscal_year=record.assessment.fiscal_year, form=record.form, submitted_on=record.submitted_on,
                   comments=record.comments,
                   answers=[AssessmentAnswer(question_id=a.question_id, rating=a.rating, comment=a.comment)
                            for a in answers])


class QuestionSummary(BaseModel):
    question_id: int
    position: int = Field(ge=1)
    text_th: str
    text_en: str
    scale_max: int = Field(ge=2, le=10)
    responses: int = Field(ge=0, description="How many submitted forms rated this question.")
    average: Annotated[str, Field(pattern=AVERAGE_PATTERN)] | None = Field(
        examples=["4.50"], description="Mean rating as a decimal string with two places; null with no rating.")
    comments: list[str] = Field(description="The comments given on this question, sorted, without who gave them.")


class AssessmentSummary(BaseModel):
    """The anonymous results of one form: averages, counts and comments, never who gave them."""

    fiscal_year: int = Field(examples=[2563])
    form: AssessmentForm
    questions: list[QuestionSummary]

    @classmethod
    def of(cls, fiscal_year: int, form: AssessmentForm,
           rows: list[assessment_service.QuestionSummary]) -> AssessmentSummary:
        return cls(fiscal_year=fiscal_year, form=form, questions=[
            QuestionSummary(question_id=row.question.id, position=row.question.position,
                            text_th=row.question.text_th, text_en=row.question.text_en,
                            scale_max=row.question.scale_max, responses=row.responses,
                            average=None if row.average is None else format(row.average, "f"),
                            comments=list(row.comments))
            for row in rows])


# ---------------------------------------------------------------------------- view helpers


def respond(payload: BaseModel | list[BaseModel], status: int = 200, headers: dict | None = None):
    """A JSON answer in UTF-8 as is (Thai is not \\u-escaped), without a global setting."""
    if isinstance(payload, list):
        data: Any = [item.model_dump(mode="json") for item in payload]
    else:
        data = payload.model_dump(mode="json")
    body = current_app.json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return current_app.response_class(body, status=status, headers=headers, mimetype="application/json")


def no_content():
    return current_app.response_class(status=204)


def commit() -> None:
    """Commit the service's work; a unique key that a concurrent request won is a 409."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("The change collides with a record saved at the same time; nothing was saved.") from None


def check_fiscal_year(number: int, field: str = "fiscal_year") -> int:
    if not FISCAL_YEAR_MIN <= number <= FISCAL_YEAR_MAX:
        raise ValidationFailed({field: f"A fiscal year is a Buddhist-Era number such as 2563, not {number}."})
    return number


def fiscal_year_arg() -> int | None:
    """The optional ``?fiscal_year=2563`` filter; anything but a BE year is a 422 naming it."""
    raw = request.args.get("fiscal_year")
    if raw is None:
        return None
    if not re.fullmatch(r"[0-9]{1,4}", raw):
        raise ValidationFailed({"fiscal_year": f"A fiscal year is a Buddhist-Era number such as 2563, not {raw!r}."})
    return check_fiscal_year(int(raw))


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
from datetime import date, time
from decimal import Decimal
from typing import Annotated, Any

from flask import current_app, request
from pydantic import AfterValidator, BaseModel, EmailStr, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError
from sqlalchemy.exc import IntegrityError

from governance import fiscal
from governance.api.parsing import StrictModel
from governance.extensions import db
from governance.indicators.vocabulary import (
    AttendanceStatus,
    MeetingBody,
    MeetingKind,
    MeetingStatus,
    Position,
    Topic,
)
from governance.models import AgendaItem as AgendaItemRecord
from governance.models import Attendance as AttendanceRecord
from governance.models import BudgetMonth as BudgetMonthRecord
from governance.models import Director as DirectorRecord
from governance.models import Meeting as MeetingRecord
from governance.models import MinisterialReport as MinisterialReportRecord
from governance.services import budget as budget_service
from governance.services import directors as director_service
from governance.services import meetings as meeting_service
from governance.services import reports as report_service
from governance.services.errors import Conflict, ValidationFailed

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


#: text a person typed: any Unicode (Thai as is), but no control characters
Text = Annotated[str, AfterValidator(_no_control_characters)]


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


# ---------------------------------------------------------------------------- directors


class DirectorRequest(StrictModel):
    name: Text = Field(min_length=1, max_length=200)
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
    number: Text = Field(min_length=1, max_length=40, examples=["3/2563"])
    title: Text = Field(min_length=1, max_length=300)
    status: MeetingStatus
    body: MeetingBody = MeetingBody.BOARD
    starts_at: Annotated[str, Field(pattern=HH_MM_PATTERN, examples=["09:30"])] | None = None
    place: Text | None = Field(default=None, max_length=300)

    def to_input(self) -> meeting_service.MeetingInput:
        starts_at = None
        if self.starts_at is not None:
            hour, minute = self.starts_at.split(":")
            starts_at = time(int(hour), int(minute))
        return meeting_service.MeetingInput(
            held_on=self.held_on, kind=self.kind, number=self.number, title=self.title,
            status=self.status, body=self.body, starts_at=starts_at, place=self.place)


class Meeting(BaseModel):
    id: int
    held_on: date
    kind: MeetingKind
    number: str
    title: str
    status: MeetingStatus
    body: MeetingBody
    starts_at: Annotated[str, Field(pattern=HH_MM_PATTERN)] | None
    place: str | None
    fiscal_year: int = Field(description="Buddhist-Era fiscal year of `held_on` (never of the number).")
    quarter: int = Field(ge=1, le=4, description="Fiscal quarter of `held_on`: 1 is Oct-Dec.")

    @classmethod
    def of(cls, record: MeetingRecord) -> Meeting:
        return cls(
            id=record.id, held_on=record.held_on, kind=record.kind, number=record.number,
            title=record.title, status=record.status, body=record.body,
            starts_at=None if record.starts_at is None else record.starts_at.strftime("%H:%M"),
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
    title: Text = Field(min_length=1, max_length=500)
    states_problems_and_remedies: bool = False

    def to_input(self) -> meeting_service.AgendaItemInput:
        return meeting_service.AgendaItemInput(
            topic=self.topic, title=self.title, states_problems_and_remedies=self.states_problems_and_remedies)


class AgendaItem(BaseModel):
    id: int
    meeting_id: int
    position: int = Field(description="Order on the agenda, from 1.")
    topic: Topic
    title: str
    states_problems_and_remedies: bool

    @classmethod
    def of(cls, record: AgendaItemRecord) -> AgendaItem:
        return cls(id=record.id, meeting_id=record.meeting_id, position=record.position, topic=record.topic,
                   title=record.title, states_problems_and_remedies=record.states_problems_and_remedies)


# ---------------------------------------------------------------------------- ministerial reports


class MinisterialReportRequest(StrictModel):
    sent_on: date
    title: Text = Field(min_length=1, max_length=300)
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


"""The plain input data the indicator rules read (pure: stdlib only).

The loader (a service, outside this package) copies database rows into these frozen
records; the rules never see the database.  The loader may hand over more than
counts — meetings of any status or body, meetings dated after ``as_of`` — because
deciding what counts is the rules' job (spec/indicators.md: "a meeting dated later
is not yet held, whatever its record says").

Strings such as ``status``, ``body``, ``topic`` are the codes of
``governance.indicators.vocabulary``; a StrEnum member or its plain string value are
equal, so either may be passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType


@dataclass(frozen=True)
class MeetingRecord:
    id: int
    held_on: date
    status: str  # MeetingStatus
    body: str  # MeetingBody
    number: str = ""  # as the board numbers it ("3/2563"); never decides the fiscal year
    title: str = ""


@dataclass(frozen=True)
class AgendaItemRecord:
    id: int
    meeting_id: int
    topic: str  # Topic
    title: str = ""
    # Indicator 13 counts a report only when the secretary has ticked this.
    states_problems_and_remedies: bool = False
    # A confidential item whose title is hidden (วาระลับ): it counts like any other, but its
    # evidence names it by number only, and the loader leaves ``title`` empty.
    title_hidden: bool = False


@dataclass(frozen=True)
class DirectorRecord:
    id: int
    name: str
    term_start: date
    term_end: date | None = None  # None: open-ended; otherwise the last day in office
    # False for someone on the roster who is not a director for these purposes
    # (a staff member who only takes the minutes).
    counts_for_attendance: bool = True

    def in_office_on(self, day: date) -> bool:
        # Both ends inclusive: a director is in office on the last day of the term.
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)


@dataclass(frozen=True)
class AttendanceRecord:
    meeting_id: int
    director_id: int
    status: str  # AttendanceStatus


@dataclass(frozen=True)
class MinisterialReportRecord:
    id: int
    sent_on: date
    title: str = ""


@dataclass(frozen=True)
class BudgetMonthRecord:
    month: str  # CE "YYYY-MM"
    planned: Decimal  # baht, exact
    actual: Decimal | None = None  # None until the month's disbursement is known


@dataclass(frozen=True)
class WebsiteItemRecord:
    """The state of one website item: where it is and when it was last updated.

    Which items are required and how fresh each must be is the year's checklist
    parameter (indicator 17), matched by ``key``.  ``freshness`` here is only the copy
    the item's own record may carry; the rules ignore it, so that editing an item
    cannot relax what the year requires.
    """

    id: int
    key: str
    title: str = ""
    url: str | None = None
    last_updated_on: date | None = None
    freshness: str | None = None


@dataclass(frozen=True)
class SelfAssessmentRecord:
    """The board's self-assessment for one fiscal year (indicator 18)."""

    closing_on: date | None = None  # the day the individual assessments close
    whole_board_completed_on: date | None = None
    guidelines_recorded_on: date | None = None
    # director id -> the day that director submitted an individual assessment
    submissions: Mapping[int, date] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A read-only copy keeps the record frozen in fact, not only in name.
        object.__setattr__(self, "submissions", MappingProxyType(dict(self.submissions)))

    @property
    def submitted_director_ids(self) -> frozenset[int]:
        return frozenset(self.submissions)


@dataclass(frozen=True)
class FiscalYearData:
    """Everything the rules need for one fiscal year (``fiscal_year`` is the BE number)."""

    fiscal_year: int
    meetings: tuple[MeetingRecord, ...] = ()
    agenda_items: tuple[AgendaItemRecord, ...] = ()
    directors: tuple[DirectorRecord, ...] = ()
    attendance: tuple[AttendanceRecord, ...] = ()
    ministerial_reports: tuple[MinisterialReportRecord, ...] = ()
    budget_months: tuple[BudgetMonthRecord, ...] = ()
    website_items: tuple[WebsiteItemRecord, ...] = ()
    self_assessment: SelfAssessmentRecord | None = None

    def __post_init__(self) -> None:
        # Accept lists from callers but keep tuples, so the bundle stays immutable.
        for name in ("meetings", "agenda_items", "directors", "attendance",
                     "ministerial_reports", "budget_months", "website_items"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

"""Plain-data builders for the rules' tests: no database, no Flask.

``Year`` collects records the way a secretary enters them and hands the rules a
``FiscalYearData``; ids are assigned in order so tests can refer to them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

from governance.indicators import (
    AgendaItemRecord,
    AttendanceRecord,
    BudgetMonthRecord,
    DirectorRecord,
    FiscalYearData,
    IndicatorResult,
    MeetingRecord,
    MinisterialReportRecord,
    SelfAssessmentRecord,
    WebsiteItemRecord,
    default_parameters,
    evaluate_fiscal_year,
    parse_parameters,
)

FY = 2563
FY_START, FY_END = date(2019, 10, 1), date(2020, 9, 30)


class Year:
    def __init__(self, fiscal_year: int = FY) -> None:
        self.fiscal_year = fiscal_year
        self._ids = count(1)
        self.meetings: list[MeetingRecord] = []
        self.items: list[AgendaItemRecord] = []
        self.directors: list[DirectorRecord] = []
        self.attendance: list[AttendanceRecord] = []
        self.reports: list[MinisterialReportRecord] = []
        self.budget: list[BudgetMonthRecord] = []
        self.website: list[WebsiteItemRecord] = []
        self.self_assessment: SelfAssessmentRecord | None = None

    def director(self, name: str = "กรรมการ", *, start: date = date(2018, 1, 1), end: date | None = None,
                 counts: bool = True) -> int:
        director_id = next(self._ids)
        self.directors.append(DirectorRecord(director_id, f"{name} {director_id}", start, end, counts))
        return director_id

    def directors_(self, n: int, **kwargs) -> list[int]:
        return [self.director(**kwargs) for _ in range(n)]

    def meeting(self, held_on: date, *, status: str = "held", body: str = "board", number: str = "",
                topics: tuple[str, ...] = (), states: bool = False,
                marks: dict[int, str] | None = None) -> int:
        meeting_id = next(self._ids)
        self.meetings.append(MeetingRecord(meeting_id, held_on, status, body, number or f"{meeting_id}/2563",
                                           f"ประชุม {meeting_id}"))
        for topic in topics:
            self.item(meeting_id, topic, states=states)
        for director_id, mark in (marks or {}).items():
            self.attendance.append(AttendanceRecord(meeting_id, director_id, mark))
        return meeting_id

    def item(self, meeting_id: int, topic: str, *, states: bool = False) -> int:
        item_id = next(self._ids)
        self.items.append(AgendaItemRecord(item_id, meeting_id, topic, f"วาระ {item_id}", states))
        return item_id

    def attend(self, meeting_id: int, present: list[int], absent: list[int] = (), mark: str = "in_person",
               absent_mark: str = "absent") -> None:
        self.attendance += [AttendanceRecord(meeting_id, d, mark) for d in present]
        self.attendance += [AttendanceRecord(meeting_id, d, absent_mark) for d in absent]

    def report(self, sent_on: date) -> int:
        report_id = next(self._ids)
        self.reports.append(MinisterialReportRecord(report_id, sent_on, f"รายงาน {report_id}"))
        return report_id

    def month(self, month: str, planned: str, actual: str | None) -> None:
        self.budget.append(BudgetMonthRecord(month, Decimal(planned), None if actual is None else Decimal(actual)))

    def page(self, key: str, url: str | None = "https://example.org/x", updated: date | None = None) -> int:
        item_id = next(self._ids)
        self.website.append(WebsiteItemRecord(item_id, key, key, url, updated))
        return item_id

    def data(self) -> FiscalYearData:
        return FiscalYearData(self.fiscal_year, self.meetings, self.items, self.directors, self.attendance,
                              self.reports, self.budget, self.website, self.self_assessment)


def params(fiscal_year: int = FY, **top_level):
    return parse_parameters({**default_parameters(fiscal_year), **top_level})


def evaluate(year: Year, as_of: date, number: int, parameters=None) -> IndicatorResult:
    parameters = parameters or params(year.fiscal_year)
    [result] = [r for r in evaluate_fiscal_year(year.data(), parameters, as_of) if r.number == number]
    return result

"""The OPDC board-governance rules engine (layer 1: pure Python, stdlib only).

No Flask, no database, no clock: a service loads a fiscal year's records into a
``FiscalYearData``, reads its parameters document through ``parse_parameters``, and
asks for an evaluation *as of* a date it passes in.

    evaluate_fiscal_year(data, parameters, as_of) -> list[IndicatorResult]
    attendance_report(data, parameters, as_of) -> AttendanceReport

spec/indicators.md is the contract; each rule's module docstring quotes the OPDC's
Thai wording of the indicator it implements.
"""

from __future__ import annotations

from datetime import date

from governance.indicators.attendance import (
    AttendanceReport,
    DirectorAttendance,
    MeetingAttendance,
    attendance_report,
)
from governance.indicators.data import (
    AgendaItemRecord,
    AttendanceRecord,
    BudgetMonthRecord,
    DirectorRecord,
    FiscalYearData,
    MeetingRecord,
    MinisterialReportRecord,
    SelfAssessmentRecord,
    WebsiteItemRecord,
)
from governance.indicators.parameters import (
    ParameterError,
    Parameters,
    default_parameters,
    parse_parameters,
)
from governance.indicators.result import IndicatorResult, Status
from governance.indicators.rules import RULES

__all__ = [
    "AgendaItemRecord", "AttendanceRecord", "AttendanceReport", "BudgetMonthRecord",
    "DirectorAttendance", "DirectorRecord", "FiscalYearData", "IndicatorResult",
    "MeetingAttendance", "MeetingRecord", "MinisterialReportRecord", "ParameterError",
    "Parameters", "SelfAssessmentRecord", "Status", "WebsiteItemRecord", "attendance_report",
    "default_parameters", "evaluate_fiscal_year", "parse_parameters",
]


def evaluate_fiscal_year(data: FiscalYearData, parameters: Parameters, as_of: date) -> list[IndicatorResult]:
    """One result per indicator of the year's framework, in the framework's order (FY2563: 10..18)."""
    if data.fiscal_year != parameters.fiscal_year:
        # Judging one year's records by another year's criteria would be silently wrong.
        raise ValueError(f"data are for FY{data.fiscal_year}, parameters for FY{parameters.fiscal_year}")
    return [RULES[spec.kind](spec, data, parameters, as_of) for spec in parameters.indicators]

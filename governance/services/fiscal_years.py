"""A fiscal year's parameters (the OPDC's criteria, stored as data) and its evaluation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from governance import fiscal
from governance.extensions import db
from governance.indicators import (
    AttendanceReport,
    IndicatorResult,
    MeetingAttendance,
    attendance_report,
)
from governance.indicators import (
    evaluate_fiscal_year as evaluate_rules,
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
from governance.indicators.parameters import ParameterError, Parameters, default_parameters, parse_parameters
from governance.models import (
    AgendaItem,
    AssessmentForm,
    AssessmentResponse,
    Attendance,
    AuditEntry,
    BudgetMonth,
    Confidentiality,
    Director,
    FiscalYearParameters,
    Kpi,
    Meeting,
    MinisterialReport,
    Role,
    SelfAssessment,
    WebsiteItem,
)
from governance.services import versions
from governance.services.errors import Forbidden, ValidationFailed, plausible_dates


def parameters_document(fiscal_year: int) -> dict:
    """The stored document, or the FY2563 framework seeded for this year."""
    fiscal.fiscal_year(fiscal_year)
    row = db.session.get(FiscalYearParameters, fiscal_year)
    return dict(row.document) if row else default_parameters(fiscal_year)


def get_parameters(fiscal_year: int) -> Parameters:
    return parse_parameters(parameters_document(fiscal_year))


def parameters_version(fiscal_year: int) -> int:
    """The stored criteria's version; 0 while the year still has the defaults."""
    row = db.session.get(FiscalYearParameters, fiscal_year)
    return row.version if row is not None else 0


#: What the secretary may change in a year's criteria: the dates and the warning window she
#: learns or sets during the year. Thresholds, counts, the lists and the indicators are the
#: bar the board is judged against, and so the admin's alone.
SECRETARY_PARAMETERS = frozenset({"cabinet_plan_deadline", "warning_days"})


def update_parameters(fiscal_year: int, changes: dict, expected_version: int | None = None, *,
                      by: Role) -> Parameters:
    """Apply ``changes`` (top-level keys of the document) and store the validated result.

    ``expected_version`` (the criteria forms send it): refused if someone saved the year's
    criteria since the form was opened, since the form would put back their old values.
    ``by``: the role of who changes them (the secretary may change SECRETARY_PARAMETERS only).
    """
    _check_may_change(changes, by, fiscal_year)
    row = db.session.get(FiscalYearParameters, fiscal_year)
    if expected_version is not None and expected_version != (row.version if row is not None else 0):
        raise versions.stale()
    if not isinstance(changes, dict):
        raise ValidationFailed({"body": "Send an object with the parameters to change."})
    if "fiscal_year" in changes and changes["fiscal_year"] != fiscal_year:
        raise ValidationFailed({"fiscal_year": f"must be {fiscal_year}, the year in the URL"})
    try:
        parameters = parse_parameters(changes, defaults=parameters_document(fiscal_year))
    except ParameterError as error:
        raise ValidationFailed({error.field_path or "body": error.message}) from None
    errors = plausible_dates(cabinet_plan_deadline=parameters.cabinet_plan_deadline)
    if errors:
        raise ValidationFailed(errors)
    if row is None:
        row = FiscalYearParameters(fiscal_year=fiscal_year, document={})
        db.session.add(row)
    row.document = parameters.to_dict()
    try:
        versions.flush()
    except IntegrityError:  # another first save of the year's criteria came in between
        raise versions.stale() from None
    return parameters


@dataclass(frozen=True)
class CriteriaChange:
    """The latest change to a year's criteria, from the audit trail: when (UTC) and by whom."""
    at: datetime
    by: str


def criteria_last_changed(fiscal_year: int) -> CriteriaChange | None:
    """None while the year's criteria are still the defaults nobody changed."""
    entry = db.session.execute(
        sa.select(AuditEntry.recorded_at, AuditEntry.actor)
        .where(AuditEntry.record_type == FiscalYearParameters.__tablename__,
               AuditEntry.record_id == str(fiscal_year))
        .order_by(AuditEntry.id.desc()).limit(1)).first()
    return CriteriaChange(entry.recorded_at, entry.actor) if entry else None


def _check_may_change(changes: dict, role: Role, fiscal_year: int) -> None:
    if role == Role.ADMIN or not isinstance(changes, dict):
        return
    current = parameters_document(fiscal_year)
    # A key sent unchanged is no change (a client may send the whole document back).
    changed = {key for key, value in changes.items() if key != "fiscal_year" and current.get(key) != value}
    allowed = SECRETARY_PARAMETERS if role == Role.SECRETARY else frozenset()
    refused = sorted(changed - allowed)
    if refused:
        message = _l("Only the administrator changes the criteria the board is judged against.")
        raise Forbidden(message, {key: message for key in refused})


def evaluate_fiscal_year(fiscal_year: int, as_of: date) -> list[IndicatorResult]:
    """Indicators 10-18 for the year as of a date, each with its evidence."""
    return evaluate_rules(load_fiscal_year_data(fiscal_year), get_parameters(fiscal_year), as_of)


def without_individual_submissions(results: list[IndicatorResult]) -> list[IndicatorResult]:
    """The results as a director may see them: who has or has not submitted a
    self-assessment stays with the secretary and auditors; directors see counts."""
    redacted = []
    for result in results:
        if "not_submitted" not in result.detail:
            redacted.append(result)
            continue
        detail = {key: value for key, value in result.detail.items()
                  if key not in ("not_submitted", "directors_to_submit")}
        detail["directors_to_submit_count"] = len(result.detail.get("directors_to_submit", ()))
        detail["not_submitted_count"] = len(result.detail["not_submitted"])
        redacted.append(replace(
            result, detail=detail,
            evidence=[e for e in result.evidence if e.get("kind") != "self_assessment_submission"],
            needed=[{k: v for k, v in need.items() if k != "director_ids"} for need in result.needed]))
    return redacted


def fiscal_year_attendance(fiscal_year: int, as_of: date) -> AttendanceReport:
    return attendance_report(load_fiscal_year_data(fiscal_year), get_parameters(fiscal_year), as_of)


def attendance_by_meeting(fiscal_year: int) -> tuple[dict[int, MeetingAttendance], AttendanceReport]:
    """Each held board meeting of the year as the attendance report counts it (present of the
    directors eligible that day, rate, whether it qualifies, quorum), by meeting id: the one figure
    every page shows for a meeting."""
    report = fiscal_year_attendance(fiscal_year, fiscal.fiscal_year(fiscal_year).end)
    return {row.meeting_id: row for row in report.meetings}, report


def fiscal_year_attendance_with_unrecorded(fiscal_year: int, as_of: date) -> tuple[AttendanceReport, list[MeetingRecord]]:
    """The report, and the meetings behind its ``unrecorded_meeting_ids`` (number, date), from the
    same load: a page naming them issues no query per meeting."""
    data = load_fiscal_year_data(fiscal_year)
    report = attendance_report(data, get_parameters(fiscal_year), as_of)
    by_id = {m.id: m for m in data.meetings}
    return report, [by_id[meeting_id] for meeting_id in report.unrecorded_meeting_ids]


def _item_record(row) -> AgendaItemRecord:
    # A hidden title never enters the evaluation, so no dashboard, export or API answer can show it.
    hidden = row.confidentiality is Confidentiality.TITLE_HIDDEN
    return AgendaItemRecord(id=row.id, meeting_id=row.meeting_id, topic=row.topic.value,
                            title="" if hidden else row.title, title_hidden=hidden,
                            states_problems_and_remedies=row.states_problems_and_remedies)


def load_fiscal_year_data(fiscal_year: int) -> FiscalYearData:
    """Copy one fiscal year's records into plain data, in a fixed number of queries.

    Everything dated in the year is loaded whatever its status; which records count
    is the rules' decision, not the loader's.
    """
    year = fiscal.fiscal_year(fiscal_year)
    in_year = Meeting.held_on.between(year.start, year.end)
    meetings = db.session.execute(
        sa.select(Meeting.id, Meeting.held_on, Meeting.status, Meeting.body, Meeting.number, Meeting.title)
        .where(in_year)).all()
    items = db.session.execute(
        sa.select(AgendaItem.id, AgendaItem.meeting_id, AgendaItem.topic, AgendaItem.title,
                  AgendaItem.states_problems_and_remedies, AgendaItem.confidentiality)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id).where(in_year)).all()
    attendance = db.session.execute(
        sa.select(Attendance.meeting_id, Attendance.director_id, Attendance.status)
        .join(Meeting, Attendance.meeting_id == Meeting.id).where(in_year)).all()
    directors = db.session.execute(
        sa.select(Director.id, Director.name, Director.term_start, Director.term_end, Director.counts_for_attendance)
        .where(Director.term_start <= year.end,
               sa.or_(Director.term_end.is_(None), Director.term_end >= year.start))).all()
    reports = db.session.execute(
        sa.select(MinisterialReport.id, MinisterialReport.sent_on, MinisterialReport.title)
        .where(MinisterialReport.sent_on.between(year.start, year.end))).all()
    budget = db.session.scalars(sa.select(BudgetMonth).where(BudgetMonth.fiscal_year == fiscal_year)).all()
    website = db.session.scalars(sa.select(WebsiteItem).where(WebsiteItem.fiscal_year == fiscal_year)).all()
    return FiscalYearData(
        fiscal_year=fiscal_year,
        meetings=[MeetingRecord(id=m.id, held_on=m.held_on, status=m.status.value, body=m.body.value,
                                number=m.number, title=m.title) for m in meetings],
        agenda_items=[_item_record(i) for i in items],
        attendance=[AttendanceRecord(meeting_id=a.meeting_id, director_id=a.director_id, status=a.status.value)
                    for a in attendance],
        directors=[DirectorRecord(id=d.id, name=d.name, term_start=d.term_start, term_end=d.term_end,
                                  counts_for_attendance=d.counts_for_attendance) for d in directors],
        ministerial_reports=[MinisterialReportRecord(id=r.id, sent_on=r.sent_on, title=r.title) for r in reports],
        budget_months=[BudgetMonthRecord(month=b.month, planned=b.planned, actual=b.actual) for b in budget],
        website_items=[WebsiteItemRecord(id=w.id, key=w.key, url=w.url, last_updated_on=w.last_updated_on)
                       for w in website],
        self_assessment=_self_assessment_record(fiscal_year),
    )


def _self_assessment_record(fiscal_year: int) -> SelfAssessmentRecord | None:
    assessment = db.session.scalar(sa.select(SelfAssessment).where(SelfAssessment.fiscal_year == fiscal_year))
    if assessment is None:
        return None
    responses = db.session.execute(
        sa.select(AssessmentResponse.form, AssessmentResponse.director_id, AssessmentResponse.submitted_on)
        .where(AssessmentResponse.assessment_id == assessment.id)).all()
    whole_board = [r.submitted_on for r in responses if r.form == AssessmentForm.WHOLE_BOARD]
    return SelfAssessmentRecord(
        closing_on=assessment.closing_on,
        whole_board_completed_on=whole_board[0] if whole_board else None,
        guidelines_recorded_on=assessment.guidelines_recorded_on if assessment.guidelines else None,
        submissions={r.director_id: r.submitted_on for r in responses if r.form == AssessmentForm.INDIVIDUAL},
    )


def recorded_years() -> set[int]:
    """Every fiscal year something was recorded for: meetings, reports to the minister, budget,
    self-assessment, website checklist and KPIs (what the year selector must offer)."""
    years: set[int] = set()
    for day_column in (Meeting.held_on, MinisterialReport.sent_on):
        years |= {fiscal.fiscal_year_of(day) for day in db.session.scalars(sa.select(day_column).distinct())}
    for year_column in (BudgetMonth.fiscal_year, SelfAssessment.fiscal_year, WebsiteItem.fiscal_year,
                        Kpi.fiscal_year):
        years |= set(db.session.scalars(sa.select(year_column).distinct()))
    return years

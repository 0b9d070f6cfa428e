"""Recording performance reports sent to the supervising minister."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from governance import fiscal
from governance.extensions import db
from governance.models import MinisterialReport
from governance.services import locks, versions
from governance.services.errors import Conflict, NotFound, ValidationFailed, plausible_dates, single_line


@dataclass
class ReportInput:
    sent_on: date
    title: str
    period_start: date
    period_end: date


def list_reports(fiscal_year: int | None = None) -> list[MinisterialReport]:
    query = sa.select(MinisterialReport).order_by(MinisterialReport.sent_on, MinisterialReport.id)
    if fiscal_year is not None:
        year = fiscal.fiscal_year(fiscal_year)
        query = query.where(MinisterialReport.sent_on.between(year.start, year.end))
    return list(db.session.scalars(query))


def get_report(report_id: int) -> MinisterialReport:
    report = db.session.get(MinisterialReport, report_id)
    if report is None:
        raise NotFound(_l("No ministerial report with id %(id)s.", id=report_id))
    return report


def create_report(data: ReportInput) -> MinisterialReport:
    fields = _fields(data)
    _check_not_recorded(fields, exclude_id=None)
    report = MinisterialReport(**fields)
    db.session.add(report)
    db.session.flush()
    return report


def update_report(report_id: int, data: ReportInput, expected_version: int | None = None) -> MinisterialReport:
    """``expected_version``: the version the editor loaded; a newer one is a Conflict."""
    report = get_report(report_id)
    versions.check_version(report, expected_version)
    fields = _fields(data)
    _check_not_recorded(fields, exclude_id=report.id)
    for key, value in fields.items():
        setattr(report, key, value)
    versions.flush()
    return report


def delete_report(report_id: int) -> None:
    db.session.delete(get_report(report_id))
    versions.flush()


def _check_not_recorded(fields: dict, exclude_id: int | None) -> None:
    """One report, counted once: the same period covered and the same day sent is the same report
    (indicator 15 counts reports, so a second copy would turn "missed" into "met")."""
    locks.lock_name("ministerial_report", 0)  # two copies posted at once: the second sees the first
    same = sa.select(MinisterialReport.id).where(
        MinisterialReport.sent_on == fields["sent_on"], MinisterialReport.period_start == fields["period_start"],
        MinisterialReport.period_end == fields["period_end"])
    if exclude_id is not None:
        same = same.where(MinisterialReport.id != exclude_id)
    if db.session.scalar(same.limit(1)) is not None:
        message = _l("A report covering %(start)s to %(end)s sent on %(day)s is already recorded.",
                     start=fields["period_start"].isoformat(), end=fields["period_end"].isoformat(),
                     day=fields["sent_on"].isoformat())
        raise Conflict(message, {"sent_on": message})


def _fields(data: ReportInput) -> dict:
    errors = {**plausible_dates(sent_on=data.sent_on, period_start=data.period_start, period_end=data.period_end),
              **single_line(title=data.title)}
    if not data.title.strip():
        errors["title"] = _l("Enter the report's title.")
    if data.period_end < data.period_start:
        errors["period_end"] = _l("The period cannot end before it starts.")
    elif data.sent_on < data.period_end:
        errors["sent_on"] = _l("A report is sent after the period it covers ends.")
    if errors:
        raise ValidationFailed(errors)
    return {
        "sent_on": data.sent_on,
        "title": data.title.strip(),
        "period_start": data.period_start,
        "period_end": data.period_end,
    }

"""The auditors' attendance-threshold report (indicator 16), on a page and as CSV, XLSX and PDF.

Every figure is the engine's ``AttendanceReport`` (``services.fiscal_years``); the page
and the three downloads are written from the same lines (``exports.attendance_tables``).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _

from governance import clock
from governance.services import fiscal_years
from governance.web.access import READERS, roles_required
from governance.web.charts import Bar, rate_chart
from governance.web.dashboard import Period, selected_period
from governance.web.exports import AttendanceTables, attendance_tables, percent_text, to_csv, to_pdf, to_xlsx
from governance.web.filters import thai_date
from governance.web.page_cache import cached_fragment

bp = Blueprint("attendance_report", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/attendance")
@roles_required(*READERS)
def show():
    period = selected_period(request.args, clock.today())
    content = cached_fragment("attendance_report", period.key(), lambda: _content(period))
    return render_template("attendance/show.html", period=period, content=content), \
        422 if period.as_of_error else 200


def _content(period: Period) -> str:
    tables = _tables(period)
    return render_template("attendance/_content.html", period=period, tables=tables, report=tables.report,
                           chart=_chart(tables), percent_text=percent_text)


@bp.get("/attendance/csv")
@roles_required(*READERS)
def csv():
    period = _download_period()
    return _download(to_csv(_tables(period)), "text/csv; charset=utf-8", f"attendance-{period.fy}.csv")


@bp.get("/attendance/xlsx")
@roles_required(*READERS)
def xlsx():
    period = _download_period()
    return _download(to_xlsx(_tables(period)), XLSX, f"attendance-{period.fy}.xlsx")


@bp.get("/attendance/pdf")
@roles_required(*READERS)
def pdf():
    period = _download_period()
    tables = _tables(period)
    html = render_template("attendance/pdf.html", period=period, tables=tables, report=tables.report,
                           chart=_chart(tables), percent_text=percent_text)
    return _download(to_pdf(html), "application/pdf", f"attendance-{period.fy}.pdf")


def _download_period() -> Period:
    period = selected_period(request.args, clock.today())
    if period.as_of_error:
        abort(400)  # a download has no page to show the error on
    return period


def _tables(period: Period) -> AttendanceTables:
    report, unrecorded = fiscal_years.fiscal_year_attendance_with_unrecorded(period.fy, period.as_of)
    return attendance_tables(report, thai_date, [(m.number, m.held_on) for m in unrecorded])


def _chart(tables: AttendanceTables):
    bars = [Bar(label=line.number, rate=line.rate, rate_text=percent_text(line.rate), qualifies=line.qualifies,
                tooltip=_("Meeting %(number)s of %(date)s: %(present)s of %(eligible)s present",
                          number=line.number, date=line.held_on_text, present=line.present,
                          eligible=line.eligible))
            for line in tables.meetings]
    return rate_chart(bars, tables.report.meeting_threshold_percent, tables.meeting_threshold,
                      title=_("Share of eligible directors present at each board meeting, against the "
                              "%(threshold)s per cent line", threshold=tables.meeting_threshold))


def _download(body: bytes, content_type: str, filename: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Directors' names and attendance: not for shared caches.
    response.headers["Cache-Control"] = "private, no-store"
    return response

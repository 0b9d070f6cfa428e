"""The attendance report (indicator 16) as tables, and those tables as CSV, XLSX and PDF.

``attendance_tables`` turns the engine's ``AttendanceReport`` into the lines people
read (dates as the reader reads them, rates to two places); the page, the CSV, the
workbook and the PDF are all written from those same lines, so their figures agree.
No figure is computed here: each comes from the report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import get_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from weasyprint import HTML

from governance.indicators.attendance import AttendanceReport
from governance.web.labels import label

TWO_PLACES = Decimal("0.01")


def rounded(value: Decimal | None) -> Decimal | None:
    """A percentage as it is shown: two places, half up (as the API rounds)."""
    return None if value is None else value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def percent_text(value: Decimal | None) -> str:
    """``Decimal("66.666…")`` -> ``"66.67"``; nothing measured -> ``"–"``."""
    return "–" if value is None else str(rounded(value))


def threshold_text(value: Decimal) -> str:
    """A threshold as the OPDC writes it: ``80``, or ``96.5``."""
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


@dataclass(frozen=True)
class MeetingLine:
    meeting_id: int
    number: str
    held_on: date
    held_on_text: str
    eligible: int
    present: int
    rate: Decimal | None  # rounded to two places
    qualifies: bool
    not_present: tuple[str, ...]  # names of the eligible directors not present
    one_place_flag: bool


@dataclass(frozen=True)
class DirectorLine:
    director_id: int
    name: str
    attended: int
    eligible_meetings: int


@dataclass(frozen=True)
class AttendanceTables:
    report: AttendanceReport
    title: str
    as_of_text: str
    meetings: tuple[MeetingLine, ...]
    directors: tuple[DirectorLine, ...]
    #: (label, value): the year's totals and verdict, in the order shown
    summary: tuple[tuple[str, int | str | Decimal], ...]
    #: sentences for the secretary: meetings flagged, meetings not yet recorded
    notes: tuple[str, ...]
    meeting_threshold: str
    year_threshold: str

    @property
    def meeting_header(self) -> tuple[str, ...]:
        return (_("Meeting"), _("Date"), _("Eligible directors"), _("Present"), _("Rate (%)"),
                _("At least %(threshold)s per cent present", threshold=self.meeting_threshold),
                _("Not present"), _("Note"))

    @property
    def director_header(self) -> tuple[str, ...]:
        return (_("Director"), _("Meetings attended"), _("Meetings eligible for"))

    def meeting_cells(self, line: MeetingLine) -> tuple:
        """One meeting as the CSV and the workbook write it."""
        return (line.number, line.held_on_text, line.eligible, line.present,
                line.rate if line.rate is not None else "–", yes_no(line.qualifies),
                ", ".join(line.not_present), _("Check: one place") if line.one_place_flag else "")

    @staticmethod
    def director_cells(line: DirectorLine) -> tuple:
        return (line.name, line.attended, line.eligible_meetings)


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def attendance_tables(report: AttendanceReport, date_text: Callable[[date], str],
                      unrecorded: list[tuple[str, date]]) -> AttendanceTables:
    """The report's lines; ``unrecorded`` names the meetings behind ``report.unrecorded_meeting_ids``."""
    names = {d.director_id: d.name for d in report.directors}
    meetings = tuple(
        MeetingLine(
            meeting_id=m.meeting_id, number=m.number, held_on=m.held_on, held_on_text=date_text(m.held_on),
            eligible=m.eligible, present=m.present, rate=rounded(m.rate), qualifies=m.qualifies,
            not_present=tuple(names.get(d, f"#{d}") for d in m.eligible_director_ids
                              if d not in m.present_director_ids),
            one_place_flag=m.one_place_flag)
        for m in report.meetings)
    directors = tuple(DirectorLine(director_id=d.director_id, name=d.name, attended=d.attended,
                                   eligible_meetings=d.eligible_meetings) for d in report.directors)
    meeting_threshold = threshold_text(report.meeting_threshold_percent)
    year_threshold = threshold_text(report.year_threshold_percent)
    summary = (
        (_("Fiscal year"), report.fiscal_year),
        (_("As of"), date_text(report.as_of)),
        (_("Board meetings held"), report.meetings_held),
        (_("Meetings with at least %(threshold)s per cent of directors present", threshold=meeting_threshold),
         report.meetings_qualifying),
        (_("Share of meetings that qualified (%)"), rounded(report.rate) if report.rate is not None else "–"),
        (_("Target: share of meetings that qualify, at least (%)"), Decimal(year_threshold)),
        (_("Status"), label(report.status)),
        (_("Board meetings still planned this year"), report.meetings_remaining),
        (_("Further non-qualifying meetings the year can absorb"), report.can_absorb),
    )
    notes = tuple(
        _("Meeting %(number)s of %(date)s: fewer than a third of the quorum met in one place "
          "(NCPO Announcement 74/2557). For the secretary to check; it does not change whether the meeting qualifies.",
          number=m.number, date=m.held_on_text)
        for m in meetings if m.one_place_flag
    ) + tuple(
        _("Meeting %(number)s of %(date)s is still recorded as planned: record whether it was held.",
          number=number, date=date_text(day))
        for number, day in unrecorded
    )
    return AttendanceTables(
        report=report,
        title=_("Board meeting attendance, fiscal year %(fy)s", fy=report.fiscal_year),
        as_of_text=date_text(report.as_of), meetings=meetings, directors=directors, summary=summary,
        notes=notes, meeting_threshold=meeting_threshold, year_threshold=year_threshold)


# --- cells a spreadsheet will not run -----------------------------------------------------

#: what makes a spreadsheet read a cell as a formula (OWASP, "CSV injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV cell that Excel and LibreOffice show as text: a leading quote before = + - @ (and
    tab or CR), which the program hides, so a director named "=HYPERLINK(...)" is not a link."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text_cells_only(book) -> None:
    """Every cell holding text is a string cell: openpyxl stores a value starting with = as a
    formula, which the reader's spreadsheet would then run."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type == "f":
                    cell.data_type = "s"


# --- CSV ----------------------------------------------------------------------------------

def to_csv(tables: AttendanceTables) -> bytes:
    """Sections one after another; UTF-8 with a BOM so that Excel reads the Thai."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    rows = [[tables.title], *([label_, value] for label_, value in tables.summary), [],
            tables.meeting_header, *(tables.meeting_cells(line) for line in tables.meetings), [],
            tables.director_header, *(tables.director_cells(line) for line in tables.directors)]
    if tables.notes:
        rows += [[], [_("Notes")], *([note] for note in tables.notes)]
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


# --- XLSX ---------------------------------------------------------------------------------

def to_xlsx(tables: AttendanceTables) -> bytes:
    """A workbook of three sheets: the summary (with the notes), the meetings, the directors."""
    book = Workbook()
    summary = book.active
    summary.title = _sheet_title(_("Summary"))
    summary.append([tables.title])
    summary["A1"].font = Font(bold=True, size=13)
    for label_, value in tables.summary:
        summary.append([label_, _xlsx_value(value)])
    if tables.notes:
        summary.append([])
        summary.append([_("Notes")])
        summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
        for note in tables.notes:
            summary.append([note])
    _widths(summary, (60, 18))

    meetings = book.create_sheet(_sheet_title(_("Meetings")))
    _header(meetings, tables.meeting_header)
    for line in tables.meetings:
        cells = [_xlsx_value(v) for v in tables.meeting_cells(line)]
        cells[1] = line.held_on  # a date cell, so the column sorts and filters by date
        meetings.append(cells)
        meetings.cell(row=meetings.max_row, column=2).number_format = xlsx_date_format()
    _widths(meetings, (12, 16, 12, 10, 10, 16, 50, 20))
    meetings.auto_filter.ref = meetings.dimensions

    directors = book.create_sheet(_sheet_title(_("Directors")))
    _header(directors, tables.director_header)
    for line in tables.directors:
        directors.append(list(tables.director_cells(line)))
    _widths(directors, (45, 14, 14))
    directors.auto_filter.ref = directors.dimensions

    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
    text_cells_only(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


#: how a date cell reads: Thai months and the Buddhist Era in Thai (Excel's Thai locale 041E
#: with calendar 07, Thai Buddhist), the Common Era in English
XLSX_DATE_FORMATS = {"th": "[$-107041E]d mmm yyyy", "en": "d mmm yyyy"}


def xlsx_date_format() -> str:
    return XLSX_DATE_FORMATS["en" if str(get_locale() or "th").startswith("en") else "th"]


def _xlsx_value(value):
    # A rate is a number in the workbook (two places shown), so it sorts and sums.
    return float(value) if isinstance(value, Decimal) else value


def _sheet_title(text: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    return "".join(c for c in text if c not in "[]:*?/\\")[:31]


def _header(sheet, header: tuple[str, ...]) -> None:
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _widths(sheet, widths: tuple[int, ...]) -> None:
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


# --- PDF ----------------------------------------------------------------------------------

def to_pdf(html: str) -> bytes:
    """A printable page (``templates/*/pdf.html``) as a PDF, in the fonts the app ships.

    The templates' ``@font-face`` rules name ``fonts/…`` under ``static/``, resolved
    against the static folder (the PDF embeds the font, whatever the host has installed),
    and ``pdf_fonts`` makes the PDF's text layer read as the text does (ำ included).
    """
    from governance.web import pdf_fonts

    pdf_fonts.install()
    return HTML(string=html, base_url=pdf_fonts.static_base_url()).write_pdf()

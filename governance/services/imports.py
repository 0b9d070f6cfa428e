"""Importing the secretary's spreadsheet: directors, meetings and attendance, all or nothing.

The file
  One .xlsx with a sheet per kind, or a CSV file per kind (UTF-8, with or without Excel's
  BOM; Thai Windows' cp874 too).  A sheet's kind comes from its name (``กรรมการ`` or
  ``directors``; ``การประชุม``/``meetings``; ``การเข้าประชุม``/``attendance``), else from its
  columns; a CSV's from its columns.  A header is a column's code (``held_on``), its Thai
  name (``วันที่ประชุม``) or both as the template writes them (``วันที่ประชุม (held_on)``);
  the header row may sit under a title (the first five rows are searched).  Sheets and
  columns not recognised are ignored and listed in the preview.  ``COLUMNS`` lists them.

Values
  Dates: ``15/01/2563`` or ``15/1/2020`` (day/month/year, never month first),
  ``2563-01-15`` or ``2020-01-15``, ``15 ม.ค. 2563``, or a date cell.  A year from 2400 on
  is Buddhist Era (2400 BE is 1857 CE, and a board's dates are 1950-2200 CE = 2493-2743
  BE, so the two never meet); two-digit years are refused.  Thai digits are read too.
  Times ``13:30`` or ``13.30 น.``.  Positions, statuses and attendance as codes
  (``in_person``) or the words the pages show (``มาประชุม``, ``In person``).

Matching (re-importing the same file writes nothing)
  A director is the recorded one with the row's email, else with the row's exact name
  (spaces tidied); a board meeting the one with the row's number; a committee meeting the
  one with the row's number and date; an attendance row the meeting's entry for that
  director.  The preview calls each row new, unchanged or updated (naming the columns that
  change).  An import adds and changes, never erases or deletes: a blank cell keeps what
  is recorded, a recorded director, meeting or attendance entry the file does not mention
  is left alone.

All or nothing
  ``run_import`` writes every row through the same services the forms use
  (``create_director``, ``update_meeting``, ``replace_attendance``...), in the caller's
  transaction, and records every row's errors (sheet, row, column); it flushes, never
  commits.  The preview runs it and always rolls back; confirming runs it again and
  commits only when no row has an error.  The services check before they change
  anything, so one refused row leaves the session usable and the next rows are still
  checked: the preview names every error at once.

Between preview and confirm the upload waits under ``instance/imports/<random>/`` (files
named by number, never by the uploader), for its uploader only, for ``UPLOAD_LIFETIME``;
older ones are swept whenever an upload is stored, and it is removed once imported.
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import shutil
import warnings
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path

import openpyxl
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from governance import fiscal
from governance.indicators.vocabulary import AttendanceStatus, MeetingBody, MeetingKind, MeetingStatus, Position
from governance.models import Director, Meeting
from governance.services import directors, meetings, workbook_limits
from governance.services.errors import NotFound, ServiceError

MAX_FILE_BYTES = 1024 * 1024
MAX_FILES = 3
MAX_ROWS = 5000
# Read-only openpyxl pads each row to the sheet's declared width: a 27 KB sheet with one
# cell in column XFD costs ~750 MB. No template sheet is near these.
MAX_COLUMNS = 60
MAX_SHEETS = 10
UPLOAD_LIFETIME = timedelta(hours=1)
HEADER_SEARCH_ROWS = 5

class Outcome(StrEnum):
    NEW = "new"
    UNCHANGED = "unchanged"
    UPDATED = "updated"
    ERROR = "error"


@dataclass(frozen=True)
class Column:
    code: str
    thai: str
    required: bool
    example: str
    aliases: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        return f"{self.thai} ({self.code})"


KINDS = ("directors", "meetings", "attendance")
SHEET_NAMES = {"directors": "กรรมการ", "meetings": "การประชุม", "attendance": "การเข้าประชุม"}
COLUMNS: dict[str, tuple[Column, ...]] = {
    "directors": (
        Column("name", "ชื่อ-นามสกุล", True, "นายสมชาย ใจดี", ("ชื่อ", "ชื่อ นามสกุล")),
        Column("email", "อีเมล", False, "somchai@example.org", ("e-mail",)),
        Column("position", "ตำแหน่ง", True, "กรรมการ"),
        Column("term_start", "วันเริ่มวาระ", True, "1/10/2562", ("term starts",)),
        Column("term_end", "วันสิ้นสุดวาระ", False, "30/9/2566", ("term ends",)),
        Column("counts_for_attendance", "นับการเข้าประชุม", False, "ใช่"),
    ),
    "meetings": (
        Column("number", "ครั้งที่", True, "1/2563", ("เลขที่การประชุม",)),
        Column("held_on", "วันที่ประชุม", True, "20/11/2562", ("วันที่", "date")),
        Column("title", "ชื่อการประชุม", True, "การประชุมคณะกรรมการ ครั้งที่ 1/2563", ("เรื่อง",)),
        Column("status", "สถานะ", True, "ประชุมแล้ว"),
        Column("kind", "ประเภท", False, "การประชุมสามัญ"),
        Column("body", "คณะ", False, "คณะกรรมการ"),
        Column("starts_at", "เวลาเริ่ม", False, "09:30", ("เวลา", "time", "เริ่มประชุมเวลา")),
        Column("ends_at", "เวลาเลิก", False, "12:00", ("เลิกประชุมเวลา", "end time", "ends")),
        Column("place", "สถานที่", False, "ห้องประชุม 1"),
    ),
    "attendance": (
        Column("meeting", "ครั้งที่ประชุม", True, "1/2563", ("ครั้งที่", "number")),
        Column("held_on", "วันที่ประชุม", False, "", ("วันที่", "date")),
        Column("director", "กรรมการ", True, "นายสมชาย ใจดี", ("ชื่อ-นามสกุล", "ชื่อ", "name")),
        Column("attendance", "การเข้าประชุม", True, "มาประชุม", ("status", "สถานะ")),
    ),
}
_TEXT_LIMITS = {"name": 200, "email": 254, "number": 40, "title": 300, "place": 300, "meeting": 40}


# --- problems and results --------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One error, named by where it is: the sheet (or CSV file), the row and the column as written."""

    message: object
    sheet: str | None = None
    row: int | None = None
    column: str | None = None


@dataclass
class RowResult:
    row: int
    label: str
    outcome: Outcome = Outcome.NEW
    #: the columns an update changes
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Sheet:
    kind: str
    #: the sheet's name, or the CSV file's
    title: str
    #: column code -> its header as written
    headers: dict[str, str]
    rows: list[tuple[int, dict[str, object]]]


@dataclass
class Book:
    sheets: dict[str, Sheet] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: sheets and columns that were not recognised and are not imported
    ignored: list[str] = field(default_factory=list)


@dataclass
class SheetReport:
    kind: str
    title: str
    headers: dict[str, str]
    rows: list[RowResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)


@dataclass
class ImportReport:
    sheets: list[SheetReport] = field(default_factory=list)
    #: problems with a whole file or sheet (unreadable, a required column missing...)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not any(r.problems for s in self.sheets for r in s.rows) and bool(self.sheets)

    @property
    def error_count(self) -> int:
        return len(self.problems) + sum(len(r.problems) for s in self.sheets for r in s.rows)

    @property
    def changes_anything(self) -> bool:
        return any(r.outcome in (Outcome.NEW, Outcome.UPDATED) for s in self.sheets for r in s.rows)


# --- reading the files -----------------------------------------------------------------------

@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def read_uploads(uploads: list[Upload]) -> Book:
    """The sheets of the uploaded files, recognised by kind; what cannot be read is a problem."""
    book = Book()
    if not uploads:
        book.problems.append(Problem(_l("Choose a file to import.")))
    if len(uploads) > MAX_FILES:
        book.problems.append(Problem(_l("Upload at most %(count)d files.", count=MAX_FILES)))
        return book
    for upload in uploads:
        if len(upload.data) > MAX_FILE_BYTES:
            book.problems.append(Problem(_l("The file is larger than %(size)s MB.", size=MAX_FILE_BYTES // (1024 * 1024)),
                                         sheet=upload.filename))
            continue
        if upload.data.startswith(b"PK\x03\x04"):
            tables = _xlsx_tables(upload, book)
        elif upload.data.startswith(b"\xd0\xcf\x11\xe0"):
            book.problems.append(Problem(_l("This is an old Excel (.xls) file: save it as .xlsx or CSV."),
                                         sheet=upload.filename))
            continue
        else:
            tables = _csv_tables(upload, book)
        for title, rows in tables:
            _add_sheet(book, title, rows)
    return book


def _xlsx_tables(upload: Upload, book: Book) -> list[tuple[str, list[tuple]]]:
    try:
        workbook_limits.measure(upload.data, read_rows=_READ_ROWS)
        tables = _read_workbook(upload.data)
    except workbook_limits.TooLarge as refused:
        book.problems.append(Problem(refused.message, sheet=upload.filename))
        return []
    except Exception:  # noqa: BLE001 - a parser of untrusted input: any failure means "not readable"
        book.problems.append(Problem(_l("This file cannot be read as an Excel workbook (.xlsx)."), sheet=upload.filename))
        return []
    return tables


def _read_workbook(data: bytes) -> list[tuple[str, list[tuple]]]:
    with warnings.catch_warnings():
        # openpyxl warns about features it skips (data validation, styles): not our concern.
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            tables = []
            if len(workbook.worksheets) > MAX_SHEETS:
                raise ValueError("too many sheets")
            for sheet in workbook.worksheets:
                rows = []
                for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                    rows.append(row)
                    if len(rows) >= _READ_ROWS:
                        break
                tables.append((sheet.title, rows))
        finally:
            workbook.close()
    return tables


#: the rows _read_workbook reads of a sheet, one past the limit to tell "more than MAX_ROWS";
#: openpyxl never parses the ones after
_READ_ROWS = MAX_ROWS + HEADER_SEARCH_ROWS + 1


def _csv_tables(upload: Upload, book: Book) -> list[tuple[str, list[tuple]]]:
    try:
        text = upload.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = upload.data.decode("cp874")  # Excel's "CSV" on Thai Windows
        except UnicodeDecodeError:
            text = None
    if text is None or "\x00" in text:
        book.problems.append(Problem(_l("This file is neither an Excel workbook (.xlsx) nor a CSV text file."),
                                     sheet=upload.filename))
        return []
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append(tuple(row))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                break
    except csv.Error as error:
        book.problems.append(Problem(_l("This CSV file cannot be read (%(reason)s).", reason=str(error)),
                                     sheet=upload.filename))
        return []
    return [(upload.filename, rows)]


def _add_sheet(book: Book, title: str, rows: list[tuple]) -> None:
    found = _find_header(title, rows)
    if found is None:
        if any(_blank(v) is False for row in rows for v in row):
            book.ignored.append(title)
        return
    kind, index, headers, positions, unknown = found
    if kind in book.sheets:
        book.problems.append(Problem(_l("Two sheets hold %(kind)s: %(first)s and %(second)s; put them in one.",
                                        kind=kind_label(kind), first=book.sheets[kind].title, second=title)))
        return
    book.ignored += [f"{title}: {header}" for header in unknown]
    missing = [c for c in COLUMNS[kind] if c.required and c.code not in headers]
    for column in missing:
        book.problems.append(Problem(_l("The column %(column)s is missing.", column=column.header), sheet=title))
    body = rows[index + 1:]
    if len(body) > MAX_ROWS:
        book.problems.append(Problem(_l("More than %(count)d rows: split the file.", count=MAX_ROWS), sheet=title))
        return
    data = []
    for offset, row in enumerate(body):
        cells = {code: (row[i] if i < len(row) else None) for code, i in positions.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        data.append((index + offset + 2, cells))  # spreadsheet rows count from 1
    book.sheets[kind] = Sheet(kind=kind, title=title, headers=headers, rows=[] if missing else data)


def _find_header(title: str, rows: list[tuple]):
    """(kind, row index, code -> header, code -> position, unknown headers) of the first header row."""
    named = _kind_of_title(title)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        best = None
        for kind in ([named] if named else KINDS):
            headers, positions, unknown = {}, {}, []
            for position, value in enumerate(row):
                if _blank(value):
                    continue
                code = _column_code(kind, str(value))
                if code is None or code in positions:
                    unknown.append(str(value).strip())
                else:
                    headers[code], positions[code] = str(value).strip(), position
            required = sum(1 for c in COLUMNS[kind] if c.required and c.code in headers)
            if required and (best is None or required > best[0]):
                best = (required, kind, index, headers, positions, unknown)
        if best is not None and (named or best[0] >= 2):
            return best[1:]
    return None


def _kind_of_title(title: str) -> str | None:
    words = _norm(Path(title).stem if title.lower().endswith(".csv") else title)
    for kind in KINDS:
        if words in (kind, _norm(SHEET_NAMES[kind]), _norm(f"{SHEET_NAMES[kind]} ({kind})")):
            return kind
    return None


def _column_code(kind: str, header: str) -> str | None:
    text = _norm(header).rstrip("*").strip()
    coded = re.search(r"\(([a-z_]+)\)$", text)
    for column in COLUMNS[kind]:
        names = {column.code, column.code.replace("_", " "), _norm(column.thai), *map(_norm, column.aliases)}
        if (coded and coded.group(1) == column.code) or text in names:
            return column.code
    return None


# --- reading values --------------------------------------------------------------------------

_THAI_DIGITS = fiscal.THAI_DIGITS
BAD_DATE = _l("Not a date: write day/month/year, e.g. 15/01/2563 (Buddhist Era) or 15/01/2020, or 2020-01-15.")
BAD_TIME = _l("Not a time: write HH:MM, e.g. 13:30.")
REQUIRED = _l("This column must be filled in.")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).translate(_THAI_DIGITS)).strip().lower()


def _name_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _number_key(number: str) -> str:
    return re.sub(r"\s+", "", number.translate(_THAI_DIGITS))


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", " ", str(value)).strip()


def parse_date(value) -> date:
    """A date as Thai secretaries type it (``fiscal.parse_date``), or a date cell; ValueError otherwise."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return fiscal.date_of(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise ValueError("not a date")
    return fiscal.parse_date(value)


def parse_time(value) -> time:
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if not isinstance(value, str):
        raise ValueError("not a time")
    text = re.sub(r"\s*น\.?$", "", value.translate(_THAI_DIGITS).strip())
    if m := re.fullmatch(r"(\d{1,2})[:.](\d{2})", text):
        return time(int(m[1]), int(m[2]))
    raise ValueError("not a time")


def _aliases(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_norm(word): code for code, words in pairs.items() for word in (code, code.replace("_", " "), *words)}


CHOICES: dict[str, dict[str, str]] = {
    "position": _aliases({
        "chair": ("ประธาน", "ประธานกรรมการ"), "vice_chair": ("รองประธาน", "รองประธานกรรมการ", "vice-chair"),
        "director": ("กรรมการ", "member"), "ex_officio": ("กรรมการโดยตำแหน่ง", "ex officio director",
                                                           "ex-officio", "ex-officio director"),
        "secretary": ("เลขานุการ", "เลขานุการคณะกรรมการ", "กรรมการและเลขานุการ", "secretary to the board")}),
    "status": _aliases({
        "planned": ("กำหนดประชุม", "กำหนดการ", "ยังไม่ประชุม"), "held": ("ประชุมแล้ว", "จัดประชุมแล้ว"),
        "cancelled": ("ยกเลิก", "canceled")}),
    "kind": _aliases({
        "regular": ("การประชุมสามัญ", "สามัญ", "regular meeting"),
        "special": ("การประชุมวาระพิเศษ", "วาระพิเศษ", "วิสามัญ", "พิเศษ", "special meeting")}),
    "body": _aliases({
        "board": ("คณะกรรมการ", "full board"), "committee": ("คณะอนุกรรมการ", "อนุกรรมการ")}),
    "attendance": _aliases({
        "in_person": ("มาประชุม", "มา", "เข้าประชุม", "in-person"), "online": ("ประชุมออนไลน์", "ออนไลน์"),
        "leave": ("ลา", "ลาประชุม", "on leave"), "absent": ("ขาด", "ขาดประชุม")}),
}
_ENUMS = {"position": Position, "status": MeetingStatus, "kind": MeetingKind, "body": MeetingBody,
          "attendance": AttendanceStatus}
_YES = {"yes", "y", "true", "1", "ใช่", "นับ", "✓", "x"}
_NO = {"no", "n", "false", "0", "ไม่", "ไม่ใช่", "ไม่นับ", "-"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class _Row:
    """One row's cells read as values; each failure is noted against its column."""

    def __init__(self, sheet: Sheet, number: int, cells: dict[str, object]):
        self.sheet, self.line, self.cells = sheet, number, cells
        self.errors: dict[str, object] = {}

    def given(self, code: str) -> bool:
        return code in self.sheet.headers and not _blank(self.cells.get(code))

    def _read(self, code: str, reader: Callable, message, required: bool):
        if not self.given(code):
            if required:
                self.errors[code] = REQUIRED
            return None
        try:
            return reader(self.cells[code])
        except ValueError:
            self.errors[code] = message
            return None

    def text(self, code: str, required: bool = False) -> str | None:
        value = self._read(code, _as_text, None, required)
        limit = _TEXT_LIMITS.get(code)
        if value is not None and limit and len(value) > limit:
            self.errors[code] = _l("Use at most %(max)d characters.", max=limit)
        return value

    @staticmethod
    def _strict_text(value) -> str:
        if isinstance(value, (datetime, date, time)):
            # Excel turns 1/2563 into a date unless the column is formatted as text.
            raise ValueError("a date")
        return _as_text(value)

    def number(self, code: str, required: bool = True) -> str | None:
        value = self._read(code, self._strict_text, _l("Excel turned this into a date: format the column as Text "
                                                  "and type the number again, e.g. 3/2563."), required)
        if value is not None and len(value) > _TEXT_LIMITS["number"]:
            self.errors[code] = _l("Use at most %(max)d characters.", max=_TEXT_LIMITS["number"])
        return _number_key(value) if value is not None else None

    def date(self, code: str, required: bool = False) -> date | None:
        return self._read(code, parse_date, BAD_DATE, required)

    def time(self, code: str) -> time | None:
        return self._read(code, parse_time, BAD_TIME, False)

    def choice(self, code: str, required: bool = False):
        words = CHOICES[code]

        def read(value):
            found = words.get(_norm(_as_text(value)))
            if found is None:
                raise ValueError(value)
            return _ENUMS[code](found)
        examples = ", ".join(sorted({c.example for c in COLUMNS[self.sheet.kind] if c.code == code} |
                                    {m.value for m in _ENUMS[code]}))
        return self._read(code, read, _l("Not one of the known values, such as: %(values)s.", values=examples),
                          required)

    def flag(self, code: str) -> bool | None:
        def read(value):
            word = _norm(_as_text(value))
            if word in _YES:
                return True
            if word in _NO:
                return False
            raise ValueError(value)
        return self._read(code, read, _l("Write yes or no (ใช่ or ไม่)."), False)

    def email(self, code: str) -> str | None:
        value = self.text(code)
        if value is not None and not _EMAIL.fullmatch(value):
            self.errors[code] = _l("Enter a valid email address.")
        return value.lower() if value else None

    def problems(self) -> list[Problem]:
        return [self.problem(message, code) for code, message in self.errors.items()]

    def problem(self, message, code: str | None = None) -> Problem:
        return Problem(message, self.sheet.title, self.line, self.sheet.headers.get(code) if code else None)


def _service_problems(row: _Row, error: ServiceError, columns: dict[str, str] | None = None) -> list[Problem]:
    """A service's field errors on this row, each at its column (``columns`` maps other field names)."""
    if not error.fields:
        return [row.problem(error.message)]
    out = []
    for name, message in error.fields.items():
        code = (columns or {}).get(name, name)
        out.append(row.problem(message, code if code in row.sheet.headers else None))
    return out


# --- importing -------------------------------------------------------------------------------

@dataclass
class _State:
    """What the rows of earlier sheets decided, for the attendance rows to refer to."""

    failed_directors: dict[str, int] = field(default_factory=dict)  # name key or email -> row
    failed_meetings: dict[str, int] = field(default_factory=dict)  # number key -> row
    #: a row may not record as held a meeting dated after this day
    today: date | None = None


def run_import(book: Book, *, today: date | None = None) -> ImportReport:
    """Write the whole book in the caller's transaction and say what each row did (flushes only).

    When the report is not ``ok`` some rows may have been written: the caller rolls back.
    ``today``: a meeting dated after it cannot be imported as held (as in the meeting form).
    """
    report = ImportReport(problems=list(book.problems), ignored=list(book.ignored))
    if not book.sheets and not book.problems:
        report.problems.append(Problem(_l("No sheet of directors, meetings or attendance was found. "
                                          "Start from the template.")))
    state = _State(today=today)
    steps = {"directors": _import_directors, "meetings": _import_meetings, "attendance": _import_attendance}
    try:
        for kind in KINDS:
            sheet = book.sheets.get(kind)
            if sheet is not None:
                out = SheetReport(kind=kind, title=sheet.title, headers=sheet.headers)
                report.sheets.append(out)
                steps[kind](sheet, out, state)
    except sa.exc.SQLAlchemyError as error:
        # The services check before writing, so this is a race or a constraint no check knows.
        report.problems.append(Problem(_l("The database refused the import: %(reason)s",
                                          reason=str(getattr(error, "orig", error))[:300])))
    return report


def _finish(result: RowResult, problems: list[Problem]) -> None:
    if problems:
        result.problems += problems
        result.outcome = Outcome.ERROR


def _import_directors(sheet: Sheet, out: SheetReport, state: _State) -> None:
    recorded = directors.list_directors()
    by_email = {d.email.lower(): d for d in recorded if d.email}
    by_name: dict[str, list[Director]] = defaultdict(list)
    for d in recorded:
        by_name[_name_key(d.name)].append(d)
    seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        row = _Row(sheet, number, cells)
        name = row.text("name", required=True)
        email = row.email("email")
        position = row.choice("position", required=True)
        term_start = row.date("term_start", required=True)
        term_end = row.date("term_end")
        counts = row.flag("counts_for_attendance")
        result = RowResult(number, name or "")
        out.rows.append(result)
        keys = [k for k in (email, _name_key(name) if name else None) if k]
        problems = row.problems()
        for key in keys:
            if key in seen:
                problems.append(row.problem(_l("The same director is also on row %(row)d.", row=seen[key]),
                                            "email" if "@" in key else "name"))
            seen.setdefault(key, number)
        match = by_email.get(email) if email else None
        if match is None and name:
            namesakes = by_name.get(_name_key(name), [])
            if len(namesakes) > 1:
                problems.append(row.problem(_l("Several recorded directors are named %(name)s: add the email "
                                               "to say which.", name=name), "name"))
            match = namesakes[0] if len(namesakes) == 1 else None
        if problems:
            _finish(result, problems)
            state.failed_directors.update({key: number for key in keys})
            continue

        def keep(given, code, recorded_value, default, row=row, match=match):
            return given if row.given(code) else (recorded_value if match is not None else default)
        data = directors.DirectorInput(
            name=name, position=position, term_start=term_start,
            term_end=keep(term_end, "term_end", match.term_end if match else None, None),
            email=keep(email, "email", match.email if match else None, None),
            counts_for_attendance=keep(counts, "counts_for_attendance",
                                       match.counts_for_attendance if match else None, True))
        try:
            if match is None:
                directors.create_director(data)
            else:
                result.changes = _changed(match, {
                    "name": data.name.strip(), "email": data.email, "position": data.position,
                    "term_start": data.term_start, "term_end": data.term_end,
                    "counts_for_attendance": data.counts_for_attendance})
                result.outcome = Outcome.UPDATED if result.changes else Outcome.UNCHANGED
                if result.changes:
                    directors.update_director(match.id, data)
        except ServiceError as error:
            _finish(result, _service_problems(row, error))
            state.failed_directors.update({key: number for key in keys})


def _changed(record, values: dict[str, object]) -> list[str]:
    return [code for code, value in values.items() if getattr(record, code) != value]


def _meeting_key(number: str, body: MeetingBody, held_on: date | None) -> tuple:
    return (number,) if body == MeetingBody.BOARD else (number, held_on)


def _import_meetings(sheet: Sheet, out: SheetReport, state: _State) -> None:
    recorded: dict[tuple, Meeting] = {}
    for meeting in meetings.list_meetings():
        recorded.setdefault(_meeting_key(_number_key(meeting.number), meeting.body, meeting.held_on), meeting)
    seen: dict[tuple, int] = {}
    for number, cells in sheet.rows:
        row = _Row(sheet, number, cells)
        meeting_number = row.number("number")
        held_on = row.date("held_on", required=True)
        title = row.text("title", required=True)
        status = row.choice("status", required=True)
        kind = row.choice("kind")
        body = row.choice("body")
        starts_at = row.time("starts_at")
        ends_at = row.time("ends_at")
        place = row.text("place")
        result = RowResult(number, meeting_number or "")
        out.rows.append(result)
        problems = row.problems()
        key = _meeting_key(meeting_number, body or MeetingBody.BOARD, held_on) if meeting_number else None
        if key is not None and key in seen:
            problems.append(row.problem(_l("The same meeting is also on row %(row)d.", row=seen[key]), "number"))
        if key is not None:
            seen.setdefault(key, number)
        if problems:
            _finish(result, problems)
            if meeting_number:
                state.failed_meetings[meeting_number] = number
            continue
        match = recorded.get(key)

        def keep(given, code, attribute, default, row=row, match=match):
            return given if row.given(code) else (getattr(match, attribute) if match is not None else default)
        data = meetings.MeetingInput(
            held_on=held_on, kind=keep(kind, "kind", "kind", MeetingKind.REGULAR),
            number=match.number if match is not None else meeting_number,
            title=title, status=status, body=keep(body, "body", "body", MeetingBody.BOARD),
            starts_at=keep(starts_at, "starts_at", "starts_at", None), place=keep(place, "place", "place", None),
            ends_at=keep(ends_at, "ends_at", "ends_at", None))
        try:
            if match is None:
                meetings.create_meeting(data, today=state.today)
            else:
                result.changes = _changed(match, {
                    "held_on": data.held_on, "title": data.title.strip(), "status": data.status, "kind": data.kind,
                    "body": data.body, "starts_at": data.starts_at, "ends_at": data.ends_at,
                    "place": (data.place or "").strip() or None})
                result.outcome = Outcome.UPDATED if result.changes else Outcome.UNCHANGED
                if result.changes:
                    meetings.update_meeting(match.id, data, today=state.today)
        except ServiceError as error:
            _finish(result, _service_problems(row, error))
            state.failed_meetings[meeting_number] = number


@dataclass
class _Entry:
    row: _Row
    result: RowResult
    director_id: int
    status: AttendanceStatus


def _import_attendance(sheet: Sheet, out: SheetReport, state: _State) -> None:
    roster = directors.list_directors()
    by_email = {d.email.lower(): d for d in roster if d.email}
    by_name: dict[str, list[Director]] = defaultdict(list)
    for d in roster:
        by_name[_name_key(d.name)].append(d)
    by_number: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in meetings.list_meetings():
        by_number[_number_key(meeting.number)].append(meeting)

    groups: dict[int, list[_Entry]] = defaultdict(list)
    seen: dict[tuple[int, int], int] = {}
    for number, cells in sheet.rows:
        row = _Row(sheet, number, cells)
        meeting_number = row.number("meeting")
        held_on = row.date("held_on")
        who = row.text("director", required=True)
        status = row.choice("attendance", required=True)
        result = RowResult(number, " · ".join(v for v in (meeting_number, who) if v))
        out.rows.append(result)
        problems = row.problems()
        meeting = _find_meeting(row, by_number, meeting_number, held_on, state, problems) if meeting_number else None
        director = _find_director(row, by_email, by_name, who, state, problems) if who else None
        if meeting is not None and director is not None:
            pair = (meeting.id, director.id)
            if pair in seen:
                problems.append(row.problem(_l("This director's attendance at this meeting is also on row %(row)d.",
                                               row=seen[pair]), "director"))
            seen.setdefault(pair, number)
        if problems:
            _finish(result, problems)
            continue
        groups[meeting.id].append(_Entry(row, result, director.id, status))

    for meeting_id, entries in groups.items():
        meeting = meetings.get_meeting(meeting_id)
        recorded = {a.director_id: a.status for a in meeting.attendances}
        for entry in entries:
            if entry.director_id not in recorded:
                entry.result.outcome = Outcome.NEW
            elif recorded[entry.director_id] == entry.status:
                entry.result.outcome = Outcome.UNCHANGED
            else:
                entry.result.outcome, entry.result.changes = Outcome.UPDATED, ["attendance"]
        if all(e.result.outcome == Outcome.UNCHANGED for e in entries):
            continue
        # Never erase: entries the file does not mention stay as recorded.
        mentioned = {e.director_id for e in entries}
        kept = [meetings.AttendanceRow(director_id, status) for director_id, status in recorded.items()
                if director_id not in mentioned]
        origin: list[_Entry | None] = [None] * len(kept) + list(entries)
        rows = kept + [meetings.AttendanceRow(e.director_id, e.status) for e in entries]
        try:
            meetings.replace_attendance(meeting_id, rows)
        except ServiceError as error:
            _attendance_problems(error, origin, entries)


def _attendance_problems(error: ServiceError, origin: list[_Entry | None], entries: list[_Entry]) -> None:
    placed = False
    for name, message in (error.fields or {"": error.message}).items():
        found = re.fullmatch(r"\[(\d+)\]\.\w+", name)
        entry = origin[int(found[1])] if found and int(found[1]) < len(origin) else None
        targets = [entry] if entry is not None else entries
        for target in targets:
            column = "director" if entry is not None else "meeting"
            _finish(target.result, [target.row.problem(message, column)])
            placed = True
    if not placed:
        for entry in entries:
            _finish(entry.result, [entry.row.problem(error.message)])


def _find_meeting(row: _Row, by_number: dict[str, list[Meeting]], number: str, held_on: date | None,
                  state: _State, problems: list[Problem]) -> Meeting | None:
    candidates = by_number.get(number, [])
    if held_on is not None:
        candidates = [m for m in candidates if m.held_on == held_on]
    else:
        board = [m for m in candidates if m.body == MeetingBody.BOARD]
        candidates = board or candidates
    if len(candidates) == 1:
        return candidates[0]
    if number in state.failed_meetings:
        problems.append(row.problem(_l("Meeting %(number)s has errors on its own row (row %(row)d of the "
                                       "meetings): fix that row first.", number=number,
                                       row=state.failed_meetings[number]), "meeting"))
    elif candidates:
        problems.append(row.problem(_l("Several meetings are numbered %(number)s: add the meeting date.",
                                       number=number), "meeting"))
    else:
        problems.append(row.problem(_l("No meeting numbered %(number)s is in this file or recorded.",
                                       number=number), "meeting"))
    return None


def _find_director(row: _Row, by_email: dict[str, Director], by_name: dict[str, list[Director]], who: str,
                   state: _State, problems: list[Problem]) -> Director | None:
    key = who.lower() if "@" in who else _name_key(who)
    found = [by_email[key]] if key in by_email else by_name.get(key, [])
    if len(found) == 1:
        return found[0]
    if key in state.failed_directors:
        problems.append(row.problem(_l("%(name)s has errors on their own row (row %(row)d of the directors): "
                                       "fix that row first.", name=who, row=state.failed_directors[key]),
                                    "director"))
    elif found:
        problems.append(row.problem(_l("Several directors are named %(name)s: write the email instead.",
                                       name=who), "director"))
    else:
        problems.append(row.problem(_l("No director named %(name)s is in this file or recorded.", name=who),
                                    "director"))
    return None


# --- keeping an upload between preview and confirm -------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
EXPIRED = _l("This upload has expired or was already imported: upload the file again.")


def _store() -> Path:
    return Path(current_app.instance_path) / "imports"


def store_upload(uploads: list[Upload], user_id: int, now: datetime) -> str:
    """Keep the files for their uploader until they confirm; returns the token naming them."""
    sweep_uploads(now)
    token = secrets.token_urlsafe(24)
    folder = _store() / token
    folder.mkdir(parents=True, mode=0o700)
    for index, upload in enumerate(uploads):
        (folder / f"{index}.bin").write_bytes(upload.data)
    meta = {"user_id": user_id, "stored_at": now.timestamp(), "names": [u.filename for u in uploads]}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def claim_upload(token: str, user_id: int, now: datetime) -> list[Upload]:
    """Take the files stored under ``token`` by ``user_id`` and remove them from the store.

    NotFound when gone, expired or someone else's.  Taking is a rename, so of two
    confirmations sent at once (a double click) only one gets the files.
    """
    if not _TOKEN.fullmatch(token or ""):
        raise NotFound(EXPIRED)
    folder = _store() / token
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise NotFound(EXPIRED) from None
    if meta.get("user_id") != user_id or now.timestamp() - meta.get("stored_at", 0) > UPLOAD_LIFETIME.total_seconds():
        raise NotFound(EXPIRED)
    claimed = _store() / f"claimed-{token}"
    try:
        folder.rename(claimed)
    except OSError:
        raise NotFound(EXPIRED) from None
    try:
        return [Upload(name, (claimed / f"{index}.bin").read_bytes()) for index, name in enumerate(meta["names"])]
    finally:
        shutil.rmtree(claimed, ignore_errors=True)


def sweep_uploads(now: datetime) -> None:
    """Remove uploads older than ``UPLOAD_LIFETIME`` (never confirmed)."""
    if not _store().is_dir():
        return
    for folder in _store().iterdir():
        meta = folder / "meta.json"
        try:
            stored_at = json.loads(meta.read_text(encoding="utf-8"))["stored_at"]
        except (OSError, ValueError, KeyError):
            stored_at = folder.stat().st_mtime
        if now.timestamp() - stored_at > UPLOAD_LIFETIME.total_seconds():
            shutil.rmtree(folder, ignore_errors=True)


# --- the template ----------------------------------------------------------------------------

def kind_label(kind: str):
    return {"directors": _l("directors"), "meetings": _l("meetings"), "attendance": _l("attendance")}[kind]


def template_xlsx() -> bytes:
    """A workbook with a sheet per kind: the columns (Thai name and code) and an example row."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for kind in KINDS:
        sheet = workbook.create_sheet(f"{SHEET_NAMES[kind]} ({kind})")
        columns = COLUMNS[kind]
        sheet.append([c.header + (" *" if c.required else "") for c in columns])
        sheet.append([c.example for c in columns])
        for index, column in enumerate(columns, 1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(16, len(column.header) + 4)
            sheet.cell(1, index).font = Font(bold=True)
            # Text, so Excel keeps 1/2563 and 20/11/2562 as typed rather than making dates of them.
            for row in range(2, 201):
                sheet.cell(row, index).number_format = "@"
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(kind: str) -> bytes:
    """One kind's columns and example row as CSV, UTF-8 with a BOM so Excel shows the Thai."""
    if kind not in KINDS:
        raise NotFound(_l("No such template."))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS[kind]])
    writer.writerow([c.example for c in COLUMNS[kind]])
    return text.getvalue().encode("utf-8-sig")

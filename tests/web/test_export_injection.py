"""What a spreadsheet opens from the app never runs: a name like =HYPERLINK(...) stays text
(OWASP's advice on CSV injection), in the CSV and in every XLSX the app writes."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import openpyxl
import pytest

from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus
from governance.models import Role
from governance.services import meetings

EVIL = '=HYPERLINK("http://evil.example","x")'
NAMES = [EVIL, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "นายปกติ ดี"]


@pytest.fixture
def board(make_director, make_meeting):
    roster = [make_director(name) for name in NAMES]
    meeting = make_meeting(date(2019, 11, 20), number="1/2563")
    meetings.replace_attendance(meeting.id, [meetings.AttendanceRow(d.id, AttendanceStatus.IN_PERSON) for d in roster])
    db.session.commit()
    return roster


def test_the_csv_quotes_every_cell_a_spreadsheet_would_run(client, login, board):
    login(Role.AUDITOR)
    data = client.get("/attendance/csv?fy=2563&as_of=2020-01-15").data.decode("utf-8-sig")
    cells = {cell for row in csv.reader(io.StringIO(data)) for cell in row}
    for name in NAMES[:4]:
        assert name not in cells and "'" + name in cells
    assert "นายปกติ ดี" in cells  # an ordinary name is untouched


def test_the_workbook_holds_them_as_text_not_formulas(client, login, board):
    login(Role.AUDITOR)
    data = client.get("/attendance/xlsx?fy=2563&as_of=2020-01-15").data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = "".join(archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/"))
    assert "<f>" not in sheets  # no cell is a formula
    assert '<t>=HYPERLINK("http://evil.example","x")</t>' in sheets.replace("&quot;", '"')  # it is text
    book = openpyxl.load_workbook(io.BytesIO(data))
    names = {cell.value: cell.data_type for row in book["กรรมการ"].iter_rows(min_row=2) for cell in row[:1]}
    assert names[EVIL] == "s" and names["@SUM(A1:A2)"] == "s"

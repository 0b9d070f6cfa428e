"""The auditors' attendance-threshold report (indicator 16): the page and its CSV, XLSX and PDF.

The board: five directors and a minute-taker who does not count.  As of 15 Jan 2020
(the pinned today) three board meetings are held: 4 of 5 present (80.00, qualifies),
3 of 5 (60.00, does not) and 5 of 5 all online before 19 Apr 2020 (100.00, flagged:
nobody met in one place).  Seven more are planned, so 2 of 3 qualifying with 7 to come
leaves no further miss to spare: 9 of 10 is exactly 90 %.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import subprocess
from datetime import date

import openpyxl
import pytest

from governance.extensions import db
from governance.fiscal import format_date
from governance.indicators.vocabulary import AttendanceStatus, MeetingBody, MeetingStatus, Position
from governance.models import Role
from governance.services import meetings

IN, ONLINE, LEAVE, ABSENT = (AttendanceStatus.IN_PERSON, AttendanceStatus.ONLINE, AttendanceStatus.LEAVE,
                             AttendanceStatus.ABSENT)
NAMES = ["ประธาน ใจดี", "สมศรี มีสุข", "วิชัย ตั้งใจ", "มานะ อดทน", "ปิติ ยินดี"]


def attend(meeting, roster, statuses) -> None:
    meetings.replace_attendance(meeting.id, [meetings.AttendanceRow(director_id=d.id, status=s)
                                             for d, s in zip(roster, statuses, strict=True)])
    db.session.commit()


@pytest.fixture
def board(make_director, make_meeting):
    roster = [make_director(NAMES[0], position=Position.CHAIR)] + [make_director(name) for name in NAMES[1:]]
    make_director("ผู้จดรายงาน การประชุม", position=Position.SECRETARY, counts_for_attendance=False)
    first = make_meeting(date(2019, 11, 20), number="1/2563")
    attend(first, roster, [IN, IN, ONLINE, IN, LEAVE])  # 4 of 5
    second = make_meeting(date(2019, 12, 18), number="2/2563")
    attend(second, roster, [IN, ABSENT, LEAVE, IN, IN])  # 3 of 5
    third = make_meeting(date(2020, 1, 10), number="3/2563")
    attend(third, roster, [ONLINE] * 5)  # everyone online before the Emergency Decree: flagged
    make_meeting(date(2019, 12, 2), number="1/2563", body=MeetingBody.COMMITTEE)  # never counted
    late = make_meeting(date(2020, 1, 13), number="S1/2563", status=MeetingStatus.PLANNED)  # not yet recorded
    for month in range(2, 9):
        make_meeting(date(2020, month, 19), number=f"{month + 2}/2563", status=MeetingStatus.PLANNED)
    make_meeting(date(2020, 9, 16), number="11/2563", status=MeetingStatus.CANCELLED)
    return {"roster": roster, "meetings": [first, second, third], "late": late}


def text_of(page: str) -> str:
    """The page's visible text, tags removed, spaces collapsed."""
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def meeting_rows(page: str) -> dict[str, list[str]]:
    """The meeting table as the page shows it: number -> its cells' text."""
    table = re.search(r'<table data-testid="meeting-rows">(.*?)</table>', page, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr data-testid=\"meeting-row-\d+\"[^>]*>(.*?)</tr>", table, re.S):
        cells = [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        rows[cells[0]] = cells
    return rows


def director_rows(page: str) -> dict[str, tuple[str, str]]:
    table = re.search(r'<table data-testid="director-rows">(.*?)</table>', page, re.S).group(1)
    return {cells[0]: (cells[1], cells[2]) for cells in
            ([text_of(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
             for row in re.findall(r"<tr data-testid=\"director-row-\d+\">(.*?)</tr>", table, re.S))}


def totals(page: str) -> list[tuple[str, str]]:
    block = re.search(r'<dl class="details totals" data-testid="totals">(.*?)</dl>', page, re.S).group(1)
    return list(zip((text_of(t) for t in re.findall(r"<dt>(.*?)</dt>", block, re.S)),
                    (text_of(d) for d in re.findall(r"<dd[^>]*>(.*?)</dd>", block, re.S)), strict=True))


def test_the_report_in_thai_shows_each_meeting_each_director_and_the_verdict(client, login, board):
    login(Role.AUDITOR)
    response = client.get("/attendance")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "การเข้าประชุมของคณะกรรมการ ปีงบประมาณ 2563" in page
    assert "ข้อมูล ณ วันที่ 15 มกราคม 2563" in page  # as of today (pinned), Buddhist Era

    rows = meeting_rows(page)
    assert list(rows) == ["1/2563", "2/2563", "3/2563"]  # held board meetings only, in date order
    assert rows["1/2563"][:6] == ["1/2563", "20 พ.ย. 2562", "5", "4", "80.00", "ใช่"]
    assert rows["2/2563"][:6] == ["2/2563", "18 ธ.ค. 2562", "5", "3", "60.00", "ไม่ใช่"]
    assert rows["3/2563"][:6] == ["3/2563", "10 ม.ค. 2563", "5", "5", "100.00", "ใช่"]
    assert rows["1/2563"][6] == "ปิติ ยินดี"  # on leave: not present
    assert rows["2/2563"][6] == "สมศรี มีสุข, วิชัย ตั้งใจ"
    assert rows["3/2563"][7] == "ตรวจสอบ: การประชุม ณ สถานที่เดียวกัน"
    assert "ผู้จดรายงาน" not in page  # takes the minutes; never eligible

    assert director_rows(page) == {"ประธาน ใจดี": ("3", "3"), "สมศรี มีสุข": ("2", "3"),
                                   "วิชัย ตั้งใจ": ("2", "3"), "มานะ อดทน": ("3", "3"),
                                   "ปิติ ยินดี": ("2", "3")}

    verdict = text_of(re.search(r'<p class="verdict" data-testid="verdict">(.*?)</p>', page, re.S).group(1))
    assert verdict == ("มีความเสี่ยง การประชุมคณะกรรมการผ่านเกณฑ์ 2 จาก 3 ครั้ง คิดเป็นร้อยละ 66.67 "
                       "เทียบกับเป้าหมายไม่น้อยกว่าร้อยละ 90")
    assert dict(totals(page)) == {
        "ปีงบประมาณ": "2563", "ข้อมูล ณ วันที่": "15 ม.ค. 2563",
        "จำนวนการประชุมคณะกรรมการที่จัดขึ้น": "3",
        "จำนวนการประชุมที่มีกรรมการเข้าประชุมร้อยละ 80 ขึ้นไป": "2",
        "ร้อยละของจำนวนการประชุมที่ผ่านเกณฑ์": "66.67",
        "เป้าหมาย: ร้อยละของจำนวนการประชุมที่ผ่านเกณฑ์ ไม่น้อยกว่า": "90",
        "สถานะ": "มีความเสี่ยง",
        "การประชุมคณะกรรมการที่ยังมีกำหนดจัดในปีงบประมาณนี้": "7",
        "จำนวนการประชุมที่ไม่ผ่านเกณฑ์ที่ยังรับได้อีก": "0",
    }
    assert "การประชุมที่ยังมีกำหนดจัดทั้ง 7 ครั้ง ต้องผ่านเกณฑ์ทุกครั้ง" in text_of(page)
    notes = text_of(re.search(r'<div class="notes" data-testid="notes">(.*?)</div>', page, re.S).group(1))
    assert "การประชุมครั้งที่ 3/2563 วันที่ 10 ม.ค. 2563: กรรมการที่ประชุม ณ สถานที่เดียวกัน" in notes
    assert "การประชุมครั้งที่ S1/2563 วันที่ 13 ม.ค. 2563 ยังบันทึกสถานะเป็นนัดหมายไว้" in notes
    first = board["meetings"][0]
    assert f'<a href="/meetings/{first.id}">1/2563</a>' in page


def test_the_chart_is_inline_svg_with_a_bar_per_meeting_and_the_threshold_line(client, login, board):
    login(Role.DIRECTOR)
    response = client.get("/attendance")
    page = response.get_data(as_text=True)
    svg = re.search(r'<div class="chart" data-testid="chart">(<svg.*?</svg>)</div>', page, re.S).group(1)
    bars = re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"', svg)
    assert bars == ["#1f7a3a", "#c53030", "#1f7a3a"]  # qualifies, falls short, qualifies
    assert '<line class="threshold"' in svg and ">80 %</text>" in svg
    assert [label for label in re.findall(r'text-anchor="middle" fill="#1f2933">([^<]+)</text>', svg)] == [
        "80.00", "1/2563", "60.00", "2/2563", "100.00", "3/2563"]
    # The CSP forbids inline styles and scripts: presentation attributes only.
    assert "style=" not in page and "<script" not in page
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_report_in_english_dates_in_the_common_era(client, login, english, board):
    login(Role.AUDITOR)
    english()
    page = client.get("/attendance?fy=2563").get_data(as_text=True)
    assert "Board meeting attendance, fiscal year 2563" in page and "As of 15 Jan 2020" in text_of(page)
    rows = meeting_rows(page)
    assert rows["2/2563"][:6] == ["2/2563", "18 Dec 2019", "5", "3", "60.00", "No"]
    assert "At risk" in page
    assert "Every one of the 7 board meetings still planned must qualify." in text_of(page)
    assert "fewer than a third of the quorum met in one place (NCPO Announcement 74/2557)" in page


def test_as_of_an_earlier_date_counts_only_what_had_happened(client, login, board):
    login(Role.AUDITOR)
    page = client.get("/attendance?as_of=2019-12-31").get_data(as_text=True)
    assert list(meeting_rows(page)) == ["1/2563", "2/2563"]  # 3/2563 is dated after the as-of date
    figures = dict(totals(page))
    assert figures["ร้อยละของจำนวนการประชุมที่ผ่านเกณฑ์"] == "50.00"
    assert figures["ข้อมูล ณ วันที่"] == "31 ธ.ค. 2562"
    assert 'value="2019-12-31"' in page


def test_a_year_without_meetings_says_so(client, login, board):
    login(Role.AUDITOR)
    page = client.get("/attendance?fy=2562").get_data(as_text=True)
    assert "การเข้าประชุมของคณะกรรมการ ปีงบประมาณ 2562" in page
    assert "ยังไม่มีการประชุมคณะกรรมการในปีงบประมาณนี้" in page
    assert 'data-testid="chart"' not in page


def test_a_bad_as_of_date_is_shown_beside_the_field_and_refused_for_downloads(client, login, board):
    login(Role.AUDITOR)
    response = client.get("/attendance?as_of=15/01/2563")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<p class="error" id="as_of-error">กรุณาระบุวันที่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.) เช่น 2020-01-15</p>' in page
    assert client.get("/attendance?as_of=0001-01-01").status_code == 422
    assert client.get("/attendance/csv?as_of=2020-02-30").status_code == 400
    assert client.get("/attendance?fy=1999").status_code == 404


def test_the_csv_carries_the_figures_of_the_page(client, login, board):
    login(Role.AUDITOR)
    page = client.get("/attendance").get_data(as_text=True)
    response = client.get("/attendance/csv?fy=2563&as_of=2020-01-15")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="attendance-2563.csv"'
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads the Thai
    lines = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert lines[0] == ["การเข้าประชุมของคณะกรรมการ ปีงบประมาณ 2563"]
    summary = {row[0]: row[1] for row in lines[1:10]}
    assert summary == dict(totals(page))
    header = lines.index(["การประชุมครั้งที่", "วันที่", "กรรมการที่ดำรงตำแหน่ง", "เข้าประชุม", "ร้อยละ",
                          "เข้าประชุมร้อยละ 80 ขึ้นไป", "ไม่ได้เข้าประชุม", "หมายเหตุ"])
    csv_meetings = {row[0]: row for row in lines[header + 1:header + 4]}
    assert csv_meetings == {number: cells for number, cells in meeting_rows(page).items()}
    directors = lines.index(["กรรมการ", "จำนวนครั้งที่เข้าประชุม", "จำนวนครั้งที่ต้องเข้าประชุม"])
    assert {row[0]: (row[1], row[2]) for row in lines[directors + 1:directors + 6]} == director_rows(page)
    assert lines[-2][0].startswith("การประชุมครั้งที่ 3/2563")  # the notes close the file
    assert lines[-1][0].startswith("การประชุมครั้งที่ S1/2563")


def test_the_workbook_carries_the_figures_of_the_page(client, login, board):
    login(Role.DIRECTOR)
    page = client.get("/attendance").get_data(as_text=True)
    response = client.get("/attendance/xlsx")
    assert response.headers["Content-Disposition"] == 'attachment; filename="attendance-2563.xlsx"'
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["สรุป", "การประชุม", "กรรมการ"]
    summary = {row[0]: row[1] for row in book["สรุป"].iter_rows(min_row=2, max_row=10, values_only=True)}
    assert summary["ร้อยละของจำนวนการประชุมที่ผ่านเกณฑ์"] == pytest.approx(66.67)
    assert summary["จำนวนการประชุมคณะกรรมการที่จัดขึ้น"] == 3
    assert summary["จำนวนการประชุมที่ไม่ผ่านเกณฑ์ที่ยังรับได้อีก"] == 0
    assert summary["สถานะ"] == "มีความเสี่ยง"
    sheet = list(book["การประชุม"].iter_rows(min_row=2, values_only=True))
    shown = meeting_rows(page)
    for number, day, eligible, present, rate, qualifies, absent, _note in sheet:
        cells = shown[number]
        assert [format_date(day.date()), str(eligible), str(present), f"{rate:.2f}", qualifies,
                absent or ""] == cells[1:7]
    assert book["การประชุม"]["E2"].number_format == "0.00"
    # a real date, shown in the Buddhist Era with Thai months; the tables filter
    assert book["การประชุม"]["B2"].is_date and book["การประชุม"]["B2"].number_format == "[$-107041E]d mmm yyyy"
    assert book["การประชุม"].auto_filter.ref.startswith("A1:") and book["กรรมการ"].auto_filter.ref.startswith("A1:")
    directors = {row[0]: (str(row[1]), str(row[2]))
                 for row in book["กรรมการ"].iter_rows(min_row=2, values_only=True)}
    assert directors == director_rows(page)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_pdf_carries_the_figures_and_the_thai_words_of_the_page(client, login, board, tmp_path):
    login(Role.AUDITOR)
    response = client.get("/attendance/pdf")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="attendance-2563.pdf"'
    assert response.data.startswith(b"%PDF-")
    (tmp_path / "report.pdf").write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    # Words with ำ read right too (web/pdf_fonts.py; tests/web/test_pdf_text.py checks each
    # reader's mode); compared without spaces, as the layout spaces columns.
    squeezed = "".join(text.split())
    for words in ("การเข้าประชุมของคณะกรรมการ ปีงบประมาณ 2563", "มีความเสี่ยง", "ไม่ใช่", "หมายเหตุ",
                  "จำนวนการประชุมคณะกรรมการที่จัดขึ้น",
                  "ประธาน ใจดี", "สมศรี มีสุข", "ร้อยละ 66.67", "ไม่น้อยกว่าร้อยละ 90"):
        assert "".join(words.split()) in squeezed, words
    lines = [line.split() for line in text.splitlines()]
    for number, cells in meeting_rows(client.get("/attendance").get_data(as_text=True)).items():
        # The table's line of the meeting (the chart's labels also name it, on one line together).
        expected = [number, *cells[1].split(), cells[2], cells[3], cells[4]]
        assert expected in [tokens[:len(expected)] for tokens in lines], number


def test_every_reader_may_open_the_report_and_its_downloads(client, login, board):
    for role in (Role.ADMIN, Role.SECRETARY, Role.DIRECTOR, Role.AUDITOR):
        login(role)
        for path in ("/attendance", "/attendance/csv", "/attendance/xlsx"):
            assert client.get(path).status_code == 200, (role, path)
        client.post("/logout")
    for path in ("/attendance", "/attendance/csv", "/attendance/xlsx", "/attendance/pdf"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path

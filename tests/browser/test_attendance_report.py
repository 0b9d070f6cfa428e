"""An auditor opens the attendance report and downloads each export, in a real browser.

The PDF's Thai text is checked by extraction (pdftotext) and its first page rendered to
a PNG in test-artifacts/, to be looked at: Thai glyphs, not tofu boxes.  A second test
loads the demo board and takes a screenshot of the dashboard.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from governance import clock
from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus, MeetingStatus
from governance.services import demo, meetings
from tests.browser.conftest import ARTIFACTS

IN, ONLINE, LEAVE, ABSENT = (AttendanceStatus.IN_PERSON, AttendanceStatus.ONLINE, AttendanceStatus.LEAVE,
                             AttendanceStatus.ABSENT)


@pytest.fixture
def board(make_director, make_meeting, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2020, 1, 15))
    roster = [make_director(name) for name in ("ประธาน ใจดี", "สมศรี มีสุข", "วิชัย ตั้งใจ", "มานะ อดทน", "ปิติ ยินดี")]
    for day, number, statuses in ((date(2019, 11, 20), "1/2563", [IN, IN, ONLINE, IN, LEAVE]),
                                  (date(2019, 12, 18), "2/2563", [IN, ABSENT, LEAVE, IN, IN]),
                                  (date(2020, 1, 10), "3/2563", [IN] * 5)):
        meeting = make_meeting(day, number=number)
        meetings.replace_attendance(meeting.id, [meetings.AttendanceRow(d.id, s)
                                                 for d, s in zip(roster, statuses, strict=True)])
    for month in range(2, 9):
        make_meeting(date(2020, month, 19), number=f"{month + 2}/2563", status=MeetingStatus.PLANNED)
    db.session.commit()


def download(page, testid: str):
    with page.expect_download() as info:
        page.click(f"[data-testid={testid}]")
    return info.value


def test_auditor_downloads_the_attendance_report_as_csv_xlsx_and_pdf(page, live_server, sign_in, board):
    sign_in("auditor")
    page.click("[data-testid=nav-attendance_report]")
    page.wait_for_load_state()
    assert "การเข้าประชุมของคณะกรรมการ ปีงบประมาณ 2563" in page.content()
    assert page.locator("[data-testid=verdict]").inner_text().startswith("มีความเสี่ยง")
    assert page.locator("[data-testid=chart] svg rect").count() == 3
    rows = page.locator("[data-testid=meeting-rows] tbody tr")
    assert rows.count() == 3
    assert rows.nth(1).locator("td").nth(4).inner_text() == "60.00"

    csv_file = download(page, "download-csv")
    assert csv_file.suggested_filename == "attendance-2563.csv"
    lines = list(csv.reader(io.StringIO(Path(csv_file.path()).read_text(encoding="utf-8-sig"))))
    assert lines[0] == ["การเข้าประชุมของคณะกรรมการ ปีงบประมาณ 2563"]
    assert ["ร้อยละของจำนวนการประชุมที่ผ่านเกณฑ์", "66.67"] in lines
    assert ["2/2563", "18 ธ.ค. 2562", "5", "3", "60.00", "ไม่ใช่", "สมศรี มีสุข, วิชัย ตั้งใจ", ""] in lines

    xlsx_file = download(page, "download-xlsx")
    assert xlsx_file.suggested_filename == "attendance-2563.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(xlsx_file.path()).read_bytes()))
    meeting_rows = list(book["การประชุม"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[2], row[3], row[4]) for row in meeting_rows] == [
        ("1/2563", 5, 4, 80.0), ("2/2563", 5, 3, 60.0), ("3/2563", 5, 5, 100.0)]

    pdf_file = download(page, "download-pdf")
    assert pdf_file.suggested_filename == "attendance-2563.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    pdf_path = ARTIFACTS / "attendance-2563.pdf"
    pdf_file.save_as(pdf_path)
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed: pdftotext and pdftoppm are needed to check the PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], check=True, capture_output=True,
                          text=True).stdout
    squeezed = "".join(text.split())  # pdftotext may split a word after a vowel mark
    for words in ("การเข้าประชุมของคณะกรรมการ", "ปีงบประมาณ 2563", "มีความเสี่ยง", "ร้อยละ 66.67",
                  "ประธาน ใจดี", "ปิติ ยินดี", "ไม่ใช่"):  # none with ำ: pdftotext drops its nikhahit
        assert "".join(words.split()) in squeezed, words
    for figures in (["1/2563", "20", "พ.ย.", "2562", "5", "4", "80.00"],
                    ["2/2563", "18", "ธ.ค.", "2562", "5", "3", "60.00"]):
        assert figures in [line.split()[:7] for line in text.splitlines()], figures
    png = ARTIFACTS / "attendance-2563-pdf-page-1"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(png)],
                   check=True)
    assert png.with_suffix(".png").stat().st_size > 10_000


def test_the_dashboard_of_the_demo_board(page, live_server, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2020, 6, 1))
    demo.load_demo()
    db.session.commit()
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "auditor@example.org")
    page.fill("input[name=password]", demo.DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert "/dashboard" in page.url
    assert page.locator("article.indicator-card").count() == 9
    assert page.locator("[data-testid=status-16] .badge").inner_text() == "มีความเสี่ยง"
    assert page.locator("[data-testid=measure-16]").inner_text() == "การประชุมผ่านเกณฑ์ร้อยละ 87.50"
    page.locator("[data-testid=evidence-16] summary").click()
    assert page.locator("[data-testid=evidence-16] li").count() == 8
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-demo-2563.png"), full_page=True)
    page.click("[data-testid=open-16]")
    page.wait_for_load_state()
    assert "/attendance?fy=2563&as_of=2020-06-01" in page.url
    page.screenshot(path=str(ARTIFACTS / "attendance-demo-2563.png"), full_page=True)

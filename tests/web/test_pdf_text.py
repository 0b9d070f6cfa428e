"""The PDFs' text layer reads as the page does, in Thai too, and the PDFs embed the shipped font.

HarfBuzz draws ำ as two glyphs (NIKHAHIT + SARA AA) and, before a tone mark, puts both marks in
one cluster; WeasyPrint maps each glyph to one string, so its PDFs read "จานวน" for จำนวน (or
"กำร" for การ) and "นำ" for น้ำ.  ``governance.web.pdf_fonts`` gives such glyphs codes of their
own.  These tests read the PDFs as a reader does (``pdftotext``, ``pdffonts``) and check the
words with ำ, with tone marks and with marks stacked on one consonant, in plain and bold text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from datetime import date
from pathlib import Path

import pytest

from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus, Position
from governance.models import Role
from governance.services import kpis, meetings

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                reason="poppler-utils is not installed")

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts" / "sarabun"
# Directors whose names have ำ (with and without a tone mark) and marks stacked on a consonant.
NAMES = ["สำราญ น้ำใจดี", "ผู้กำกับ ค่ำคูณ", "วิชัย ตั้งใจ", "ชื่นจิต ที่รัก"]


@pytest.fixture
def board(make_director, make_meeting):
    roster = [make_director(NAMES[0], position=Position.CHAIR)] + [make_director(name) for name in NAMES[1:]]
    meeting = make_meeting(date(2019, 11, 20), number="1/2563")
    meetings.replace_attendance(meeting.id, [
        meetings.AttendanceRow(director_id=director.id, status=status) for director, status in
        zip(roster, [AttendanceStatus.IN_PERSON] * 3 + [AttendanceStatus.ABSENT], strict=True)])
    db.session.commit()
    return roster


def read(pdf: bytes, tmp_path: Path, *options: str) -> str:
    """The PDF's text as ``pdftotext`` gives it, spaces and line breaks removed (pdftotext puts
    them where it sees gaps)."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", *options, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return "".join(text.split())


def fonts_of(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in lines.splitlines()[2:]]


def to_unicode_entries(pdf: bytes) -> list[tuple[str, str]]:
    """Every ``<code> <text>`` of the PDF's ToUnicode maps."""
    entries = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(stream)
        except zlib.error:
            data = stream
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            entries += [(code.decode(), text.decode()) for code, text in re.findall(rb"<(\w+)> <(\w*)>", block)]
    return entries


def assert_embeds_only_sarabun(pdf: bytes, tmp_path: Path) -> None:
    fonts = fonts_of(pdf, tmp_path)
    assert fonts, "no font in the PDF"
    for name, *_, emb, sub, uni, _object, _generation in fonts:
        # "ABCDEF+Sarabun" or "ABCDEF+Sarabun-Bold": the @font-face of the template, not a host font.
        assert re.fullmatch(r"[A-Z]{6}\+Sarabun(-Bold)?", name), fonts
        assert (emb, sub, uni) == ("yes", "yes", "yes"), fonts
    assert {name.split("+")[1] for name, *_ in fonts} == {"Sarabun", "Sarabun-Bold"}


def test_the_shipped_font_is_sarabun_with_its_licence():
    assert (FONTS / "Sarabun-Regular.ttf").read_bytes()[:4] == b"\x00\x01\x00\x00"
    assert (FONTS / "Sarabun-Bold.ttf").read_bytes()[:4] == b"\x00\x01\x00\x00"
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "OFL.txt").read_text()


def test_the_attendance_pdf_reads_as_its_thai_words(client, login, board, tmp_path):
    login(Role.AUDITOR)
    pdf = client.get("/attendance/pdf").data
    assert pdf.startswith(b"%PDF-")
    words = (
        # ำ: the table headings (bold) and the summary
        "กรรมการที่ดำรงตำแหน่ง", "จำนวนครั้งที่เข้าประชุม", "จำนวนการประชุมคณะกรรมการที่จัดขึ้น",
        "ยังมีกำหนดจัด",
        # ำ after a tone mark, marks stacked on one consonant (ตั้ง, ผู้, ที่, ชื่น)
        *("".join(name.split()) for name in NAMES),
        # words with no ำ whose า must stay า (WeasyPrint mapped it to ำ once it had met ำ first)
        "การเข้าประชุมของคณะกรรมการ", "ไม่น้อยกว่าร้อยละ",
    )
    for options in ((), ("-layout",), ("-raw",)):  # reading order, layout, and content order
        text = read(pdf, tmp_path, *options)
        for word in words:
            assert word in text, (options, word)
        assert "\ufffd" not in text
    # No code stands for nothing (pdf.js shows the code itself there, MuPDF U+FFFD).
    entries = to_unicode_entries(pdf)
    assert entries and not [code for code, text in entries if not text]
    assert_embeds_only_sarabun(pdf, tmp_path)


def test_the_attendance_pdf_in_english_embeds_the_shipped_font_too(client, login, english, board, tmp_path):
    login(Role.AUDITOR)
    english()
    pdf = client.get("/attendance/pdf").data
    text = read(pdf, tmp_path)
    assert "Eligibledirectors" in text and "".join(NAMES[1].split()) in text
    assert_embeds_only_sarabun(pdf, tmp_path)


def test_the_kpi_scorecard_pdf_reads_as_its_thai_words(client, login, tmp_path):
    login(Role.SECRETARY)
    assert client.post("/kpis/2563/load").status_code == 302
    pdf = client.get("/kpis/pdf?fy=2563&as_of=2020-01-15").data
    assert pdf.startswith(b"%PDF-")
    text = read(pdf, tmp_path)
    names = ["".join(kpi.name.split()) for kpi in kpis.list_kpis(2563)]
    assert any("ำ" in name for name in names), "no KPI name has ำ to check"
    for name in names:
        assert name in text, name
    assert_embeds_only_sarabun(pdf, tmp_path)

"""Reading the files: dates as Thai secretaries type them, headers, encodings, broken files."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.services.imports import Upload, parse_date, parse_time, read_uploads, template_csv, template_xlsx
from tests.imports.conftest import ATTENDANCE, DIRECTORS, csv_bytes, xlsx


@pytest.mark.parametrize(("typed", "day"), [
    ("15/01/2563", date(2020, 1, 15)),  # Buddhist Era, as Thai secretaries type it
    ("15/1/2020", date(2020, 1, 15)),
    ("2563-01-15", date(2020, 1, 15)),
    ("2020-01-15", date(2020, 1, 15)),
    ("29/02/2563", date(2020, 2, 29)),  # 2563 BE is the leap year 2020
    ("15.01.2563", date(2020, 1, 15)),
    ("๑๕/๐๑/๒๕๖๓", date(2020, 1, 15)),  # Thai digits
    ("15 ม.ค. 2563", date(2020, 1, 15)),
    ("15 มกราคม พ.ศ. 2563", date(2020, 1, 15)),
    ("15 Jan 2020", date(2020, 1, 15)),
    (datetime(2020, 1, 15), date(2020, 1, 15)),  # a date cell
    (datetime(2563, 1, 15), date(2020, 1, 15)),  # a date cell typed in BE in a non-Thai Excel
    (date(2020, 1, 15), date(2020, 1, 15)),
])
def test_dates_are_read_in_either_era(typed, day):
    assert parse_date(typed) == day


@pytest.mark.parametrize("typed", ["15/01/63", "01/15/2020", "31/02/2563", "2563", "tomorrow", "15 Foo 2563", 43845])
def test_what_is_not_a_date_is_refused(typed):
    with pytest.raises(ValueError):
        parse_date(typed)


@pytest.mark.parametrize(("typed", "moment"), [("13:30", time(13, 30)), ("13.30 น.", time(13, 30)),
                                               ("9:05", time(9, 5)), (time(9, 30, 12), time(9, 30))])
def test_times(typed, moment):
    assert parse_time(typed) == moment


def test_a_csv_is_recognised_by_its_columns_in_any_of_its_encodings():
    rows = [DIRECTORS, ["นายหนึ่ง", "", "กรรมการ", "1/10/2562", ""]]
    for data in (csv_bytes(rows), csv_bytes(rows, "utf-8"), csv_bytes(rows, "cp874")):
        book = read_uploads([Upload("export.csv", data)])
        assert book.problems == []
        assert list(book.sheets) == ["directors"]
        assert book.sheets["directors"].rows == [(2, {
            "name": "นายหนึ่ง", "email": "", "position": "กรรมการ", "term_start": "1/10/2562", "term_end": ""})]


def test_headers_may_be_thai_or_codes_under_a_title_and_unknown_columns_are_listed():
    rows = [["ทะเบียนการเข้าประชุม ปีงบประมาณ 2563"], [], ["ครั้งที่", "director", "สถานะ", "หมายเหตุ"],
            ["1/2563", "นายหนึ่ง", "มา", "มาสาย"]]
    book = read_uploads([Upload("sheet.csv", csv_bytes(rows))])
    sheet = book.sheets["attendance"]
    assert sheet.headers == {"meeting": "ครั้งที่", "director": "director", "attendance": "สถานะ"}
    assert sheet.rows == [(4, {"meeting": "1/2563", "director": "นายหนึ่ง", "attendance": "มา"})]
    assert book.ignored == ["sheet.csv: หมายเหตุ"]


def test_a_missing_required_column_is_named():
    book = read_uploads([Upload("a.csv", csv_bytes([ATTENDANCE[:2], ["1/2563", "นายหนึ่ง"]]))])
    assert [(str(p.message), p.sheet) for p in book.problems] == [
        ("The column การเข้าประชุม (attendance) is missing.", "a.csv")]


def test_sheets_are_recognised_by_name_and_others_are_ignored():
    book = read_uploads([Upload("b.xlsx", xlsx({"directors": [DIRECTORS], "บันทึกของฉัน": [["อะไรก็ได้", 1]]}))])
    assert list(book.sheets) == ["directors"] and book.ignored == ["บันทึกของฉัน"]


@pytest.mark.parametrize("data", [
    b"\xd0\xcf\x11\xe0" + b"\0" * 100,  # an old .xls
    b"PK\x03\x04 not really a zip",
    b"plain,text\x00with a NUL",
    b"\xff\xfe\x00\x00\x81",  # not text in any encoding we read
])
def test_unreadable_files_are_a_problem_not_a_crash(data):
    book = read_uploads([Upload("x", data)])
    assert book.sheets == {} and len(book.problems) == 1


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/huge.xml", b"0" * (60 * 1024 * 1024))
    book = read_uploads([Upload("bomb.xlsx", buffer.getvalue())])
    assert book.sheets == {} and len(book.problems) == 1


def test_too_large_and_too_many_files_are_refused():
    assert len(read_uploads([Upload("big.csv", b"a" * (1024 * 1024 + 1))]).problems) == 1
    assert len(read_uploads([Upload(f"{n}.csv", b"a") for n in range(4)]).problems) == 1


@given(st.binary(max_size=400))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_are_read_or_refused_never_crash(app, data):
    read_uploads([Upload("fuzz.csv", data)])
    read_uploads([Upload("fuzz.xlsx", b"PK\x03\x04" + data)])


def test_the_templates_hold_every_column_with_an_example():
    book = read_uploads([Upload("template.xlsx", template_xlsx())])
    assert book.problems == [] and book.ignored == []
    assert {kind: len(sheet.rows) for kind, sheet in book.sheets.items()} == {
        "directors": 1, "meetings": 1, "attendance": 1}
    for kind in ("directors", "meetings", "attendance"):
        data = template_csv(kind)
        assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to show Thai
        assert list(read_uploads([Upload(f"{kind}.csv", data)]).sheets) == [kind]

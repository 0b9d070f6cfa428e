"""Importing: everything or nothing, every error named, and the same file twice writes nothing new."""

from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa

from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus, MeetingStatus, Position
from governance.models import Attendance, AuditEntry, Director, Meeting
from governance.services import directors
from governance.services.imports import Upload, read_uploads, run_import, template_csv, template_xlsx
from tests.imports.conftest import ATTENDANCE, DIRECTORS, MEETINGS, board_sheets, csv_bytes, xlsx


def _import(sheets: dict[str, list[list]]):
    return run_import(read_uploads([Upload("board.xlsx", xlsx(sheets))]))


def _outcomes(report) -> dict[str, list[str]]:
    return {sheet.kind: [row.outcome.value for row in sheet.rows] for sheet in report.sheets}


def _problems(report) -> list[tuple]:
    return [(p.sheet, p.row, p.column, str(p.message)) for s in report.sheets for r in s.rows for p in r.problems]


def test_a_whole_workbook_is_imported_with_every_value_read():
    report = _import(board_sheets())
    assert report.ok, _problems(report)
    assert _outcomes(report) == {"directors": ["new"] * 3, "meetings": ["new"] * 2, "attendance": ["new"] * 5}
    db.session.commit()

    people = {d.name: d for d in directors.list_directors()}
    assert set(people) == {"นายประธาน ทดสอบ", "นางสาวหนึ่ง ทดสอบ", "นายสอง ทดสอบ"}
    assert {d.term_start for d in people.values()} == {date(2019, 10, 1)}  # BE, CE and Thai-digit dates alike
    assert people["นางสาวหนึ่ง ทดสอบ"].term_end == date(2023, 9, 30)
    assert people["นายประธาน ทดสอบ"].position == Position.CHAIR and people["นายสอง ทดสอบ"].email == "two@example.org"
    found = {m.number: m for m in db.session.scalars(sa.select(Meeting))}
    assert found["1/2563"].held_on == date(2019, 11, 20) and found["1/2563"].starts_at == time(9, 30)
    assert found["2/2563"].starts_at == time(13, 30) and found["2/2563"].place is None
    assert found["2/2563"].status == MeetingStatus.HELD
    statuses = {(a.meeting.number, a.director.name): a.status for a in db.session.scalars(sa.select(Attendance))}
    assert statuses[("1/2563", "นางสาวหนึ่ง ทดสอบ")] == AttendanceStatus.ONLINE
    assert statuses[("1/2563", "นายสอง ทดสอบ")] == AttendanceStatus.LEAVE
    assert statuses[("2/2563", "นางสาวหนึ่ง ทดสอบ")] == AttendanceStatus.ABSENT


def test_the_same_file_again_is_all_unchanged_and_writes_nothing():
    assert _import(board_sheets()).ok
    db.session.commit()
    trail = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))

    again = _import(board_sheets())
    assert again.ok and not again.changes_anything
    assert _outcomes(again) == {"directors": ["unchanged"] * 3, "meetings": ["unchanged"] * 2,
                                "attendance": ["unchanged"] * 5}
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Director.id))) == 3
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 2
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == trail


def test_one_bad_row_rejects_the_whole_file_and_every_error_is_named(snapshot, make_director):
    make_director("ผู้มีอยู่แล้ว")
    before = snapshot()
    sheets = board_sheets(bad_date=True)
    sheets["กรรมการ"][2][2] = "นักร้อง"  # not a position
    sheets["การเข้าประชุม"].append(["1/2563", "คนที่ไม่มีตัวตน", "มาประชุม"])
    report = _import(sheets)

    assert not report.ok
    assert _problems(report) == [
        ("กรรมการ", 3, "ตำแหน่ง (position)",
         "Not one of the known values, such as: chair, director, ex_officio, secretary, vice_chair, กรรมการ."),
        ("การประชุม", 3, "วันที่ประชุม (held_on)",
         "Not a date: write day/month/year, e.g. 15/01/2563 (Buddhist Era) or 15/01/2020, or 2020-01-15."),
        ("การเข้าประชุม", 3, "กรรมการ (director)",
         "นางสาวหนึ่ง ทดสอบ has errors on their own row (row 3 of the directors): fix that row first."),
        ("การเข้าประชุม", 5, "ครั้งที่ประชุม (meeting)",
         "Meeting 2/2563 has errors on its own row (row 3 of the meetings): fix that row first."),
        ("การเข้าประชุม", 6, "ครั้งที่ประชุม (meeting)",
         "Meeting 2/2563 has errors on its own row (row 3 of the meetings): fix that row first."),
        ("การเข้าประชุม", 6, "กรรมการ (director)",
         "นางสาวหนึ่ง ทดสอบ has errors on their own row (row 3 of the directors): fix that row first."),
        ("การเข้าประชุม", 7, "กรรมการ (director)", "No director named คนที่ไม่มีตัวตน is in this file or recorded."),
    ]
    db.session.rollback()  # as the adapter does
    assert snapshot() == before


def test_the_services_rules_are_reported_on_their_rows():
    sheets = board_sheets()
    sheets["กรรมการ"].append(["นายมาใหม่", "", "กรรมการ", "1/1/2563", ""])  # term starts after meeting 1/2563
    sheets["กรรมการ"].append(["นายกลับหัว", "", "กรรมการ", "1/1/2563", "1/1/2562"])  # ends before it starts
    sheets["การประชุม"].append(["1/2563", "20/11/2562", "ซ้ำ", "ประชุมแล้ว", "", ""])
    sheets["การเข้าประชุม"].append(["1/2563", "นายมาใหม่", "มาประชุม"])
    sheets["การเข้าประชุม"].append(["1/2563", "นายประธาน ทดสอบ", "ลา"])
    report = _import(sheets)
    assert not report.ok
    assert _problems(report) == [
        ("กรรมการ", 6, "วันสิ้นสุดวาระ (term_end)", "The term cannot end before it starts."),
        ("การประชุม", 4, "ครั้งที่ (number)", "The same meeting is also on row 2."),
        ("การเข้าประชุม", 7, "กรรมการ (director)", "นายมาใหม่ was not in office on 2019-11-20."),
        ("การเข้าประชุม", 8, "กรรมการ (director)",
         "This director's attendance at this meeting is also on row 2."),
    ]


def test_changed_rows_are_updates_that_name_their_columns_and_blank_cells_keep_what_is_recorded():
    assert _import(board_sheets()).ok
    db.session.commit()
    sheets = board_sheets()
    sheets["กรรมการ"][1][1] = ""  # the chair's email left blank: kept
    sheets["กรรมการ"][3][4] = "30/9/2566"  # a term end for นายสอง
    sheets["การประชุม"][2][5] = "ห้องประชุม 2"
    sheets["การเข้าประชุม"][2][2] = "มาประชุม"  # was online
    del sheets["การเข้าประชุม"][1]  # a recorded entry the file no longer mentions: kept
    report = _import(sheets)
    assert report.ok
    rows = {(s.kind, r.row): (r.outcome.value, r.changes) for s in report.sheets for r in s.rows}
    assert rows[("directors", 2)] == ("unchanged", [])
    assert rows[("directors", 4)] == ("updated", ["term_end"])
    assert rows[("meetings", 3)] == ("updated", ["place"])
    assert rows[("attendance", 2)] == ("updated", ["attendance"])
    db.session.commit()
    chair = db.session.scalar(sa.select(Director).where(Director.name == "นายประธาน ทดสอบ"))
    assert chair.email == "chair@example.org"
    assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 5


def test_directors_are_matched_by_email_then_by_name(make_director):
    recorded = make_director("นายเดิม ชื่อเก่า", email="same@example.org")
    namesake = make_director("นายชื่อซ้ำ")
    make_director("นายชื่อซ้ำ ")  # two recorded directors of one name
    report = _import({"directors": [DIRECTORS,
                                    ["นายเดิม ชื่อใหม่", "SAME@example.org", "กรรมการ", "1/1/2562", ""],
                                    ["นายชื่อซ้ำ", "", "กรรมการ", "1/1/2562", ""]]})
    assert _outcomes(report)["directors"] == ["updated", "error"]
    assert report.sheets[0].rows[0].changes == ["name"]
    assert "Several recorded directors are named นายชื่อซ้ำ" in str(report.sheets[0].rows[1].problems[0].message)
    assert recorded.id != namesake.id


def test_three_csv_files_import_like_the_workbook():
    sheets = board_sheets()
    uploads = [Upload(f"{name}.csv", csv_bytes(rows, "cp874" if name == "การประชุม" else "utf-8-sig"))
               for name, rows in sheets.items()]
    report = run_import(read_uploads(uploads))
    assert report.ok, _problems(report)
    assert _outcomes(report) == {"directors": ["new"] * 3, "meetings": ["new"] * 2, "attendance": ["new"] * 5}


def test_the_template_as_downloaded_imports_its_example_rows():
    for uploads in ([Upload("t.xlsx", template_xlsx())],
                    [Upload(f"{k}.csv", template_csv(k)) for k in ("directors", "meetings", "attendance")]):
        report = run_import(read_uploads(uploads))
        assert report.ok, _problems(report)
        assert _outcomes(report) == {"directors": ["new"], "meetings": ["new"], "attendance": ["new"]}
        db.session.rollback()


def test_a_file_with_nothing_to_import_says_so():
    report = run_import(read_uploads([Upload("notes.csv", csv_bytes([["วันนี้", "อากาศดี"]]))]))
    assert not report.ok
    assert [str(p.message) for p in report.problems] == [
        "No sheet of directors, meetings or attendance was found. Start from the template."]


def test_attendance_for_a_cancelled_meeting_is_refused_on_each_row(make_director, make_meeting):
    make_director("นายหนึ่ง")
    make_meeting(date(2019, 11, 20), number="1/2563", status=MeetingStatus.CANCELLED)
    report = _import({"attendance": [ATTENDANCE, ["1/2563", "นายหนึ่ง", "มาประชุม"]]})
    assert _problems(report) == [("attendance", 2, "ครั้งที่ประชุม (meeting)",
                                  "The meeting was cancelled; it has no attendance.")]


def test_a_number_excel_made_into_a_date_is_explained():
    from datetime import datetime

    report = _import({"meetings": [MEETINGS, [datetime(2563, 1, 1), "20/11/2562", "ประชุม", "ประชุมแล้ว"]]})
    assert "format the column as Text" in _problems(report)[0][3]


def test_an_end_time_is_read_and_a_future_meeting_cannot_be_imported_as_held():
    sheets = board_sheets()
    sheets["การประชุม"][0] = [*MEETINGS, "เวลาเลิก (ends_at)"]
    sheets["การประชุม"][1] = [*sheets["การประชุม"][1], "12.00 น."]
    sheets["การประชุม"][2] = [*sheets["การประชุม"][2], ""]
    report = run_import(read_uploads([Upload("board.xlsx", xlsx(sheets))]), today=date(2019, 12, 1))
    assert not report.ok
    # 2/2563 is dated 18 Dec 2019, after "today": refused on its row, at the status column
    problems = _problems(report)
    assert [(sheet, row, column) for sheet, row, column, _ in problems if row == 3] == [
        ("การประชุม", 3, "สถานะ (status)")], problems
    db.session.rollback()

    report = run_import(read_uploads([Upload("board.xlsx", xlsx(sheets))]), today=date(2020, 1, 15))
    assert report.ok, _problems(report)
    db.session.commit()
    found = {m.number: m for m in db.session.scalars(sa.select(Meeting))}
    assert found["1/2563"].ends_at == time(12, 0) and found["2/2563"].ends_at is None

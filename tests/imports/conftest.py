"""Spreadsheets built in memory, as the secretary's Excel would save them."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa

from governance.extensions import db

RECORD_TABLES = ("director", "meeting", "attendance", "audit_entry")

DIRECTORS = ["ชื่อ-นามสกุล (name)", "อีเมล (email)", "ตำแหน่ง (position)", "วันเริ่มวาระ (term_start)",
             "วันสิ้นสุดวาระ (term_end)"]
MEETINGS = ["ครั้งที่ (number)", "วันที่ประชุม (held_on)", "ชื่อการประชุม (title)", "สถานะ (status)",
            "เวลาเริ่ม (starts_at)", "สถานที่ (place)"]
ATTENDANCE = ["ครั้งที่ประชุม (meeting)", "กรรมการ (director)", "การเข้าประชุม (attendance)"]


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)


def board_sheets(*, bad_date: bool = False) -> dict[str, list[list]]:
    """A small board: three directors, two meetings, their attendance (one bad date on request)."""
    return {
        "กรรมการ": [
            DIRECTORS,
            ["นายประธาน ทดสอบ", "chair@example.org", "ประธานกรรมการ", "1/10/2562", ""],
            ["นางสาวหนึ่ง ทดสอบ", "", "กรรมการ", "2019-10-01", "30/09/2566"],
            ["นายสอง ทดสอบ", "two@example.org", "director", "๑ ต.ค. ๒๕๖๒", ""],
        ],
        "การประชุม": [
            MEETINGS,
            ["1/2563", "20/11/2562", "การประชุมคณะกรรมการ ครั้งที่ 1/2563", "ประชุมแล้ว", "09:30", "ห้องประชุม 1"],
            ["2/2563", "31/02/2563" if bad_date else "18/12/2562", "การประชุมคณะกรรมการ ครั้งที่ 2/2563",
             "ประชุมแล้ว", "13.30 น.", ""],
        ],
        "การเข้าประชุม": [
            ATTENDANCE,
            ["1/2563", "นายประธาน ทดสอบ", "มาประชุม"],
            ["1/2563", "นางสาวหนึ่ง ทดสอบ", "ออนไลน์"],
            ["1/2563", "two@example.org", "ลา"],
            ["2/2563", "นายประธาน ทดสอบ", "in_person"],
            ["2/2563", "นางสาวหนึ่ง ทดสอบ", "ขาด"],
        ],
    }


@pytest.fixture
def snapshot(app):
    """Every row of the record tables (and the audit trail), to show a refused import wrote nothing."""
    def take() -> dict[str, list[tuple]]:
        db.session.rollback()
        tables = db.metadata.tables
        return {name: sorted(tuple(row) for row in db.session.execute(sa.select(tables[name])).all())
                for name in RECORD_TABLES}
    return take


@pytest.fixture(autouse=True)
def _in_app(app):
    """Every import test runs in the app (the services read its config and database)."""
    return app

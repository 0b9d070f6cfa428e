"""A spreadsheet cannot slip a line break into one-line text: a cell wrapped onto several lines
(Alt+Enter in Excel, a pasted address) is read as one line, whatever the file's format."""

from __future__ import annotations

import sqlalchemy as sa

from governance.extensions import db
from governance.models import Meeting
from governance.services.imports import Upload, read_uploads, run_import
from tests.imports.conftest import board_sheets, xlsx


def test_a_meeting_title_wrapped_over_lines_in_its_cell_is_stored_on_one_line():
    sheets = board_sheets()
    sheets["การประชุม"][1][2] = "การประชุม ครั้งที่ 1/2563\r\nBcc: x@evil.example"
    sheets["การประชุม"][1][5] = "ห้องประชุม 1\nชั้น 2"
    report = run_import(read_uploads([Upload("board.xlsx", xlsx(sheets))]))
    assert report.ok
    db.session.commit()
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.number == "1/2563"))
    assert (meeting.title, meeting.place) == ("การประชุม ครั้งที่ 1/2563 Bcc: x@evil.example", "ห้องประชุม 1 ชั้น 2")

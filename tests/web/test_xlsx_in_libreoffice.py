"""The attendance workbook as a spreadsheet program reads it: LibreOffice shows its date cells
in the Buddhist Era with Thai months, as the page does."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date

import pytest

from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus
from governance.models import Role
from governance.services import meetings

SOFFICE = shutil.which("soffice")


@pytest.fixture
def soffice():
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice not found: .ci/run must install Debian's libreoffice-calc-nogui")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    return SOFFICE


def test_libreoffice_shows_the_dates_in_the_buddhist_era(client, login, make_director, make_meeting, soffice, tmp_path):
    director = make_director("นางสาวมาลี ศรีสุข")
    meeting = make_meeting(date(2019, 11, 20), number="1/2563")
    meetings.replace_attendance(meeting.id, [meetings.AttendanceRow(director.id, AttendanceStatus.IN_PERSON)])
    db.session.commit()
    login(Role.AUDITOR)
    (tmp_path / "attendance.xlsx").write_bytes(client.get("/attendance/xlsx?fy=2563&as_of=2020-01-15").data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "html", "--outdir", str(tmp_path), str(tmp_path / "attendance.xlsx")],
                   check=True, capture_output=True, timeout=180)
    shown = (tmp_path / "attendance.html").read_text(encoding="utf-8", errors="replace")
    cells = re.sub(r"<[^>]+>", " ", shown)
    assert "20 พ.ย. 2562" in cells  # as the page shows it, and sortable as a date
    assert re.search(r'sdnum="[^"]*\[~buddhist\]', shown)  # a date cell in the Buddhist calendar, not text

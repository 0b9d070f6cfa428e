"""The secretary imports their spreadsheet in a real browser: one bad row rejects the whole file,
the corrected file is imported whole."""

from __future__ import annotations

import sqlalchemy as sa

from governance.extensions import db
from governance.models import Attendance, Director, Meeting
from tests.imports.conftest import board_sheets, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _counts() -> tuple[int, int, int]:
    db.session.rollback()  # see what the server committed
    return tuple(db.session.scalar(sa.select(sa.func.count(model.id))) for model in (Director, Meeting, Attendance))


def test_one_bad_row_rejects_the_file_and_the_corrected_file_imports(page, live_server, sign_in):
    sign_in("secretary")
    page.goto(f"{live_server}/import")
    page.set_input_files("[data-testid=import-files]",
                         files=[{"name": "ทะเบียนกรรมการ.xlsx", "mimeType": XLSX, "buffer": xlsx(board_sheets(bad_date=True))}])
    page.click("[data-testid=import-preview]")
    page.wait_for_load_state()

    assert page.locator("[data-testid=import-refused]").is_visible()
    assert page.locator("[data-testid=import-confirm]").count() == 0
    bad = page.locator("[data-testid=import-row-meetings-3]")
    assert bad.get_attribute("data-outcome") == "error"
    assert "วันที่ประชุม (held_on)" in bad.inner_text()
    # The rows that would have been fine are still checked, and still not written.
    assert page.locator("[data-testid=import-row-directors-2]").get_attribute("data-outcome") == "new"
    assert page.locator("[data-testid=import-row-attendance-5]").get_attribute("data-outcome") == "error"
    assert _counts() == (0, 0, 0)

    page.set_input_files("[data-testid=import-files]",
                         files=[{"name": "ทะเบียนกรรมการ.xlsx", "mimeType": XLSX, "buffer": xlsx(board_sheets())}])
    page.click("[data-testid=import-preview]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=import-refused]").count() == 0
    assert page.locator("[data-testid=import-row-meetings-3]").get_attribute("data-outcome") == "new"
    assert _counts() == (0, 0, 0)  # the preview writes nothing

    page.click("[data-testid=import-confirm]")
    page.wait_for_load_state()
    assert page.locator(".flash-success").count() == 1
    assert _counts() == (3, 2, 5)

    # The meetings arrived with their Buddhist-Era dates read right.
    page.goto(f"{live_server}/meetings?fy=2563")
    assert "20 พ.ย. 2562" in page.content()

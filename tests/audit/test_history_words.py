"""The history panel and /audit in the reader's words: labels for fields, names for ids, baht,
Buddhist-Era dates and Bangkok times, with the stored values one click away."""

from __future__ import annotations

import re
from datetime import UTC, date
from decimal import Decimal

import pytest

from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus
from governance import clock
from governance.models import AuditEntry
from governance.services import audit, budget, meetings


def _worded(page: str) -> str:
    """The history (or the log's table) as read, without the folded-away stored values."""
    start = page.find('data-testid="audit-history"')
    section = page[start:] if start >= 0 else page[page.find('data-testid="audit-log"'):]
    return re.sub(r'<details class="raw-values".*?</details>', "", section, flags=re.S)


@pytest.fixture
def history(make_director, make_meeting):
    director = make_director("นายสมชาย ใจดี")
    meeting = make_meeting(date(2020, 2, 17), number="5/2563", title="การประชุมคณะกรรมการ ครั้งที่ 5/2563")
    with audit.acting_as("secretary@example.org"):
        meetings.replace_attendance(meeting.id, [meetings.AttendanceRow(director.id, AttendanceStatus.IN_PERSON)])
        budget.replace_budget(2563, [budget.BudgetMonthInput(month="2019-10", planned=Decimal("15000000.00"),
                                                             actual=Decimal("1234.50"))])
        db.session.commit()
    return meeting


def test_a_thai_reader_sees_labels_names_baht_and_buddhist_era_dates(client, login, history):
    login("secretary")
    page = _worded(client.get(f"/meetings/{history.id}").get_data(as_text=True))
    assert "วันที่ประชุม" in page and "17 ก.พ. 2563" in page
    assert "นายสมชาย ใจดี" in page
    assert "<ins>มาประชุม</ins>" in page.replace("\n", "")
    for code in ("held_on", "director_id", "meeting_id", "in_person", "2020-02-17", "status:"):
        assert code not in page, code
    log = _worded(client.get("/audit").get_data(as_text=True))
    assert "15,000,000.00" in log and "1,234.50" in log
    assert "planned_satang" not in log and "1500000000" not in log
    assert "ต.ค. 2562" in log  # the budget month in the Buddhist Era
    assert "การประชุมคณะกรรมการ ครั้งที่ 5/2563" in log  # the record named, not "#5"
    assert "<td>system</td>" not in log and "ระบบ (งานตามกำหนดเวลา)" in log
    assert "เปลี่ยนแล้ว (ไม่แสดงค่า)" in log  # the signed-in user's password, never its hash


def test_the_stored_values_stay_one_click_away(client, login, history):
    login("auditor")
    page = client.get("/audit").get_data(as_text=True)
    raw = "".join(re.findall(r'<details class="raw-values".*?</details>', page, flags=re.S))
    assert "<code>held_on</code>" in raw and "2020-02-17" in raw
    assert "<code>planned_satang</code>" in raw and "1500000000" in raw


def test_an_english_reader_sees_english_words(client, login, make_user, history):
    login("secretary", email="en@example.org", locale="en")
    page = _worded(client.get(f"/meetings/{history.id}").get_data(as_text=True))
    assert "Meeting date" in page and "17 Feb 2020" in page
    assert "held_on" not in page


def test_times_are_bangkoks(client, login, history):
    login("secretary")
    entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)).first()
    page = _worded(client.get("/audit").get_data(as_text=True))
    recorded = entry.recorded_at if entry.recorded_at.tzinfo else entry.recorded_at.replace(tzinfo=UTC)
    assert recorded.astimezone(clock.BANGKOK).strftime("%H:%M:%S") in page
    assert recorded.astimezone(UTC).strftime("%H:%M:%S") not in page  # Bangkok is 7 hours on

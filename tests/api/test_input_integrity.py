"""Text that could forge an email header is refused at the API, naming the field; a report is counted once."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from governance.extensions import db
from governance.models import Meeting, MinisterialReport
from governance.services import fiscal_years
from tests.api.conftest import DIRECTOR, MEETING, REPORT

ONE_LINE = "Keep this to one line: remove the line break or control character."


@pytest.mark.parametrize("field, value", [
    ("title", "ประชุมพิเศษ\rBcc: x@evil.example"),
    ("title", "ประชุมพิเศษ\r\nBcc: x@evil.example"),
    ("number", "3/2563\n"),
    ("place", "ห้อง 1\u2028ชั้น 2"),
    ("title", "ประชุม\x00"),
])
def test_a_meeting_with_a_control_character_in_one_line_text_is_refused_naming_the_field(api, field, value):
    response = api.post("/api/v1/meetings", json={**MEETING, field: value})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {field: ONE_LINE}
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


def test_an_edit_cannot_slip_one_in_either(api):
    meeting = api.post("/api/v1/meetings", json=MEETING).get_json()
    response = api.put(f"/api/v1/meetings/{meeting['id']}", json={**MEETING, "title": "ก\nBcc: x@evil.example"})
    assert response.status_code == 422 and "title" in response.get_json()["error"]["fields"]
    db.session.expire_all()
    assert db.session.get(Meeting, meeting["id"]).title == MEETING["title"]


@pytest.mark.parametrize("url, body, field", [
    ("/api/v1/directors", {**DIRECTOR, "name": "สมหญิง\tรักษ์ธรรม"}, "name"),
    ("/api/v1/ministerial-reports", {**REPORT, "title": "รายงาน\rไตรมาส 1"}, "title"),
])
def test_other_records_refuse_them_too(api, url, body, field):
    response = api.post(url, json=body)
    assert response.status_code == 422 and response.get_json()["error"]["fields"][field] == ONE_LINE


def test_a_multi_line_resolution_keeps_its_line_breaks(api):
    meeting = api.post("/api/v1/meetings", json=MEETING).get_json()
    item = {"topic": "other", "title": "เรื่องอื่น ๆ", "resolution": "ที่ประชุมรับทราบ\nและมอบหมายฝ่ายเลขานุการ"}
    created = api.post(f"/api/v1/meetings/{meeting['id']}/agenda-items", json=item)
    assert created.status_code == 201 and created.get_json()["resolution"] == item["resolution"]


def test_the_same_report_posted_twice_is_refused_the_second_time_and_counted_once(api):
    assert api.post("/api/v1/ministerial-reports", json=REPORT).status_code == 201
    again = api.post("/api/v1/ministerial-reports", json=REPORT)
    assert again.status_code == 409
    assert "already recorded" in again.get_json()["error"]["fields"]["sent_on"]
    assert db.session.scalar(sa.select(sa.func.count(MinisterialReport.id))) == 1
    # Another period sent the same day is another report.
    other = {**REPORT, "period_start": "2019-07-01", "period_end": "2019-09-30"}
    assert api.post("/api/v1/ministerial-reports", json=other).status_code == 201
    fifteen = next(r for r in fiscal_years.evaluate_fiscal_year(2563, date(2020, 9, 30)) if r.number == 15)
    assert fifteen.value == 2  # two reports, the copy not among them


def test_an_edit_that_turns_a_report_into_a_copy_of_another_is_refused(api):
    api.post("/api/v1/ministerial-reports", json=REPORT)
    second = api.post("/api/v1/ministerial-reports", json={**REPORT, "sent_on": "2020-01-20"}).get_json()
    response = api.put(f"/api/v1/ministerial-reports/{second['id']}", json=REPORT)
    assert response.status_code == 409 and "sent_on" in response.get_json()["error"]["fields"]

"""The forms refuse what the API refuses: one-line text with a line break, and a report recorded twice."""

from __future__ import annotations

import sqlalchemy as sa

from governance.extensions import db
from governance.models import MinisterialReport
from tests.web.pagetools import error_for

NEW_MEETING = {"held_on": "2020-02-20", "number": "2/2563", "kind": "regular", "body": "board",
               "status": "planned", "title": "ประชุมคณะกรรมการ", "starts_at": "13:30", "place": "ห้องประชุม 1"}
REPORT = {"sent_on": "2020-04-20", "title": "รายงานผลการดำเนินงานรอบ 6 เดือน",
          "period_start": "2019-10-01", "period_end": "2020-03-31"}
ONE_LINE_TH = "กรุณากรอกเป็นบรรทัดเดียว: ลบการขึ้นบรรทัดใหม่หรืออักขระควบคุมออก"


def test_a_meeting_title_with_a_line_break_is_refused_beside_the_field(client, login, snapshot):
    login("secretary")
    before = snapshot()
    response = client.post("/meetings?fy=2563", data={**NEW_MEETING, "title": "ประชุมพิเศษ\r\nBcc: x@evil.example"})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "title") == ONE_LINE_TH
    assert snapshot() == before


def test_the_same_report_recorded_twice_is_refused_beside_the_date_sent(client, login):
    login("secretary", locale="en")
    assert client.post("/reports?fy=2563", data=REPORT).status_code == 302
    response = client.post("/reports?fy=2563", data=REPORT)
    assert response.status_code in (409, 422)
    assert ("A report covering 2019-10-01 to 2020-03-31 sent on 2020-04-20 is already recorded."
            in error_for(response.get_data(as_text=True), "sent_on"))
    assert db.session.scalar(sa.select(sa.func.count(MinisterialReport.id))) == 1
